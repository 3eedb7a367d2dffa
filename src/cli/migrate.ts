import { redactDatabaseUrl, type Config } from "../config.js";
import { openDatabase } from "../infra/database/database.js";
import type { Out } from "./command.js";

/** `vidlib migrate`, which the bot also does at start-up. */
export async function migrate(config: Config, out: Out): Promise<number> {
  const { dataSource, applied } = await openDatabase(config.database);
  await dataSource.destroy();
  const name = config.database.driver === "postgres" ? redactDatabaseUrl(config.database.url) : config.database.path;
  out(applied.length === 0 ? `Database ${name} is up to date.` : `Applied: ${applied.join(", ")}`);
  return 0;
}
