import type { DataSource } from "typeorm";
import type { SettingsStore } from "../../services/search/abbreviation-service.js";

/** Run-time settings in the setting table. */
export class SqliteSettingsStore implements SettingsStore {
  constructor(private readonly dataSource: DataSource) {}

  async get(key: string): Promise<string | null> {
    const [row] = await this.dataSource.query<{ value: string }[]>(`SELECT value FROM setting WHERE key = ?`, [key]);
    return row?.value ?? null;
  }

  async set(key: string, value: string, now: number): Promise<void> {
    await this.dataSource.query(`INSERT INTO setting (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, [key, value, now]);
  }
}
