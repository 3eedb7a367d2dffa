import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../src/infra/database.js";
import { SqliteSearchIndex } from "../src/infra/stores/sqlite-fts-search-index.js";
import { DEFAULT_ABBREVIATIONS } from "../src/services/search/abbreviations.js";
import { words } from "../src/services/search/normalise.js";
import { inlineAnswer } from "../src/bot/views/inline-results.js";
import { SqliteCatalogStore } from "../src/infra/stores/catalog-store.js";
import { TypeormAuditStore } from "../src/infra/stores/audit-store.js";
import { AuditService } from "../src/services/audit.js";
import { CatalogService } from "../src/services/catalog/catalog-service.js";
import { systemClock } from "../src/services/clock.js";
import { SearchService } from "../src/services/search/search-service.js";
import { round } from "./support.js";

const VIDEOS = Number(process.env.BENCH_VIDEOS ?? 100_000);
const QUERIES = 1000;
const BASELINE_QUERIES = 100;
const EXAMS = ["JEE-Adv", "JEE-Main", "NEET", "CBSE-12", "CBSE-11", "Foundation", "Olympiad", "KVPY"];
const SUBJECTS = ["Phy", "Chem", "Maths", "Bio", "Eng", "CS"];
const TOPICS = ["ElectroStatics", "Magnetism", "Optics", "Thermodynamics", "Kinematics", "OrganicChemistry", "Genetics", "Algebra",
  "Calculus", "Probability", "Trigonometry", "ChemicalBonding", "Electrochemistry", "HumanPhysiology", "Grammar", "DataStructures",
  "WaveOptics", "ModernPhysics", "Polymers", "Ecology", "Vectors", "Matrices", "Atoms", "Nuclei"];
const TAGS = ["revision", "exam-prep", "important", "doubt-session", "crash-course", "2024", "hindi", "english-medium", "one-shot", "pyq"];

// A fixed sequence, so that every run measures the same library and queries.
let seed = 42;
const random = (n: number): number => { seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; return (seed >>> 8) % n; }; // low bits of an LCG repeat quickly
const pick = <T>(list: readonly T[]): T => list[random(list.length)] as T;

function nameOf(i: number): string {
  return `${pick(EXAMS)}_${pick(SUBJECTS)}-${pick(TOPICS)}_L${String(1 + (i % 60)).padStart(2, "0")}${random(4) === 0 ? "_part2" : ""}.${random(3) === 0 ? "ts" : "mp4"}`;
}

function queryOf(): string {
  const forms = [
    () => `${pick(TOPICS).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()} lecture ${1 + random(60)}`,
    () => `${pick(EXAMS).toLowerCase().replace("-", " ")} ${pick(SUBJECTS).toLowerCase()} ${pick(TOPICS).slice(0, 5).toLowerCase()}`,
    () => `${pick(TOPICS).toLowerCase()} ${pick(TAGS)}`,
    () => `L${1 + random(60)} ${pick(SUBJECTS)}`,
    () => pick(TOPICS).slice(0, 3),
    () => `${pick(EXAMS)}_${pick(SUBJECTS)}-${pick(TOPICS)}_L0${1 + random(9)}`,
  ];
  return pick(forms)();
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

const work = mkdtempSync(join(tmpdir(), "vidlib-bench-search-"));
try {
  const { dataSource } = await openDatabase({ path: join(work, "vidlib.sqlite") });
  process.stdout.write(`inserting ${VIDEOS} videos…\n`);
  await dataSource.transaction(async (m) => {
    for (const [i, tag] of TAGS.entries()) await m.query(`INSERT INTO tag (id, name, key, created_at) VALUES (?, ?, ?, 1)`, [i + 1, tag, tag]);
    for (let i = 0; i < VIDEOS; i += 500) {
      const rows = Array.from({ length: Math.min(500, VIDEOS - i) }, (_, k) => { const name = nameOf(i + k); return [`/lib/${i + k}/${name}`, "/lib", `${i + k}/${name}`, name]; });
      await m.query(`INSERT INTO video (path, root, relative_path, file_name, extension, size_bytes, mtime_ms, status, created_at, updated_at) VALUES ${rows.map(() => "(?, ?, ?, ?, '.mp4', 1, 1, 'indexed', 1, 1)").join(", ")}`, rows.flat());
    }
    await m.query(`INSERT INTO video_tag (video_id, tag_id) SELECT id, 1 + (id * 7) % ${TAGS.length} FROM video`);
    await m.query(`INSERT OR IGNORE INTO video_tag (video_id, tag_id) SELECT id, 1 + (id * 3) % ${TAGS.length} FROM video WHERE id % 2 = 0`);
    // What the scanner does for the rows it writes: list them for the search index.
    await m.query(`INSERT INTO search_dirty (video_id) SELECT id FROM video`);
  });
  const search = new SearchService(new SqliteSearchIndex(dataSource), () => DEFAULT_ABBREVIATIONS);
  const buildStart = performance.now();
  const indexed = await search.refresh();
  const buildSeconds = (performance.now() - buildStart) / 1000;
  const queries = Array.from({ length: QUERIES }, queryOf);
  for (const q of queries.slice(0, 50)) await search.search(q, { limit: 10, offset: 0 }); // warm-up
  const times: number[] = [];
  const timed: [number, string][] = [];
  let hits = 0;
  for (const q of queries) {
    const start = performance.now();
    const outcome = await search.search(q, { limit: 10, offset: 0 });
    times.push(performance.now() - start);
    timed.push([performance.now() - start, q]);
    if (outcome.ok && outcome.total > 0) hits++;
  }
  times.sort((a, b) => a - b);
  // Baseline: what a search without an index does, a LIKE scan per word over names and folders.
  const likeTimes: number[] = [];
  for (const q of queries.slice(0, BASELINE_QUERIES)) {
    const list = words(q);
    const where = list.map(() => "(relative_path LIKE ?)").join(" AND ") || "1";
    const start = performance.now();
    await dataSource.query(`SELECT id FROM video WHERE ${where} ORDER BY file_name LIMIT 10`, list.map((w) => `%${w}%`));
    await dataSource.query(`SELECT count(*) AS n FROM video WHERE ${where}`, list.map((w) => `%${w}%`));
    likeTimes.push(performance.now() - start);
  }
  likeTimes.sort((a, b) => a - b);
  const baselineP50 = percentile(likeTimes, 0.5);
  // The inline-answer path: search, load 50 videos' details, build the results Telegram receives.
  const catalog = new CatalogService(new SqliteCatalogStore(dataSource), new AuditService(new TypeormAuditStore(dataSource), systemClock), systemClock);
  const inlineTimes: number[] = [];
  for (const q of queries) {
    const start = performance.now();
    const answer = await inlineAnswer(search, catalog, q, 0, "vidlib_bot");
    inlineTimes.push(performance.now() - start);
    if (answer.results.length > 50) throw new Error("more than 50 inline results");
  }
  inlineTimes.sort((a, b) => a - b);
  const slowest = timed.sort((a, b) => b[0] - a[0]).slice(0, 5).map(([ms, q]) => `${q} (${round(ms, 1)} ms)`);
  process.stdout.write(`slowest queries: ${slowest.join("; ")}\n`);
  await dataSource.destroy();
  process.stdout.write(`index build for ${indexed} videos: ${round(buildSeconds, 2)} s (target ≤ 3)\n`);
  process.stdout.write(`search over ${QUERIES} queries (${hits} with results): p50 ${round(percentile(times, 0.5), 2)} ms, p99 ${round(percentile(times, 0.99), 2)} ms (target p99 ≤ 10)\n`);
  process.stdout.write(`inline answer (50 results) over ${QUERIES} queries: p50 ${round(percentile(inlineTimes, 0.5), 2)} ms, p99 ${round(percentile(inlineTimes, 0.99), 2)} ms\n`);
  process.stdout.write(`baseline LIKE scan over ${BASELINE_QUERIES} queries: p50 ${round(baselineP50, 2)} ms, ${round(baselineP50 / percentile(times, 0.5), 1)}× the index's p50\n`);
  process.stdout.write(JSON.stringify({ bench: "search", videos: VIDEOS, queries: QUERIES, build_s: round(buildSeconds, 2), search_p50_ms: round(percentile(times, 0.5), 2),
    search_p99_ms: round(percentile(times, 0.99), 2),
    inline_p50_ms: round(percentile(inlineTimes, 0.5), 2), inline_p99_ms: round(percentile(inlineTimes, 0.99), 2), like_p50_ms: round(baselineP50, 2), like_over_search_p50: round(baselineP50 / percentile(times, 0.5), 1),
    queries_with_results: hits }) + "\n");
} finally {
  rmSync(work, { recursive: true, force: true });
}
