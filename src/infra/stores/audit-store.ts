import type { DataSource, Repository } from "typeorm";
import { AuditEvent } from "../../entities/audit-event.js";
import type { AuditStore } from "../../services/audit.js";
import type { AuditFilter } from "../../services/audit-filter.js";

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
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, ...values: unknown[]): void => { where.push(sql); params.push(...values); };
    if (filter.videoId !== undefined) add(`target_type = 'video' AND target_id = ?`, String(filter.videoId));
    if (filter.actor !== undefined) add(`actor_id = ?`, filter.actor);
    if (filter.channel !== undefined) {
      add(`((target_type = 'channel' AND target_id = ?) OR json_extract(after, '$.channel') = ? OR json_extract(before, '$.channel') = ?)`, String(filter.channel), filter.channel, filter.channel);
    }
    if (filter.action !== undefined) add(`(action = ? OR action LIKE ? ESCAPE '\\')`, filter.action, `${filter.action.replace(/[%_\\]/gu, (c) => `\\${c}`)}.%`);
    if (filter.from !== undefined) add(`at >= ?`, filter.from);
    if (filter.to !== undefined) add(`at <= ?`, filter.to);
    if (beforeId !== null) add(`id < ?`, beforeId);
    const rows = await this.repo.manager.query<{ id: number; at: number; actor_kind: AuditEvent["actorKind"]; actor_id: string; action: string;
      target_type: string | null; target_id: string | null; before: string | null; after: string | null }[]>(
      `SELECT * FROM audit_event ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`, [...params, limit]);
    return rows.map((r) => ({ id: r.id, at: r.at, actorKind: r.actor_kind, actorId: r.actor_id, action: r.action, targetType: r.target_type, targetId: r.target_id, before: r.before, after: r.after }));
  }
}
