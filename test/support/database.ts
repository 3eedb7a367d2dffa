import { join } from "node:path";
import type { DataSource } from "typeorm";
import { openDatabase } from "../../src/infra/database/database.js";
import { makeTempDir } from "./temp-dir.js";

/** A migrated SQLite file in a fresh folder, and a function that closes and removes it. */
export async function makeTestDatabase(): Promise<{ dataSource: DataSource; close: () => Promise<void> }> {
  const tmp = makeTempDir();
  const { dataSource } = await openDatabase({ path: join(tmp.dir, "vidlib.sqlite") });
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      tmp.cleanup();
    },
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = 1_700_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; } };
}
