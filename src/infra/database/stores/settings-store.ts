import type { DataSource } from "typeorm";
import { Setting } from "../../../entities/setting.js";
import type { SettingsStore } from "../../../services/search/abbreviation-service.js";

/** Run-time settings in the setting table. */
export class SqliteSettingsStore implements SettingsStore {
  constructor(private readonly dataSource: DataSource) {}

  async get(key: string): Promise<string | null> {
    const row = await this.dataSource.getRepository(Setting).findOne({ select: { value: true }, where: { key } });
    return row?.value ?? null;
  }

  async set(key: string, value: string, now: number): Promise<void> {
    await this.dataSource.createQueryBuilder().insert().into(Setting).values({ key, value, updatedAt: now })
      .orUpdate(["value", "updated_at"], ["key"]).updateEntity(false).execute();
  }
}
