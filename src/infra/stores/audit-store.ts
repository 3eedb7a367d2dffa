import type { DataSource, Repository } from "typeorm";
import { AuditEvent } from "../../entities/audit-event.js";
import type { AuditStore } from "../../services/audit.js";

export class TypeormAuditStore implements AuditStore {
  private readonly repo: Repository<AuditEvent>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(AuditEvent);
  }

  async append(event: Omit<AuditEvent, "id">): Promise<void> {
    await this.repo.insert(event);
  }

  latestOf(action: string): Promise<AuditEvent | null> {
    return this.repo.findOne({ where: { action }, order: { id: "DESC" } });
  }

  latest(limit: number): Promise<AuditEvent[]> {
    return this.repo.find({ order: { id: "DESC" }, take: limit });
  }
}
