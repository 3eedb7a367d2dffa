import pg from "pg";
import type { DataSource } from "typeorm";
import type { Logger } from "../logging/logger.js";
import { localOnlySignal, type EnqueueSignal } from "../../services/jobs/enqueue-signal.js";

/** The channel enqueues are announced on; the payload is the job kind. */
export const JOBS_CHANNEL = "vidlib_jobs";
const RECONNECT_MS = 1000;

/** An enqueue signal that can be closed (the dedicated connection of the PostgreSQL one). */
export interface ClosableEnqueueSignal extends EnqueueSignal {
  close(): Promise<void>;
}

/**
 * LISTEN/NOTIFY as a wake-up hint between processes: each process holds one dedicated connection that
 * LISTENs on `vidlib_jobs` and NOTIFYs on it when it enqueued due work (the kinds of one tick in one go).
 * Its own notifications are ignored. A lost connection is opened again; announcements meanwhile are dropped
 * and the runners' polls find that work.
 */
export class PostgresEnqueueSignal implements ClosableEnqueueSignal {
  private client: pg.Client | null = null;
  private readonly listeners = new Set<(kind: string) => void>();
  private readonly pending = new Set<string>();
  private flushing = false;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  private constructor(private readonly url: string, private readonly logger: Pick<Logger, "warn">) {}

  /** Connects and starts listening before it returns, so no announcement after that is missed. */
  static async connect(url: string, logger: Pick<Logger, "warn">): Promise<PostgresEnqueueSignal> {
    const signal = new PostgresEnqueueSignal(url, logger);
    await signal.listen();
    return signal;
  }

  announce(kind: string): void {
    if (this.closed) return;
    this.pending.add(kind);
    this.scheduleFlush();
  }

  onRemoteEnqueue(listener: (kind: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: "vidlib-listen" });
    client.on("error", (err) => this.lost(client, err));
    client.on("end", () => this.lost(client, null));
    let ownPid = -1;
    client.on("notification", (message) => {
      if (message.channel !== JOBS_CHANNEL || message.processId === ownPid || message.payload === undefined) return;
      for (const listener of this.listeners) listener(message.payload);
    });
    await client.connect();
    ownPid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
    await client.query(`LISTEN ${JOBS_CHANNEL}`);
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
  }

  private lost(client: pg.Client, err: Error | null): void {
    if (this.closed || this.client !== client) return;
    this.client = null;
    this.logger.warn({ err }, "the connection that hears other processes' enqueues was lost; polling finds their work until it is back");
    client.end().catch(() => undefined);
    const again = (): void => {
      this.retry = setTimeout(() => { this.listen().catch(() => { if (!this.closed) again(); }); }, RECONNECT_MS);
      this.retry.unref();
    };
    again();
  }

  private async flush(): Promise<void> {
    const kinds = [...this.pending];
    this.pending.clear();
    try {
      for (const kind of kinds) await this.client?.query("SELECT pg_notify($1, $2)", [JOBS_CHANNEL, kind]);
    } catch (err) {
      this.logger.warn({ err }, "could not tell other processes about new jobs; their polls will find them");
    } finally {
      this.flushing = false;
      if (this.pending.size > 0) this.scheduleFlush();
    }
  }

  /** Announcements of one tick go out together, one NOTIFY per kind. */
  private scheduleFlush(): void {
    if (this.flushing || this.closed) return;
    this.flushing = true;
    setImmediate(() => void this.flush());
  }
}

/** The enqueue signal for a database: LISTEN/NOTIFY on PostgreSQL, none on SQLite (one process). */
export async function enqueueSignalFor(dataSource: DataSource, logger: Pick<Logger, "warn">): Promise<ClosableEnqueueSignal> {
  const options = dataSource.options;
  if (options.type !== "postgres") return { ...localOnlySignal, close: () => Promise.resolve() };
  const url = options.url;
  if (url === undefined) throw new Error("a PostgreSQL database without a URL: vidlib connects by DATABASE_URL");
  return PostgresEnqueueSignal.connect(url, logger);
}
