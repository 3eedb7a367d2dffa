import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "../src/infra/database/database.js";
import { Ffprobe } from "../src/infra/ffmpeg/ffprobe.js";
import { LibraryFileSystem } from "../src/infra/fs/library-fs.js";
import { SqliteLibraryIndex } from "../src/infra/database/stores/library-index.js";
import { TypeormAuditStore } from "../src/infra/database/stores/audit-store.js";
import { AuditService } from "../src/services/audit/audit.js";
import { systemClock } from "../src/services/shared/clock.js";
import { systemActor } from "../src/services/people/actor.js";
import pMap from "p-map";
import { LibraryScanner } from "../src/services/library/scanner.js";
import { DEFAULT_VIDEO_EXTENSIONS } from "../src/services/library/extensions.js";
import type { MediaInfo } from "../src/services/library/media.js";
import { medianSeconds, round, sh } from "./support.js";

const FILES = Number(process.env.BENCH_FILES ?? 100_000);
const CLIPS = 200;
const cores = availableParallelism();
const work = join(tmpdir(), `vidlib-bench-scan-${process.pid}`);
const root = join(work, "library");
const databasePath = join(work, "vidlib.sqlite");

function buildTree(): void {
  const perFolder = 100;
  for (let i = 0; i < FILES; i++) {
    const dir = join(root, `course-${Math.floor(i / (perFolder * 20))}`, `unit-${Math.floor(i / perFolder)}`);
    if (i % perFolder === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `Lecture_${String(i).padStart(6, "0")}.${i % 3 === 0 ? "ts" : "mp4"}`), "x");
  }
}

async function indexTree(): Promise<void> {
  // The first scan's probes are not what is measured: a fixed description stands in for ffprobe.
  const media: MediaInfo = { kind: "video", durationS: 60, width: 1280, height: 720, videoCodec: "h264", videoProfile: "High", pixelFormat: "yuv420p", frameRate: 30, audioCodec: "aac", bitRate: 1_000_000, container: "mpegts" };
  const { dataSource } = await openDatabase({ path: databasePath });
  const files = new LibraryFileSystem(new Set(DEFAULT_VIDEO_EXTENSIONS));
  const scanner = new LibraryScanner({ index: new SqliteLibraryIndex(dataSource), lister: files, hasher: files,
    audit: new AuditService(new TypeormAuditStore(dataSource), systemClock), clock: systemClock,
    prober: { probe: () => Promise.resolve({ ok: true, media }) } }, { roots: [root], maxMissingShare: 0.2, settleMs: 0, probeConcurrency: cores });
  const start = scanner.start(systemActor("bench"));
  if (!start.started) throw new Error("scan did not start");
  const report = await start.report;
  if (report.new !== FILES) throw new Error(`indexed ${report.new} of ${FILES}`);
  await dataSource.destroy();
}

interface ChildFigures { cold: number; warm: number; coldRssMb: number; maxRssMb: number }

function rescanInChild(): ChildFigures {
  const child = fileURLToPath(new URL("./scan-child.js", import.meta.url));
  return JSON.parse(execFileSync(process.execPath, [child, databasePath, root], { encoding: "utf8" })) as ChildFigures;
}

async function probeThroughput(): Promise<{ vidlib: number; xargs: number }> {
  const clips = join(work, "clips");
  mkdirSync(clips);
  const first = join(clips, "clip-000.ts");
  execFileSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=25:duration=5", "-f", "lavfi", "-i", "sine=duration=5",
    "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", first]);
  const paths = [first];
  for (let i = 1; i < CLIPS; i++) {
    const p = join(clips, `clip-${String(i).padStart(3, "0")}.ts`);
    copyFileSync(first, p);
    paths.push(p);
  }
  const prober = new Ffprobe({ ffprobePath: "ffprobe", timeoutMs: 60_000 });
  const vidlib = await medianSeconds(3, () => pMap(paths, async (p) => {
    const r = await prober.probe(p);
    if (!r.ok) throw new Error(r.reason);
  }, { concurrency: cores }));
  const xargs = await medianSeconds(3, () => sh(`find ${clips} -name '*.ts' -print0 | xargs -0 -P${cores} -n1 ffprobe -v error -print_format json -show_format -show_streams > /dev/null`));
  return { vidlib: CLIPS / vidlib, xargs: CLIPS / xargs };
}

rmSync(work, { recursive: true, force: true });
mkdirSync(root, { recursive: true });
try {
  process.stdout.write(`building ${FILES} files…\n`);
  buildTree();
  await indexTree();
  sh(`sync; find ${root} -type f -printf '%s %T@\\n' > /dev/null`); // warm the cache for both sides alike
  const findSeconds = await medianSeconds(5, () => spawnSync("bash", ["-c", `find ${root} -type f -printf '%s %T@\\n' > /dev/null`]));
  const runs = [rescanInChild(), rescanInChild(), rescanInChild()];
  const median = (values: number[]): number => values.sort((a, b) => a - b)[1] ?? 0;
  const warm = median(runs.map((r) => r.warm));
  const cold = median(runs.map((r) => r.cold));
  const rss = Math.max(...runs.map((r) => r.coldRssMb));
  const rssTwo = Math.max(...runs.map((r) => r.maxRssMb));
  const probe = await probeThroughput();
  process.stdout.write(`find: ${round(findSeconds)} s\n`);
  process.stdout.write(`vidlib rescan, nothing changed (walk + stat + diff, no probes): ${round(warm)} s in a running process, ratio ${round(warm / findSeconds, 2)} (target ≤ 2); ` +
    `${round(cold)} s as the first scan of a fresh process, ratio ${round(cold / findSeconds, 2)}\n`);
  process.stdout.write(`peak RSS: ${round(rss, 1)} MB after one rescan (target ≤ 300), ${round(rssTwo, 1)} MB after two in one process\n`);
  process.stdout.write(`ffprobe throughput on ${CLIPS} clips: vidlib ${round(probe.vidlib, 1)}/s, xargs -P${cores} ${round(probe.xargs, 1)}/s; ratio ${round(probe.vidlib / probe.xargs, 2)} (target ≥ 0.9)\n`);
  process.stdout.write(JSON.stringify({ bench: "scan", files: FILES, find_s: round(findSeconds), rescan_s: round(warm), ratio: round(warm / findSeconds, 2),
    rescan_cold_s: round(cold), cold_ratio: round(cold / findSeconds, 2), rss_mb: round(rss, 1), rss_two_scans_mb: round(rssTwo, 1),
    probe_per_s: round(probe.vidlib, 1), xargs_probe_per_s: round(probe.xargs, 1), probe_ratio: round(probe.vidlib / probe.xargs, 2) }) + "\n");
} finally {
  rmSync(work, { recursive: true, force: true });
}
