import { afterEach, describe, expect, test } from "vitest";
import { join } from "node:path";
import type { DataSource } from "typeorm";
import { UPLOAD_SEND } from "../../src/services/publish/upload-kinds.js";
import { createServices } from "../../src/composition.js";
import { openDatabase } from "../../src/infra/database/database.js";
import { createLogger } from "../../src/infra/logging/logger.js";
import { newProcessOwner } from "../../src/infra/system/process-owner.js";
import { systemClock } from "../../src/services/shared/clock.js";
import { JobRunner } from "../../src/workers/job-runner.js";
import { CaptureStream } from "../support/capture-stream.js";
import { startPublishHarness, type PublishHarness } from "../support/publish-harness.js";
import { queueLibrary } from "../support/queued-library.js";
import { ADMIN_ID } from "../support/app-harness.js";

const CHANNELS = [-1006000000001, -1006000000002, -1006000000003];
const ITEMS = 30;
let h: PublishHarness | undefined;
let second: { runner: JobRunner; ds: DataSource } | undefined;

afterEach(async () => {
  await second?.runner.stop();
  if (second?.ds.isInitialized) await second.ds.destroy();
  second = undefined;
  await h?.stop();
  h = undefined;
});

describe("the upload queue on the job engine", () => {
  test("two runners on one database file (both sending), several channels: every item posted once, never two sends into one channel at once", async () => {
    h = await startPublishHarness();
    CHANNELS.forEach((id, i) => h?.emu.channel({ id, title: `Channel ${i + 1}` }));
    // Every send is held up a little, so sends of the two runners would overlap if the channel's group did not hold.
    h.emu.faults.add({ method: "sendVideo", kind: "delay", ms: 120 }, ITEMS);
    await queueLibrary(h.app.dataSource, join(h.library, "queued"), CHANNELS, ITEMS, ADMIN_ID);

    // A second runner with its own connection to the same file, polling often to compete for every claim.
    const { dataSource: ds } = await openDatabase({ path: h.config.databasePath });
    const logger = createLogger({ level: "warn", pretty: false, secrets: [h.config.telegram.token], destination: new CaptureStream() });
    const services = createServices(ds, h.config, { notifyAdmins: () => Promise.resolve() }, systemClock, logger);
    await services.settings.load();
    const runner = new JobRunner({ store: services.jobStore, queue: services.jobs, clock: systemClock, logger, owner: newProcessOwner(), pollMs: 20 });
    second = { runner, ds };
    // One send at a time here: the app's runner takes the other channels, and the two compete for each next item.
    runner.register(UPLOAD_SEND, (context) => services.delivery.turn(context), 1);
    runner.start();
    // The items get their send jobs through this runner's queue, so it is woken first and surely takes some.
    await services.uploads.reconcile();

    await h.waitFor(async () => (await h!.app.dataSource.query<{ n: number }[]>(`SELECT count(*) AS n FROM upload_job WHERE state = 'sent'`))[0]?.n === ITEMS, "every item sent");
    // The item is recorded sent inside its turn; the engine records the turn's end just after.
    await h.waitFor(async () => (await h!.app.dataSource.query<{ n: number }[]>(`SELECT count(*) AS n FROM job WHERE kind = 'upload.send' AND state IN ('queued', 'running')`))[0]?.n === 0, "every turn ended");
    const sends = h.emu.requests.filter((r) => r.method === "sendVideo" && r.status === 200);
    expect(sends).toHaveLength(ITEMS);
    expect(new Set(sends.map((r) => (typeof r.params.caption === "string" ? r.params.caption : "").split("\n")[0])).size).toBe(ITEMS);
    for (const chat of CHANNELS) {
      const intervals = sends.filter((r) => Number(r.params.chat_id) === chat).map((r) => [r.at, r.answeredAt ?? Infinity] as const).sort((a, b) => a[0] - b[0]);
      expect(intervals).toHaveLength(ITEMS / CHANNELS.length);
      const overlapping = intervals.filter((cur, i) => i > 0 && cur[0] < intervals[i - 1]![1]);
      expect(overlapping).toEqual([]);
    }
    // Each item was sent by one claim of one engine job.
    const jobs = await h.app.dataSource.query<{ state: string; attempts: number; n: number }[]>(
      `SELECT state, attempts, count(*) AS n FROM job WHERE kind = 'upload.send' GROUP BY state, attempts`);
    expect(jobs).toEqual([{ state: "done", attempts: 1, n: ITEMS }]);
    const owners = await h.app.dataSource.query<{ owner: string; n: number }[]>(`SELECT owner, count(*) AS n FROM job WHERE kind = 'upload.send' GROUP BY owner`);
    expect(owners).toHaveLength(2);
  });
});
