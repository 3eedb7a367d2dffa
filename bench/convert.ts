// npm run bench -- convert: vidlib's conversion against bare ffmpeg on the same files, in the same run.
// Remux: a 60-second and a 10-minute 720p H.264/AAC .ts, vidlib end to end (queue, ffmpeg, ffprobe check,
// publish, index) against `ffmpeg -i in.ts -c copy -movflags +faststart out.mp4`. Transcode: vidlib's
// adapter with its check against bare ffmpeg given the same arguments (the 60-second file; BENCH_FULL=1
// adds the 10-minute one, which takes several minutes on two cores).
import { spawnSync } from "node:child_process";
import { linkSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../src/infra/database/database.js";
import { FfmpegRunner } from "../src/infra/ffmpeg/ffmpeg-runner.js";
import { Ffprobe } from "../src/infra/ffmpeg/ffprobe.js";
import { userActor } from "../src/services/people/actor.js";
import { transcodeSpec } from "../src/services/conversion/conversion-args.js";
import { argvFor } from "../src/services/conversion/ffmpeg-spec.js";
import { makeConversion } from "../test/support/conversion-harness.js";
import { round } from "./support.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FULL = process.env.BENCH_FULL === "1";
const work = mkdtempSync(join(tmpdir(), "vidlib-bench-convert-"));

function ffmpeg(args: string[]): void {
  const result = spawnSync("ffmpeg", args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  if (result.status !== 0) throw new Error(`ffmpeg ${args.join(" ")} failed: ${result.stderr}`);
}

function makeSource(path: string, seconds: number): void {
  ffmpeg(["-v", "error", "-y", "-f", "lavfi", "-i", `testsrc2=size=1280x720:rate=25:duration=${seconds}`, "-f", "lavfi", "-i", `sine=frequency=440:duration=${seconds}`,
    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "50", "-c:a", "aac", "-b:a", "128k", "-f", "mpegts", path]);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const time = async (fn: () => unknown): Promise<number> => { const t = performance.now(); await fn(); return (performance.now() - t) / 1000; };

/** One vidlib conversion, end to end, in a fresh library and database (so the MP4 does not exist yet). */
async function vidlibRemux(source: string, seconds: number, run: number): Promise<number> {
  const dir = join(work, `remux-${seconds}-${run}`);
  const root = join(dir, "library");
  mkdirSync(root, { recursive: true });
  linkSync(source, join(root, "lecture.ts"));
  const { dataSource } = await openDatabase({ path: join(dir, "vidlib.sqlite") });
  try {
    const c = await makeConversion(dataSource, root, join(dir, "tmp"));
    await c.scan();
    const id = await c.idOf("lecture.ts");
    const elapsed = await time(async () => {
      await c.service.request([id], "card", userActor(1, "owner"));
      await c.runNext();
    });
    const job = (await c.service.latestFor([id])).get(id);
    if (job?.state !== "done" || job.mode !== "remux") throw new Error(`expected a remux, got ${job?.state} ${job?.mode}: ${job?.reason}`);
    return elapsed;
  } finally {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

function bareRemux(source: string): number {
  const out = join(work, "bare.mp4");
  const t = performance.now();
  ffmpeg(["-v", "error", "-y", "-i", source, "-c", "copy", "-movflags", "+faststart", out]);
  const s = (performance.now() - t) / 1000;
  rmSync(out, { force: true });
  return s;
}

async function transcodePair(source: string): Promise<{ vidlib: number; bare: number }> {
  const runner = new FfmpegRunner({ ffmpegPath: "ffmpeg", niceness: 0 });
  const probe = new Ffprobe({ ffprobePath: "ffprobe", timeoutMs: 60_000 });
  const out = join(work, "t.mp4");
  const spec = transcodeSpec(source, out, true, "veryfast");
  const vidlib = await time(async () => {
    const outcome = await runner.run(spec, { onProgress: () => undefined });
    if (!outcome.ok) throw new Error(outcome.reason);
    if (!(await probe.probe(out)).ok) throw new Error("unreadable output");
  });
  rmSync(out, { force: true });
  const bare = await time(() => ffmpeg(argvFor(spec)));
  rmSync(out, { force: true });
  return { vidlib, bare };
}

const sources = [{ seconds: 60, path: join(work, "60s.ts") }, { seconds: 600, path: join(work, "600s.ts") }];
const figures: Record<string, number> = {};
try {
  for (const s of sources) {
    process.stdout.write(`generating a ${s.seconds}-second 720p H.264/AAC .ts…\n`);
    makeSource(s.path, s.seconds);
  }
  for (const s of sources) {
    const ours: number[] = [];
    const bare: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      bare.push(bareRemux(s.path));
      ours.push(await vidlibRemux(s.path, s.seconds, run));
    }
    const ratio = median(bare) / median(ours);
    figures[`remux_${s.seconds}s_vidlib_s`] = round(median(ours));
    figures[`remux_${s.seconds}s_bare_s`] = round(median(bare));
    figures[`remux_${s.seconds}s_throughput_ratio`] = round(ratio, 2);
    process.stdout.write(`remux ${s.seconds} s: vidlib ${round(median(ours))} s (${round(s.seconds / median(ours), 0)}× realtime), bare ffmpeg ${round(median(bare))} s: throughput ratio ${round(ratio, 2)} (target ≥ 0.8)\n`);
  }
  for (const s of sources.filter((x) => FULL || x.seconds === 60)) {
    const { vidlib, bare } = await transcodePair(s.path);
    figures[`transcode_${s.seconds}s_vidlib_s`] = round(vidlib);
    figures[`transcode_${s.seconds}s_bare_s`] = round(bare);
    figures[`transcode_${s.seconds}s_throughput_ratio`] = round(bare / vidlib, 2);
    process.stdout.write(`transcode ${s.seconds} s: vidlib ${round(vidlib)} s, bare ffmpeg (same arguments) ${round(bare)} s: throughput ratio ${round(bare / vidlib, 2)} (target ≥ 0.9)\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(figures)}\n`);
