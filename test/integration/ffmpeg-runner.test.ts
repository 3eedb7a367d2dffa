import { afterAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { FfmpegRunner } from "../../src/infra/ffmpeg/ffmpeg-runner.js";
import { Ffprobe } from "../../src/infra/ffmpeg/ffprobe.js";
import { remuxSpec, transcodeSpec } from "../../src/services/conversion/conversion-args.js";
import { makeClip } from "../support/media.js";
import { makeTempDir } from "../support/temp-dir.js";

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());
const runner = new FfmpegRunner({ ffmpegPath: "ffmpeg", niceness: 10 });
const probe = new Ffprobe({ ffprobePath: "ffprobe", timeoutMs: 20_000 });

describe("the ffmpeg adapter", () => {
  it("runs a spec, reports progress from ffmpeg's status lines, and the output is what the spec asked for", async () => {
    const input = makeClip(join(tmp.dir, "in put <&>.ts"), { seconds: 4, video: "mpeg2" });
    const output = join(tmp.dir, "out.mp4");
    const seen: number[] = [];
    const outcome = await runner.run(transcodeSpec(input, output, true, "veryfast"), { onProgress: (p) => seen.push(p.timeS) });
    expect(outcome.ok).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.max(...seen)).toBeGreaterThan(3);
    const probed = await probe.probe(output);
    expect(probed.ok && probed.media.videoCodec).toBe("h264");
    expect(probed.ok && probed.media.videoProfile).toBe("High");
    expect(probed.ok && probed.media.audioCodec).toBe("aac");
  });

  it("reports a corrupt input as a deterministic failure with ffmpeg's own words", async () => {
    const input = join(tmp.dir, "corrupt.ts");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(input, Buffer.alloc(50_000, 7));
    const outcome = await runner.run(remuxSpec(input, join(tmp.dir, "c.mp4"), true));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.cancelled).toBe(false);
    expect(outcome.transient).toBe(false);
    expect(outcome.reason.length).toBeGreaterThan(0);
    expect(outcome.tail.length).toBeGreaterThan(0);
  });

  it("kills ffmpeg when the signal aborts, and says it was cancelled", async () => {
    const input = makeClip(join(tmp.dir, "long.ts"), { seconds: 30, video: "mpeg2", size: "640x360" });
    const controller = new AbortController();
    const started = Date.now();
    const pending = runner.run(transcodeSpec(input, join(tmp.dir, "long.mp4"), true, "veryslow"), {
      signal: controller.signal, onProgress: () => controller.abort(),
    });
    const outcome = await pending;
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.cancelled).toBe(true);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("says when ffmpeg is not installed, as a transient failure", async () => {
    const missing = new FfmpegRunner({ ffmpegPath: join(tmp.dir, "no-ffmpeg"), niceness: 0 });
    const outcome = await missing.run(remuxSpec(join(tmp.dir, "x.ts"), join(tmp.dir, "x.mp4"), true));
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.transient).toBe(true);
    expect(!outcome.ok && outcome.reason).toContain("ffmpeg was not found");
    expect(existsSync(join(tmp.dir, "x.mp4"))).toBe(false);
  });
});
