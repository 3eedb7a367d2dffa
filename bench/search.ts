import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { DataSource } from "typeorm";
import { openDatabase, type DatabaseOptions } from "../src/infra/database/database.js";
import { searchIndexFor } from "../src/composition.js";
import { postgresServer } from "../test/support/postgres-cluster.js";
import { DEFAULT_ABBREVIATIONS } from "../src/services/search/abbreviations.js";
import { words } from "../src/services/search/normalise.js";
import { inlineAnswer } from "../src/bot/views/inline-results.js";
import { SqliteCatalogStore } from "../src/infra/database/stores/catalog-store.js";
import { TypeormAuditStore } from "../src/infra/database/stores/audit-store.js";
import { AuditService } from "../src/services/audit/audit.js";
import { CatalogService } from "../src/services/catalog/catalog-service.js";
import { systemClock } from "../src/services/shared/clock.js";
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

/** What one database measured, and each query's first page, to compare the databases' answers. */
interface Figures {
  readonly indexed: number;
  readonly buildSeconds: number;
  readonly times: number[];
  readonly inlineTimes: number[];
  readonly hits: number;
  readonly slowest: string[];
  readonly answers: string[];
  readonly likeP50: number | null;
}

/** The generated library, written as a scan writes it (SQL in the database's own placeholders). */
async function seedLibrary(dataSource: DataSource, postgres: boolean, names: readonly string[]): Promise<void> {
  const mark = (n: number): string => (postgres ? `$${n}` : "?");
  const orIgnore = postgres ? ["INSERT INTO", "ON CONFLICT DO NOTHING"] : ["INSERT OR IGNORE INTO", ""];
  await dataSource.transaction(async (m) => {
    for (const [i, tag] of TAGS.entries()) await m.query(`INSERT INTO tag (id, name, key, created_at) VALUES (${mark(1)}, ${mark(2)}, ${mark(3)}, 1)`, [i + 1, tag, tag]);
    for (let i = 0; i < VIDEOS; i += 500) {
      const rows = Array.from({ length: Math.min(500, VIDEOS - i) }, (_, k) => { const name = names[i + k] ?? ""; return [`/lib/${i + k}/${name}`, "/lib", `${i + k}/${name}`, name]; });
      const values = rows.map((_, r) => `(${[1, 2, 3, 4].map((c) => mark(r * 4 + c)).join(", ")}, '.mp4', 1, 1, 'indexed', 1, 1)`);
      await m.query(`INSERT INTO video (path, root, relative_path, file_name, extension, size_bytes, mtime_ms, status, created_at, updated_at) VALUES ${values.join(", ")}`, rows.flat());
    }
    await m.query(`INSERT INTO video_tag (video_id, tag_id) SELECT id, 1 + (id * 7) % ${TAGS.length} FROM video`);
    await m.query(`${orIgnore[0]} video_tag (video_id, tag_id) SELECT id, 1 + (id * 3) % ${TAGS.length} FROM video WHERE id % 2 = 0 ${orIgnore[1]}`);
    // What the scanner does for the rows it writes: list them for the search index.
    await m.query(`INSERT INTO search_dirty (video_id) SELECT id FROM video`);
  });
}

async function measure(options: DatabaseOptions, names: readonly string[], queries: readonly string[]): Promise<Figures> {
  const { dataSource } = await openDatabase(options);
  try {
    const postgres = options.driver === "postgres";
    process.stdout.write(`${postgres ? "PostgreSQL" : "SQLite"}: inserting ${VIDEOS} videos…\n`);
    await seedLibrary(dataSource, postgres, names);
    const search = new SearchService(searchIndexFor(dataSource), () => DEFAULT_ABBREVIATIONS);
    const buildStart = performance.now();
    const indexed = await search.refresh();
    const buildSeconds = (performance.now() - buildStart) / 1000;
    for (const q of queries.slice(0, 50)) await search.search(q, { limit: 10, offset: 0 }); // warm-up
    const times: number[] = [];
    const timed: [number, string][] = [];
    const answers: string[] = [];
    let hits = 0;
    for (const q of queries) {
      const start = performance.now();
      const outcome = await search.search(q, { limit: 10, offset: 0 });
      times.push(performance.now() - start);
      timed.push([performance.now() - start, q]);
      if (outcome.ok && outcome.total > 0) hits++;
      answers.push(JSON.stringify(outcome));
    }
    times.sort((a, b) => a - b);
    // Baseline (SQLite only, as before): what a search without an index does, a LIKE scan per word over names and folders.
    let likeP50: number | null = null;
    if (!postgres) {
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
      likeP50 = percentile(likeTimes, 0.5);
    }
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
    return { indexed, buildSeconds, times, inlineTimes, hits, slowest, answers, likeP50 };
  } finally {
    await dataSource.destroy();
  }
}

/**
 * A PostgreSQL database for the same run: in BENCH_PG_URL's server, else VIDLIB_TEST_PG_URL's, else a
 * throwaway cluster when PostgreSQL is installed (as the tests find one). BENCH_PG=0 leaves it out.
 */
async function postgresDatabase(): Promise<{ url: string; drop: () => Promise<void> } | { unavailable: string }> {
  if (process.env.BENCH_PG === "0") return { unavailable: "BENCH_PG=0" };
  const given = process.env.BENCH_PG_URL?.trim();
  const server = postgresServer(given ? { VIDLIB_TEST_PG_URL: given } : process.env);
  if ("unavailable" in server) return server;
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try { await client.query(sql); } finally { await client.end(); }
  };
  const name = `vidlib_bench_${process.pid}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: async () => { try { await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`); } finally { server.stop(); } } };
}

const report = (name: string, f: Figures): void => {
  process.stdout.write(`${name}: slowest queries: ${f.slowest.join("; ")}\n`);
  process.stdout.write(`${name}: index build for ${f.indexed} videos: ${round(f.buildSeconds, 2)} s (target ≤ 3)\n`);
  process.stdout.write(`${name}: search over ${QUERIES} queries (${f.hits} with results): p50 ${round(percentile(f.times, 0.5), 2)} ms, p99 ${round(percentile(f.times, 0.99), 2)} ms (target p99 ≤ 10)\n`);
  process.stdout.write(`${name}: inline answer (50 results) over ${QUERIES} queries: p50 ${round(percentile(f.inlineTimes, 0.5), 2)} ms, p99 ${round(percentile(f.inlineTimes, 0.99), 2)} ms\n`);
};

const work = mkdtempSync(join(tmpdir(), "vidlib-bench-search-"));
try {
  // Names first, then queries, from the one fixed sequence: the same library and queries as every earlier run, for both databases.
  const names = Array.from({ length: VIDEOS }, (_, i) => nameOf(i));
  const queries = Array.from({ length: QUERIES }, queryOf);
  const lite = await measure({ path: join(work, "vidlib.sqlite") }, names, queries);
  const database = await postgresDatabase();
  let postgres: Figures | null = null;
  if ("url" in database) {
    try { postgres = await measure({ driver: "postgres", url: database.url }, names, queries); } finally { await database.drop(); }
  }
  report("SQLite", lite);
  const baselineP50 = lite.likeP50 ?? 0;
  process.stdout.write(`baseline LIKE scan over ${BASELINE_QUERIES} queries: p50 ${round(baselineP50, 2)} ms, ${round(baselineP50 / percentile(lite.times, 0.5), 1)}× the index's p50\n`);
  // The same queries must get the same answers (totals and first pages) from both databases.
  const differing = postgres === null ? null : postgres.answers.filter((a, i) => a !== lite.answers[i]).length;
  if (postgres === null) process.stdout.write(`PostgreSQL: not measured (${"unavailable" in database ? database.unavailable : ""})\n`);
  else {
    report("PostgreSQL", postgres);
    process.stdout.write(`PostgreSQL and SQLite answers differ for ${differing} of ${QUERIES} queries (must be 0)\n`);
  }
  const pgFields = postgres === null ? { pg_search_p50_ms: null, pg_search_p99_ms: null } : {
    pg_build_s: round(postgres.buildSeconds, 2), pg_search_p50_ms: round(percentile(postgres.times, 0.5), 2), pg_search_p99_ms: round(percentile(postgres.times, 0.99), 2),
    pg_inline_p50_ms: round(percentile(postgres.inlineTimes, 0.5), 2), pg_inline_p99_ms: round(percentile(postgres.inlineTimes, 0.99), 2), pg_differing_answers: differing,
  };
  process.stdout.write(JSON.stringify({ bench: "search", videos: VIDEOS, queries: QUERIES, build_s: round(lite.buildSeconds, 2), search_p50_ms: round(percentile(lite.times, 0.5), 2),
    search_p99_ms: round(percentile(lite.times, 0.99), 2),
    inline_p50_ms: round(percentile(lite.inlineTimes, 0.5), 2), inline_p99_ms: round(percentile(lite.inlineTimes, 0.99), 2), like_p50_ms: round(baselineP50, 2), like_over_search_p50: round(baselineP50 / percentile(lite.times, 0.5), 1),
    queries_with_results: lite.hits, ...pgFields }) + "\n");
} finally {
  rmSync(work, { recursive: true, force: true });
}
