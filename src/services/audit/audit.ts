import type { AuditEvent } from "../../entities/audit-event.js";
import type { AuditFilter } from "./audit-filter.js";
import { actorId, type Actor, type ActorRef } from "../people/actor.js";
import { requirePermission } from "../people/permissions.js";
import type { Clock } from "../shared/clock.js";

export interface AuditEntry {
  readonly actor: ActorRef;
  readonly action: string;
  readonly target?: { readonly type: string; readonly id: string | number };
  readonly before?: unknown;
  readonly after?: unknown;
}

/** Where audit events are appended; the store never updates or deletes one. */
export interface AuditStore {
  append(event: Omit<AuditEvent, "id">): Promise<void>;
  appendMany(events: readonly Omit<AuditEvent, "id">[]): Promise<void>;
  /** The newest events about one target. */
  about(targetType: string, targetId: string, limit: number): Promise<AuditEvent[]>;
  latest(limit: number): Promise<AuditEvent[]>;
  latestOf(action: string): Promise<AuditEvent | null>;
  /** Events matching a filter, newest first, older than `beforeId` when given. */
  query(filter: AuditFilter, beforeId: number | null, limit: number): Promise<AuditEvent[]>;
}

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** The append-only record of what people and workers did. */
export class AuditService {
  constructor(private readonly store: AuditStore, private readonly clock: Clock) {}

  /** Appends one event, stamped with the current time. */
  async record(entry: AuditEntry): Promise<void> {
    await this.store.append(this.eventOf(entry, this.clock.now()));
  }

  /** Appends several events at once (a bulk edit writes one per video). */
  async recordMany(entries: readonly AuditEntry[]): Promise<void> {
    const at = this.clock.now();
    await this.store.appendMany(entries.map((e) => this.eventOf(e, at)));
  }

  /** The newest events about one thing, newest first. */
  about(targetType: string, targetId: string | number, limit = 10): Promise<AuditEvent[]> {
    return this.store.about(targetType, String(targetId), limit);
  }

  private eventOf(entry: AuditEntry, at: number): Omit<AuditEvent, "id"> {
    return {
      at,
      actorKind: entry.actor.kind,
      actorId: actorId(entry.actor),
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target === undefined ? null : String(entry.target.id),
      before: json(entry.before),
      after: json(entry.after),
    };
  }

  /** The newest event of one kind, or null. */
  latestOf(action: string): Promise<AuditEvent | null> {
    return this.store.latestOf(action);
  }

  /** Events matching a filter, newest first (paged by id); for those allowed to read the audit trail. */
  query(actor: Actor, filter: AuditFilter, beforeId: number | null = null, limit = 20): Promise<AuditEvent[]> {
    requirePermission(actor, "audit");
    return this.store.query(filter, beforeId, limit);
  }

  /** A video's change history as shown on its card; for editors and above. */
  history(actor: Actor, videoId: number, limit: number): Promise<AuditEvent[]> {
    requirePermission(actor, "history");
    return this.store.about("video", String(videoId), limit);
  }

  /** The newest events first. */
  latest(limit = 20): Promise<AuditEvent[]> {
    return this.store.latest(limit);
  }
}
