import type { DataSource } from "typeorm";
import type { Config } from "../config.js";
import { openDatabase } from "../infra/database/database.js";
import { jobEngineAdapters } from "../infra/database/job-engine-adapters.js";
import type { Logger } from "../infra/logging/logger.js";
import type { Clock } from "../services/shared/clock.js";
import type { EnqueueSignal } from "../services/jobs/enqueue-signal.js";

/** A command's database (SQLite or PostgreSQL, by the config), with the job engine's clock and enqueue signal for it. */
export interface CommandDatabase {
  readonly dataSource: DataSource;
  /** The engine's clock: the server's on PostgreSQL, so this command's jobs and leases agree with the other processes. */
  readonly clock: Clock;
  /** Wakes the other processes' runners when this command enqueues (LISTEN/NOTIFY on PostgreSQL). */
  readonly enqueueSignal: EnqueueSignal;
  close(): Promise<void>;
}

/** Opens (and migrates) the database the config names, for a command that uses the services. */
export async function openCommandDatabase(config: Config, logger: Pick<Logger, "warn">): Promise<CommandDatabase> {
  const { dataSource } = await openDatabase(config.database);
  try {
    const { clock, signal } = await jobEngineAdapters(dataSource, logger);
    return {
      dataSource, clock, enqueueSignal: signal,
      close: async () => {
        await signal.close();
        await dataSource.destroy();
      },
    };
  } catch (err) {
    await dataSource.destroy();
    throw err;
  }
}
