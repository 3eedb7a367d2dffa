import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import type { DataSource } from "typeorm";
import { FfmpegRunner } from "../../src/infra/ffmpeg/ffmpeg-runner.js";
import { Ffprobe } from "../../src/infra/ffmpeg/ffprobe.js";
import { NodeConversionFiles } from "../../src/infra/fs/conversion-files.js";
import { engineClock } from "../../src/infra/database/database-clock.js";
import { SqliteConversionStore } from "../../src/infra/database/stores/conversion-store.js";
import { SqliteSettingsStore } from "../../src/infra/database/stores/settings-store.js";
import { userActor } from "../../src/services/people/actor.js";
import type { Clock } from "../../src/services/shared/clock.js";
import { CONVERSION } from "../../src/services/conversion/conversion-kinds.js";
import { ConversionService } from "../../src/services/conversion/conversion-service.js";
import { ConversionExecutor } from "../../src/services/conversion/executor.js";
import { SettingsService } from "../../src/services/settings/settings.js";
import { Video } from "../../src/entities/video.js";
import { ConversionJob } from "../../src/entities/conversion-job.js";
import { Job } from "../../src/entities/job.js";
import { RecordingNotifier } from "../support/conversion-harness.js";
import { deferred, makeJobEngine, until } from "../support/jobs-harness.js";
import { makeClip } from "../support/media.js";
import { eachDatabase, type TestDatabase } from "../support/postgres.js";
import { makeScanner } from "../support/scanner-harness.js";
import { makeTempDir } from "../support/temp-dir.js";

const OWNER = userActor(1001, "owner");

/** The real file operations, except that copying the verified result beside the source waits for the test. */
class GatedFiles extends NodeConversionFiles {
  readonly reached = deferred();
  readonly gate = deferred();

  override async copy(from: string, to: string): Promise<void> {
    this.reached.resolve();
    await this.gate.promise;
    await super.copy(from, to);
  }
}

/** One vidlib process's conversion side: its own scratch folder, executor, service and job runner, on the shared database. */
function conversionProcess(dataSource: DataSource, root: string, scratch: string, clock: Clock, settings: SettingsService, owner: string,
  files: NodeConversionFiles = new NodeConversionFiles()) {
  const { scanner, audit } = makeScanner(dataSource, [root]);
  mkdirSync(scratch, { recursive: true });
  const store = new SqliteConversionStore(dataSource);
  const executor = new ConversionExecutor({
    store, tool: new FfmpegRunner({ ffmpegPath: "ffmpeg", niceness: 0 }), prober: new Ffprobe({ ffprobePath: "ffprobe", timeoutMs: 30_000 }),
    files, adopter: scanner, clock, settings: () => settings.current, uploadLimitBytes: 2000 * 1024 * 1024, tempDir: scratch, progressIntervalMs: 200,
  });
  const engine = makeJobEngine(dataSource, clock, owner);
  const service = new ConversionService({ store, executor, jobs: engine.queue, audit, notifier: new RecordingNotifier(), settings, clock, autoExtensions: [] });
  engine.runner.register(CONVERSION, (context) => service.run(context), 1);
  return { service, engine, runNext: () => engine.runner.runOnce(CONVERSION) };
}

eachDatabase("a conversion's output is put in place only under its lease", (open) => {
  let db: TestDatabase;
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(async () => {
    db = await open();
    tmp = makeTempDir();
  });
  afterEach(async () => {
    await db.close();
    tmp.cleanup();
  });

  /** A library folder holding one recording, scanned, with the engine's clock and the settings loaded. */
  const library = async (recording: string) => {
    const ds = db.dataSource;
    const root = join(tmp.dir, "library");
    makeClip(join(root, recording), { seconds: 2, video: "mpeg2" });
    const clock = await engineClock(ds);
    const { scan, audit } = makeScanner(ds, [root]);
    await scan();
    const settings = new SettingsService(new SqliteSettingsStore(ds), audit, clock);
    await settings.load();
    return { ds, root, clock, settings };
  };

  const mp4sIn = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith(".mp4") && !n.startsWith(".")).sort();
  const hiddenIn = (dir: string): string[] => readdirSync(dir).filter((n) => n.includes(".vidlib-"));

  test("a worker whose job was taken over never renames its output; scratch and hidden copies are cleaned; the job finishes elsewhere", async () => {
    const { ds, root, clock, settings } = await library("Lecture.ts");
    const gated = new GatedFiles();
    const a = conversionProcess(ds, root, join(tmp.dir, "scratch-a"), clock, settings, "host-a:1:aaaa", gated);
    const video = await ds.getRepository(Video).findOneByOrFail({ fileName: "Lecture.ts" });
    expect((await a.service.request([video.id], "card", OWNER)).queued).toEqual([video.id]);

    // Worker A converts and verifies in its scratch folder; beside the source there is only its reserved hidden name.
    const aRun = a.runNext();
    await gated.reached.promise;
    expect(readdirSync(join(tmp.dir, "scratch-a"))).toEqual([expect.stringMatching(/^job-\d+-1-convert\.mp4$/)]);
    expect(hiddenIn(root)).toEqual([expect.stringMatching(/^\.vidlib-\d+-1-convert\.mp4$/)]);
    expect(mp4sIn(root)).toEqual([]);

    // Cut off from the database long enough: its lease ends and worker B takes the job over.
    const jobs = ds.getRepository(Job);
    const [engineJob] = await jobs.find({ where: { kind: CONVERSION.name } });
    await jobs.update({ id: engineJob!.id }, { leaseUntil: clock.now() - 1 });
    const b = conversionProcess(ds, root, join(tmp.dir, "scratch-b"), clock, settings, "host-b:2:bbbb");
    const takenOver = await b.engine.store.claim(CONVERSION.name, "host-b:2:bbbb", clock.now(), CONVERSION.leaseMs);
    expect(takenOver).toMatchObject({ id: engineJob!.id, attempts: 2, owner: "host-b:2:bbbb" });

    // A's late finish: the copy is made, the rename under the lease is refused, and what A wrote is removed.
    gated.gate.resolve();
    expect(await aRun).toBe(true);
    expect(mp4sIn(root)).toEqual([]);
    expect(hiddenIn(root)).toEqual([]);
    expect(readdirSync(join(tmp.dir, "scratch-a"))).toEqual([]);
    expect(await jobs.findOneByOrFail({ id: engineJob!.id })).toMatchObject({ state: "running", owner: "host-b:2:bbbb", attempts: 2 });

    // B stops too (its lease runs out); the next worker carries the job to its end, once, under the final name.
    await jobs.update({ id: engineJob!.id }, { leaseUntil: clock.now() - 1 });
    expect(await b.runNext()).toBe(true);
    expect(await jobs.findOneByOrFail({ id: engineJob!.id })).toMatchObject({ state: "done", owner: "host-b:2:bbbb", attempts: 3 });
    expect(mp4sIn(root)).toEqual(["Lecture.mp4"]);
    expect(hiddenIn(root)).toEqual([]);
    expect(readdirSync(join(tmp.dir, "scratch-b"))).toEqual([]);
    const conversion = await ds.getRepository(ConversionJob).findOneByOrFail({ videoId: video.id });
    expect(conversion).toMatchObject({ state: "done", outputPath: join(root, "Lecture.mp4") });
  });

  test("a cancel asked while the result is being copied stops it before the rename; nothing is left", async () => {
    const { ds, root, clock, settings } = await library("Talk.ts");
    const gated = new GatedFiles();
    const a = conversionProcess(ds, root, join(tmp.dir, "scratch"), clock, settings, "host-a:1:aaaa", gated);
    const video = await ds.getRepository(Video).findOneByOrFail({ fileName: "Talk.ts" });
    await a.service.request([video.id], "card", OWNER);
    const run = a.runNext();
    await gated.reached.promise;
    // Asked from another process: only the database's flag says so (this runner hears of it at its lease step).
    const jobs = ds.getRepository(Job);
    const [engineJob] = await jobs.find({ where: { kind: CONVERSION.name } });
    await jobs.update({ id: engineJob!.id }, { cancelRequested: true });
    gated.gate.resolve();
    expect(await run).toBe(true);
    await until(async () => (await jobs.findOneByOrFail({ id: engineJob!.id })).state === "cancelled", "the job to end cancelled");
    expect((await ds.getRepository(ConversionJob).findOneByOrFail({ videoId: video.id })).state).toBe("cancelled");
    expect(mp4sIn(root)).toEqual([]);
    expect(hiddenIn(root)).toEqual([]);
    expect(readdirSync(join(tmp.dir, "scratch"))).toEqual([]);
  });
});
