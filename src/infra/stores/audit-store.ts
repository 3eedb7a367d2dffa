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

  async appendMany(events: readonly Omit<AuditEvent, "id">[]): Promise<void> {
    // SQLite allows 32766 bound values; an event has 9.
    for (let i = 0; i < events.length; i += 1000) await this.repo.insert(events.slice(i, i + 1000));
  }

  about(targetType: string, targetId: string, limit: number): Promise<AuditEvent[]> {
    return this.repo.find({ where: { targetType, targetId }, order: { id: "DESC" }, take: limit });
  }

  latestOf(action: string): Promise<AuditEvent | null> {
    return this.repo.findOne({ where: { action }, order: { id: "DESC" } });
  }

  latest(limit: number): Promise<AuditEvent[]> {
    return this.repo.find({ order: { id: "DESC" }, take: limit });
  }
}
