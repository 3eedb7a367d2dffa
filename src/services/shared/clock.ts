/** Time as services see it; tests pass a controllable one. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock read from a shared source now and then and run on the process's monotonic clock in between (the
 * database's clock on PostgreSQL, so processes on several machines agree on lease times). `sync` reads the
 * source again when the last reading is old enough, and is cheap otherwise; the job runner calls it before
 * it claims.
 */
export interface SyncedClock extends Clock {
  sync(): Promise<void>;
}

export const isSyncedClock = (clock: Clock): clock is SyncedClock => typeof (clock as Partial<SyncedClock>).sync === "function";
