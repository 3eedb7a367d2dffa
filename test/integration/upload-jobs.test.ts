import { afterEach, beforeEach, expect, test } from "vitest";
import type { DataSource } from "typeorm";
import { UploadJobs, UPLOAD_SEND } from "../../src/services/publish/upload-kinds.js";
import { makeTestDatabase, manualClock } from "../support/database.js";
import { deferred, makeJobEngine, until } from "../support/jobs-harness.js";

let db: Awaited<ReturnType<typeof makeTestDatabase>>;
let ds: DataSource;
beforeEach(async () => { db = await makeTestDatabase(); ds = db.dataSource; });
afterEach(async () => { await db.close(); });

const sends = async () => ds.query<{ key: string; state: string }[]>(`SELECT key, state FROM job WHERE kind = 'upload.send' ORDER BY id`);

test("a send asked for while the item's turn still runs (an approval as the draft's turn ends) is queued behind it, never folded into it; more asks join the waiting one", async () => {
  const engine = makeJobEngine(ds, manualClock(), "A");
  const uploads = new UploadJobs(engine.queue);
  const release = deferred();
  const turns: number[] = [];
  engine.runner.register(UPLOAD_SEND, async ({ job }) => {
    turns.push(job.id);
    if (turns.length === 1) await release.promise;
  }, 2);
  engine.runner.start();
  try {
    const first = await uploads.send(7, 100, 1);
    await until(() => turns.length === 1, "the first turn runs");
    const second = await uploads.send(7, 100, 1);
    expect(second).not.toBe(first);
    expect(await uploads.send(7, 100, 1)).toBe(second);
    expect(await sends()).toEqual([{ key: "upload:7", state: "running" }, { key: "upload:7:next", state: "queued" }]);
    // The channel's group keeps them in order: the second never runs beside the first.
    expect(turns).toEqual([first]);
    release.resolve();
    await until(async () => (await sends()).every((j) => j.state === "done"), "both turns ran");
    expect(turns).toEqual([first, second]);
    // Dropping an item cancels whichever of its sends wait.
    const third = await uploads.send(8, null, 2, Date.now() + 3_600_000);
    await uploads.drop(8);
    expect((await engine.queue.get(third))?.state).toBe("cancelled");
  } finally {
    await engine.runner.stop();
  }
});
