import type { DataSource, EntityManager } from "typeorm";

const queues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * One TypeORM transaction, run after any other begun through here on the same DataSource has ended.
 * better-sqlite3 gives TypeORM one connection, so two transactions open at once would nest (the second
 * becomes a savepoint of the first and is rolled back with it). On PostgreSQL's pool each transaction has
 * a connection of its own, and the queue still runs one process's transactions one after another: the
 * stores' read-then-write transactions (e.g. two admins removing the same tag, one told it was already
 * gone) rely on that order within a process, while across processes the server's locks decide. Keep the
 * body to database work: no Telegram or filesystem calls while the queue waits.
 */
export function inTransaction<T>(dataSource: DataSource, body: (manager: EntityManager) => Promise<T>): Promise<T> {
  const previous = queues.get(dataSource) ?? Promise.resolve();
  const sqlite = dataSource.options.type === "better-sqlite3";
  const run = previous.then(() => dataSource.transaction(async (m) => {
    // SQLite: take the write lock first, as BEGIN IMMEDIATE would (TypeORM begins deferred transactions). A
    // transaction that reads and then writes would otherwise fail at once with "database is locked" when
    // another process (a worker, the CLI) wrote in between, instead of waiting its turn (busy timeout).
    if (sqlite) await m.query(`UPDATE "migrations" SET "name" = "name" WHERE 0`);
    return body(m);
  }));
  queues.set(dataSource, run.catch(() => undefined));
  return run;
}
