import { chmodSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DataSource } from "typeorm";
import { userActor } from "../../src/services/people/actor.js";
import { makeConversion } from "../support/conversion-harness.js";
import { makeTestDatabase } from "../support/database.js";
import { deferred, makeJobEngine, until } from "../support/jobs-harness.js";
import { makeClip } from "../support/media.js";
import { makeTempDir } from "../support/temp-dir.js";
import { NodeConversionFiles } from "../../src/infra/fs/conversion-files.js";
import { ConversionExecutor } from "../../src/services/conversion/executor.js";
import { CONVERSION } from "../../src/services/conversion/conversion-kinds.js";
import { ConversionService } from "../../src/services/conversion/conversion-service.js";
import { FfmpegRunner } from "../../src/infra/ffmpeg/ffmpeg-runner.js";
import { Ffprobe } from "../../src/infra/ffmpeg/ffprobe.js";
import { SqliteConversionStore } from "../../src/infra/database/stores/conversion-store.js";
import { systemClock } from "../../src/services/shared/clock.js";

const OWNER = userActor(1001, "owner");
let db: { dataSource: DataSource; close: () => Promise<void> };
let tmp: ReturnType<typeof makeTempDir>;
let root: string;
let scratch: string;

beforeEach(async () => {
  db = await makeTestDatabase();
  tmp = makeTempDir();
  root = join(tmp.dir, "library");
  scratch = join(tmp.dir, "data", "tmp");
});
afterEach(async () => {
  await db.close();
  tmp.cleanup();
});

const hiddenIn = (dir: string): string[] => readdirSync(dir).filter((n) => n.includes(".vidlib-"));

describe("a conversion's local scratch files", () => {
  test("are gone after a conversion that succeeded", async () => {
    makeClip(join(root, "a.ts"), { seconds: 2, video: "mpeg2" });
    const c = await makeConversion(db.dataSource, root, scratch);
    await c.scan();
    await c.service.request([await c.idOf("a.ts")], "card", OWNER);
    expect(await c.runNext()).toBe(true);
    expect((await c.service.latestFor([await c.idOf("a.ts")])).get(await c.idOf("a.ts"))?.state).toBe("done");
    expect(readdirSync(scratch)).toEqual([]);
    expect(hiddenIn(root)).toEqual([]);
  });

  test("are gone after a conversion whose result did not verify", async () => {
    makeClip(join(root, "b.ts"), { seconds: 2, video: "mpeg2" });
    // An "ffmpeg" that writes something that is not a video where the output goes, and says all went well.
    const fake = join(tmp.dir, "fake-ffmpeg.sh");
    writeFileSync(fake, "#!/bin/sh\nfor last; do :; done\necho 'not a video' > \"$last\"\nexit 0\n");
    chmodSync(fake, 0o755);
    const c = await makeConversion(db.dataSource, root, scratch, { ffmpegPath: fake });
    await c.scan();
    const id = await c.idOf("b.ts");
    await c.service.request([id], "card", OWNER);
    expect(await c.runNext()).toBe(true);
    const job = (await c.service.latestFor([id])).get(id);
    expect(job?.state).toBe("failed");
    expect(job?.reason).toContain("did not verify");
    expect(readdirSync(scratch)).toEqual([]);
    expect(hiddenIn(root)).toEqual([]);
  });

  test("are gone after a cancel while ffmpeg runs", async () => {
    makeClip(join(root, "c.ts"), { seconds: 20, video: "mpeg2", size: "640x360", pattern: "testsrc2", rate: 25 });
    const c = await makeConversion(db.dataSource, root, scratch);
    await c.settings.setPreset("veryslow", OWNER);
    await c.scan();
    const id = await c.idOf("c.ts");
    await c.service.request([id], "card", OWNER);
    const run = c.runNext();
    // ffmpeg has written into scratch, not beside the source (there only the reserved hidden name, empty).
    await until(async () => ((await c.service.latestFor([id])).get(id)?.progress ?? 0) > 0, "the conversion to make progress");
    expect(readdirSync(scratch).some((n) => n.endsWith("-convert.mp4"))).toBe(true);
    const job = (await c.service.latestFor([id])).get(id)!;
    expect(await c.service.cancel(job.id, OWNER)).toBe("stopping");
    await run;
    expect((await c.service.latestFor([id])).get(id)?.state).toBe("cancelled");
    expect(readdirSync(scratch)).toEqual([]);
    expect(hiddenIn(root)).toEqual([]);
  });

  test("left by a crashed process are removed when the job is taken over on the same machine", async () => {
    makeClip(join(root, "d.ts"), { seconds: 2, video: "mpeg2" });
    const c = await makeConversion(db.dataSource, root, scratch);
    await c.scan();
    const id = await c.idOf("d.ts");
    await c.service.request([id], "card", OWNER);

    // A process that "crashes" right after verifying: it never gets past copying (its run is left hanging, as a
    // killed process would leave its files; its lease is ended below as for a process known to be gone).
    const reached = deferred();
    const never = deferred();
    class Stalled extends NodeConversionFiles {
      override async copy(): Promise<void> {
        reached.resolve();
        await never.promise;
      }
    }
    const store = new SqliteConversionStore(db.dataSource);
    const executor = new ConversionExecutor({
      store, tool: new FfmpegRunner({ ffmpegPath: "ffmpeg", niceness: 0 }), prober: new Ffprobe({ ffprobePath: "ffprobe", timeoutMs: 30_000 }),
      files: new Stalled(), adopter: c.scanner, clock: systemClock, settings: () => c.settings.current, uploadLimitBytes: 2000 * 1024 * 1024, tempDir: scratch,
    });
    const dead = makeJobEngine(db.dataSource, systemClock, "host:99999999:dead");
    const service = new ConversionService({ store, executor, jobs: dead.queue, audit: c.audit, notifier: c.notifier, settings: c.settings, clock: systemClock, autoExtensions: [] });
    dead.runner.register(CONVERSION, (context) => service.run(context), 1);
    void dead.runner.runOnce(CONVERSION);
    await reached.promise;
    expect(readdirSync(scratch)).toEqual([expect.stringMatching(/^job-\d+-1-convert\.mp4$/)]);
    expect(hiddenIn(root)).toHaveLength(1);

    // Its lease is ended (as for a process known to be gone); the next attempt cleans up before it starts.
    await dead.store.endLeasesOf("host:99999999:dead", Date.now());
    expect(await c.runNext()).toBe(true);
    expect((await c.service.latestFor([id])).get(id)).toMatchObject({ state: "done", attempts: 2 });
    expect(readdirSync(scratch)).toEqual([]);
    expect(hiddenIn(root)).toEqual([]);
    expect(readdirSync(root).filter((n) => n.endsWith(".mp4"))).toEqual(["d.mp4"]);
  });
});
