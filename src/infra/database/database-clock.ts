import type { DataSource } from "typeorm";
import { systemClock, type Clock, type SyncedClock } from "../../services/shared/clock.js";

/** How old a reading of the database's clock may get before `sync` reads it again. */
const MAX_AGE_MS = 1000;

/**
 * The PostgreSQL server's clock, for the job engine's leases: processes on different machines compare lease
 * ends written by each other, so they take their times from one clock. It is read at most once per
 * `maxAgeMs` (the runner syncs before each claim batch) and advanced on this process's monotonic clock in
 * between; it never goes backwards, even when a new reading is a little behind the extrapolated time.
 */
export class DatabaseClock implements SyncedClock {
  private base = 0;
  private readAt = Number.NEGATIVE_INFINITY;
  private last = 0;
  private reading: Promise<void> | null = null;

  private constructor(private readonly dataSource: DataSource, private readonly maxAgeMs: number) {}

  /** A clock with its first reading taken. */
  static async read(dataSource: DataSource, maxAgeMs = MAX_AGE_MS): Promise<DatabaseClock> {
    const clock = new DatabaseClock(dataSource, maxAgeMs);
    await clock.sync();
    return clock;
  }

  now(): number {
    this.last = Math.max(this.last, Math.round(this.base + performance.now() - this.readAt));
    return this.last;
  }

  async sync(): Promise<void> {
    if (performance.now() - this.readAt < this.maxAgeMs) return;
    this.reading ??= this.readServer().finally(() => { this.reading = null; });
    await this.reading;
  }

  private async readServer(): Promise<void> {
    const sent = performance.now();
    const [row] = await this.dataSource.query<{ ms: number }[]>(`SELECT ${SERVER_NOW_MS} AS "ms"`);
    const received = performance.now();
    // The server read its clock somewhere in the round trip; the middle is the best guess.
    this.base = Number(row!.ms);
    this.readAt = (sent + received) / 2;
  }
}

/** The PostgreSQL server's clock in ms since the epoch, as an SQL expression: every lease end on PostgreSQL is written with it. */
export const SERVER_NOW_MS = "CAST(extract(epoch from clock_timestamp()) * 1000 AS bigint)";

/** The job engine's clock for a database: the server's on PostgreSQL, this process's on SQLite (one machine). */
export async function engineClock(dataSource: DataSource): Promise<Clock> {
  return dataSource.options.type === "postgres" ? DatabaseClock.read(dataSource) : systemClock;
}
