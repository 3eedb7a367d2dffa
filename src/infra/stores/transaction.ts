import type { DataSource, EntityManager } from "typeorm";

const queues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * One TypeORM transaction. On SQLite it runs after any other begun through here on the same DataSource has
 * ended: better-sqlite3 gives TypeORM one connection, so two transactions open at once would nest (the second
 * becomes a savepoint of the first and is rolled back with it). On PostgreSQL each transaction takes a pooled
 * connection of its own and they run side by side, isolated by the server; queueing them would only make
 * one slow transaction hold up every other. Keep the body to database work: no Telegram or filesystem calls
 * while a connection (or, on SQLite, the queue) waits.
 */
export function inTransaction<T>(dataSource: DataSource, body: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type === "postgres") return dataSource.transaction(body);
  const previous = queues.get(dataSource) ?? Promise.resolve();
  const run = previous.then(() => dataSource.transaction(body));
  queues.set(dataSource, run.catch(() => undefined));
  return run;
}
