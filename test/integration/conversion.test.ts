import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync, readdirSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DataSource } from "typeorm";
import { userActor } from "../../src/services/people/actor.js";
import { RETRY_DELAYS_MS } from "../../src/services/conversion/conversion-service.js";
import { makeTestDatabase } from "../support/database.js";
import { makeConversion } from "../support/conversion-harness.js";
import { frameHashes, streamsOf, topLevelBoxes } from "../support/frames.js";
import { makeClip } from "../support/media.js";
import { makeTempDir } from "../support/temp-dir.js";

const ADMIN = userActor(1001, "owner");
let db: { dataSource: DataSource; close: () => Promise<void> };
let tmp: ReturnType<typeof makeTempDir>;
let root: string;

beforeEach(async () => {
  db = await makeTestDatabase();
  tmp = makeTempDir();
  root = join(tmp.dir, "library");
});
afterEach(async () => {
  await db.close();
  tmp.cleanup();
});

const leftovers = (dir: string): string[] => readdirSync(dir).filter((n) => n.includes(".vidlib-"));

describe("conversion with real ffmpeg", () => {
  it("remuxes an H.264/AAC .ts without re-encoding: same frames, same codec parameters, faststart, source kept", async () => {
    const source = makeClip(join(root, "Phy", "L01 <&> 😀.ts"), { seconds: 6, size: "320x180", pattern: "testsrc2", rate: 25 });
    const sourceBytes = readFileSync(source);
    const c = await makeConversion(db.dataSource, root, join(tmp.dir, "tmp"));
    await c.scan();
    const id = await c.idOf(join("Phy", "L01 <&> 😀.ts"));
    expect((await c.service.request([id], "card", ADMIN)).queued).toEqual([id]);
    expect(await c.runNext()).toBe(true);
    const job = (await c.service.latestFor([id])).get(id);
    expect(job?.state).toBe("done");
    expect(job?.mode).toBe("remux");
    const output = join(root, "Phy", "L01 <&> 😀.mp4");
    expect(job?.outputPath).toBe(output);
    // Identical decoded frames: a stream copy (any re-encode by x264 changes them), shown without timing it.
    expect(frameHashes(output)).toEqual(frameHashes(source));
    const [inV, inA] = streamsOf(source);
    const [outV, outA] = streamsOf(output);
    expect({ ...outV, codec_type: undefined }).toMatchObject({ codec_name: inV?.codec_name, profile: inV?.profile, width: inV?.width, height: inV?.height, pix_fmt: inV?.pix_fmt });
    expect(outA).toMatchObject({ codec_name: inA?.codec_name, sample_rate: inA?.sample_rate, channels: inA?.channels });
    const boxes = topLevelBoxes(output);
    expect(boxes.indexOf("moov")).toBeLessThan(boxes.indexOf("mdat"));
    expect(readFileSync(source).equals(sourceBytes)).toBe(true);
    expect(leftovers(join(root, "Phy"))).toEqual([]);
    // The MP4 is indexed at once, as converted from its source.
    const [row] = await db.dataSource.query<{ derived_from_id: number; status: string }[]>(`SELECT derived_from_id, status FROM video WHERE path = ?`, [output]);
    expect(row).toEqual({ derived_from_id: id, status: "indexed" });
    expect(c.notifier.messages.at(-1)).toContain("stream copy, no video re-encode");
  });

  it("streaming-ready: an H.264 recording with MP3 audio keeps its video frames and gets AAC audio, faststart", async () => {
    const source = makeClip(join(root, "mp3 audio.ts"), { seconds: 3, audio: "mp3" });
    const c = await makeConversion(db.dataSource, root, join(tmp.dir, "tmp"));
    await c.scan();
    const id = await c.idOf("mp3 audio.ts");
    await c.service.request([id], "card", ADMIN);
    expect(await c.runNext()).toBe(true);
    expect((await c.service.latestFor([id])).get(id)?.mode).toBe("remux");
    const output = join(root, "mp3 audio.mp4");
    // Identical decoded frames: a stream copy (any re-encode by x264 changes them), shown without timing it.
    expect(frameHashes(output)).toEqual(frameHashes(source));
    const [v, a] = streamsOf(output);
    expect(v).toMatchObject({ codec_name: "h264", pix_fmt: "yuv420p" });
    expect(a).toMatchObject({ codec_name: "aac" });
    const boxes = topLevelBoxes(output);
    expect(boxes.indexOf("moov")).toBeLessThan(boxes.indexOf("mdat"));
  });

  it("re-encodes MPEG-2 to H.264 High + AAC, and HEVC in .mp4 to a second MP4 beside it", async () => {
    makeClip(join(root, "mpeg2.ts"), { seconds: 2, video: "mpeg2", audio: "mp3" });
    makeClip(join(root, "hevc.mp4"), { seconds: 2, video: "hevc" });
    const c = await makeConversion(db.dataSource, root, join(tmp.dir, "tmp"));
    await c.scan();
    const ids = [await c.idOf("mpeg2.ts"), await c.idOf("hevc.mp4")];
    expect((await c.service.request(ids, "bulk", ADMIN)).queued).toEqual(ids);
    while (await c.runNext());
    const jobs = await c.service.latestFor(ids);
    expect(ids.map((id) => jobs.get(id)?.state)).toEqual(["done", "done"]);
    expect(ids.map((id) => jobs.get(id)?.mode)).toEqual(["transcode", "transcode"]);
    for (const out of ["mpeg2.mp4", "hevc (converted).mp4"]) {
      const [v, a] = streamsOf(join(root, out));
      expect(v).toMatchObject({ codec_name: "h264", profile: "High", pix_fmt: "yuv420p" });
      expect(a).toMatchObject({ codec_name: "aac" });
      const boxes = topLevelBoxes(join(root, out));
      expect(boxes.indexOf("moov")).toBeLessThan(boxes.indexOf("mdat"));
    }
    expect(existsSync(join(root, "hevc.mp4"))).toBe(true);
  });

  it("refuses audio-only files and corrupt recordings with a reason, and does not retry them in a loop", async () => {
    makeClip(join(root, "talk.ts"), { seconds: 2, video: "none" });
    // A recording cut off part-way: the header still says 6 s, the data ends after about 2.
    const damaged = makeClip(join(root, "damaged.mkv"), { seconds: 6, size: "320x180", video: "mpeg2", audio: "mp3" });
    const bytes = readFileSync(damaged);
    writeFileSync(damaged, bytes.subarray(0, Math.floor(bytes.length * 0.4)));
    const c = await makeConversion(db.dataSource, root, join(tmp.dir, "tmp"));
    await c.scan();
    const talk = await c.idOf("talk.ts");
    const report = await c.service.request([talk], "card", ADMIN);
    expect(report.queued).toEqual([]);
    expect(report.impossible[0]?.why).toBe("it is audio only: there is no picture to convert");
    const [row] = await db.dataSource.query<{ status: string }[]>(`SELECT status FROM video WHERE relative_path = 'damaged.mkv'`);
    expect(row?.status).toBe("indexed");
    const id = await c.idOf("damaged.mkv");
    await c.service.request([id], "card", ADMIN);
    expect(await c.runNext()).toBe(true);
    const job = (await c.service.latestFor([id])).get(id);
    expect(job?.state).toBe("failed");
    expect(job?.reason).toMatch(/did not verify: it lasts 2\.\d s, the source 6\.0 s/);
    expect(job?.attempts).toBe(1);
    expect(await c.runNext()).toBe(false);
    expect(c.notifier.messages.at(-1)).toContain("Conversion failed");
    expect(c.notifier.messages.at(-1)).toContain("<pre>");
    expect(leftovers(root)).toEqual([]);
    expect(existsSync(join(root, "damaged.mp4"))).toBe(false);
    // "Retry all failed" queues it once more; it fails the same way, once.
    expect(await c.service.retryFailed(ADMIN)).toBe(1);
    expect(await c.runNext()).toBe(true);
    expect(await c.runNext()).toBe(false);
    expect((await c.service.latestFor([id])).get(id)?.state).toBe("failed");
  });

  it("compresses a result over the upload limit to fit under it, and fails clearly when even the lowest quality cannot fit", async () => {
    makeClip(join(root, "big.ts"), { seconds: 10, size: "640x360", pattern: "testsrc2", rate: 25 });
    const limit = 1024 * 1024;
    const c = await makeConversion(db.dataSource, root, join(tmp.dir, "tmp"), { uploadLimitBytes: limit });
    await c.scan();
    const id = await c.idOf("big.ts");
    const [{ size_bytes: sourceSize } = { size_bytes: 0 }] = await db.dataSource.query<{ size_bytes: number }[]>(`SELECT size_bytes FROM video WHERE id = ?`, [id]);
    expect(sourceSize).toBeGreaterThan(limit);
    await c.service.request([id], "card", ADMIN);
    await c.runNext();
    const job = (await c.service.latestFor([id])).get(id);
    expect({ state: job?.state, reason: job?.reason, tail: job?.errorTail }).toEqual({ state: "done", reason: expect.anything(), tail: [] });
    expect(job?.mode).toBe("compress");
    const out = readFileSync(join(root, "big.mp4"));
    expect(out.length).toBeLessThanOrEqual(limit);
    expect(out.length).toBeGreaterThan(limit * 0.5);
    expect(streamsOf(join(root, "big.mp4")).map((s) => s.codec_name)).toEqual(["h264", "aac"]);
    expect(readdirSync(join(tmp.dir, "tmp"))).toEqual([]);

    const tiny = await makeConversion(db.dataSource, root, join(tmp.dir, "tmp"), { uploadLimitBytes: 100 * 1024 });
    makeClip(join(root, "long.ts"), { seconds: 10, size: "640x360", pattern: "testsrc2", rate: 25 });
    await tiny.scan();
    const longId = await tiny.idOf("long.ts");
    await tiny.service.request([longId], "card", ADMIN);
    await tiny.runNext();
    const failed = (await tiny.service.latestFor([longId])).get(longId);
    expect(failed?.state).toBe("failed");
    expect(failed?.reason).toContain("lowest acceptable quality");
    expect(existsSync(join(root, "long.mp4"))).toBe(false);
  });

  it("cancels a queued job at once and a running one by stopping ffmpeg, leaving no temporary file", async () => {
    makeClip(join(root, "slow.ts"), { seconds: 20, video: "mpeg2", size: "640x360", pattern: "testsrc2", rate: 25 });
    makeClip(join(root, "next.ts"), { seconds: 1, video: "mpeg2" });
    const c = await makeConversion(db.dataSource, root, join(tmp.dir, "tmp"));
    await c.settings.setPreset("veryslow", ADMIN);
    await c.scan();
    const [slow, next] = [await c.idOf("slow.ts"), await c.idOf("next.ts")];
    await c.service.request([slow, next], "bulk", ADMIN);
    const nextJob = (await c.service.latestFor([next])).get(next);
    expect(await c.service.cancel(nextJob?.id ?? 0, ADMIN)).toBe("cancelled");
    const running = c.runNext();
    const slowJob = (await c.service.latestFor([slow])).get(slow);
    for (let i = 0; i < 200 && ((await c.store.job(slowJob?.id ?? 0))?.progress ?? 0) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(leftovers(root).length).toBe(1);
    expect(await c.service.cancel(slowJob?.id ?? 0, ADMIN)).toBe("stopping");
    await running;
    expect((await c.store.job(slowJob?.id ?? 0))?.state).toBe("cancelled");
    expect(leftovers(root)).toEqual([]);
    expect(existsSync(join(root, "slow.mp4"))).toBe(false);
    expect(await c.runNext()).toBe(false);
    const events = await c.audit.about("conversion", slowJob?.id ?? 0);
    expect(events.map((e) => e.action)).toContain("conversion.cancel");
  });

  it("a conversion whose engine job ended without it (its process died on the last attempt) stops looking active, and can be asked again; a row left without a job gets one", async () => {
    makeClip(join(root, "lost.ts"), { seconds: 1, video: "mpeg2" });
    makeClip(join(root, "orphan.ts"), { seconds: 1, video: "mpeg2" });
    const c = await makeConversion(db.dataSource, root, join(tmp.dir, "tmp"));
    await c.scan();
    const [lost, orphan] = [await c.idOf("lost.ts"), await c.idOf("orphan.ts")];
    await c.service.request([lost], "card", ADMIN);
    const row = (await c.service.latestFor([lost])).get(lost);
    // As the engine's sweep leaves a job whose worker stopped answering on its last attempt.
    await db.dataSource.query(`UPDATE conversion_job SET state = 'running' WHERE id = ?`, [row?.id]);
    await db.dataSource.query(`UPDATE job SET state = 'failed', reason = 'its worker stopped answering on the last attempt' WHERE id = ?`, [row?.engineJobId]);
    // As a process that stopped between writing a request's row and enqueueing its job leaves it.
    await db.dataSource.query(`INSERT INTO conversion_job (video_id, state, origin, actor_kind, actor_id, created_at, updated_at) VALUES (?, 'queued', 'card', 'user', '1001', 1, 1)`, [orphan]);
    const { jobs } = await c.service.overview(10);
    expect(jobs.find((j) => j.videoId === lost)).toMatchObject({ state: "failed", reason: "its worker stopped answering on the last attempt" });
    expect((await c.service.request([lost], "card", ADMIN)).queued).toEqual([lost]);
    expect(await c.runNext()).toBe(true);
    expect(await c.runNext()).toBe(true);
    expect(await c.runNext()).toBe(false);
    expect(existsSync(join(root, "lost.mp4"))).toBe(true);
    expect(existsSync(join(root, "orphan.mp4"))).toBe(true);
  });

  it("queues new non-MP4 files automatically once the setting is on, but not older ones or those with an MP4 beside them", async () => {
    makeClip(join(root, "old.ts"), { seconds: 1 });
    const c = await makeConversion(db.dataSource, root, join(tmp.dir, "tmp"));
    await c.scan();
    expect(await c.service.enqueueAutomatic()).toBe(0);
    await c.settings.setAutoConvert(true, ADMIN);
    await new Promise((r) => setTimeout(r, 5));
    makeClip(join(root, "new.ts"), { seconds: 1 });
    makeClip(join(root, "paired.ts"), { seconds: 1 });
    makeClip(join(root, "paired.mp4"), { seconds: 1 });
    await c.scan();
    expect(await c.service.enqueueAutomatic()).toBe(1);
    const queued = await db.dataSource.query<{ file_name: string; origin: string }[]>(`SELECT v.file_name, j.origin FROM conversion_job j JOIN video v ON v.id = j.video_id`);
    expect(queued).toEqual([{ file_name: "new.ts", origin: "auto" }]);
    expect(await c.service.enqueueAutomatic()).toBe(0);
  });

  it("the automatic sweep reads new files in batches until none is left, however many a scan found", async () => {
    const c = await makeConversion(db.dataSource, root, join(tmp.dir, "tmp"), { autoBatch: 2 });
    await c.settings.setAutoConvert(true, ADMIN);
    await new Promise((r) => setTimeout(r, 5));
    for (const n of [1, 2, 3, 4, 5]) makeClip(join(root, `L0${n}.ts`), { seconds: 1, tag: String(n) });
    await c.scan();
    expect(await c.service.enqueueAutomatic()).toBe(5);
    expect(await c.service.enqueueAutomatic()).toBe(0);
    expect((await c.service.overview(10)).counts.queued).toBe(5);
  });

  it("tries a transient failure (ffmpeg missing) again later, then gives up with the reason", async () => {
    makeClip(join(root, "a.ts"), { seconds: 1 });
    let now = 1_800_000_000_000;
    const c = await makeConversion(db.dataSource, root, join(tmp.dir, "tmp"), { ffmpegPath: join(tmp.dir, "no-ffmpeg"), clock: { now: () => now } });
    await c.scan();
    const id = await c.idOf("a.ts");
    await c.service.request([id], "card", ADMIN);
    for (const delay of RETRY_DELAYS_MS) {
      expect(await c.runNext()).toBe(true);
      expect((await c.service.latestFor([id])).get(id)).toMatchObject({ state: "queued", reason: expect.stringContaining("ffmpeg was not found") });
      expect(await c.runNext()).toBe(false);
      now += delay;
    }
    expect(await c.runNext()).toBe(true);
    expect((await c.service.latestFor([id])).get(id)).toMatchObject({ state: "failed", reason: expect.stringContaining("gave up after 4 attempts") });
  });
});
