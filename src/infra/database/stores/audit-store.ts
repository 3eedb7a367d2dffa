import type { DataSource, Repository } from "typeorm";
import { AuditEvent } from "../../../entities/audit-event.js";
import type { AuditStore } from "../../../services/audit/audit.js";
import type { AuditFilter } from "../../../services/audit/audit-filter.js";
import { jsonFieldAsText } from "./json-field.js";

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

  async query(filter: AuditFilter, beforeId: number | null, limit: number): Promise<AuditEvent[]> {
    const q = this.repo.createQueryBuilder("e");
    if (filter.videoId !== undefined) q.andWhere(`e.target_type = 'video' AND e.target_id = :videoId`, { videoId: String(filter.videoId) });
    if (filter.actor !== undefined) q.andWhere("e.actor_id = :actor", { actor: filter.actor });
    if (filter.channel !== undefined) {
      const field = (column: string): string => jsonFieldAsText(this.repo.manager.connection, column, "channel");
      q.andWhere(`((e.target_type = 'channel' AND e.target_id = :channel) OR ${field("e.after")} = :channel OR ${field("e.before")} = :channel)`,
        { channel: String(filter.channel) });
    }
    if (filter.action !== undefined) {
      q.andWhere(`(e.action = :action OR e.action LIKE :family ESCAPE '\\')`, { action: filter.action, family: `${filter.action.replace(/[%_\\]/gu, (c) => `\\${c}`)}.%` });
    }
    if (filter.from !== undefined) q.andWhere("e.at >= :from", { from: filter.from });
    if (filter.to !== undefined) q.andWhere("e.at <= :to", { to: filter.to });
    if (beforeId !== null) q.andWhere("e.id < :beforeId", { beforeId });
    return q.orderBy("e.id", "DESC").limit(limit).getMany();
  }
}
