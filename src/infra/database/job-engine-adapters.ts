import type { DataSource } from "typeorm";
import type { Clock } from "../../services/shared/clock.js";
import { engineClock } from "./database-clock.js";
import type { Logger } from "../logging/logger.js";
import { enqueueSignalFor, type ClosableEnqueueSignal } from "./postgres-notify.js";

/** What a process of the job engine needs from its database: one clock for leases, and wake-ups between processes. */
export interface JobEngineAdapters {
  /** The server's clock on PostgreSQL (processes on several machines compare each other's lease ends), this process's on SQLite. */
  readonly clock: Clock;
  /** LISTEN/NOTIFY on PostgreSQL, nothing on SQLite; close it after the runner stopped. */
  readonly signal: ClosableEnqueueSignal;
}

/** The job engine's clock and enqueue signal for the database (see engineClock and enqueueSignalFor). */
export async function jobEngineAdapters(dataSource: DataSource, logger: Pick<Logger, "warn">): Promise<JobEngineAdapters> {
  const clock = await engineClock(dataSource);
  return { clock, signal: await enqueueSignalFor(dataSource, logger) };
}
