/**
 * Whether a failed query broke a unique (or other) constraint: SQLite says SQLITE_CONSTRAINT_*, PostgreSQL
 * SQLSTATE class 23. TypeORM's QueryFailedError carries the driver's `code`.
 */
export function isConstraintViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return false;
  return code.startsWith("SQLITE_CONSTRAINT") || /^23\d{3}$/.test(code);
}

/** Whether a trigger's RAISE(ABORT, …) (SQLite) or RAISE EXCEPTION (PostgreSQL) carried this message. */
export function raisedMessage(err: unknown, message: string): boolean {
  return err instanceof Error && err.message.includes(message);
}

/** Counts come back as numbers from SQLite and as strings (bigint) from PostgreSQL. */
export function count(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
