import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { DEFAULT_VIDEO_EXTENSIONS } from "./services/library/extensions.js";
import { parseWorkRoles, WORK_ROLES, type WorkRole } from "./services/processes/work-roles.js";
import { parseLibraryRoots, parsePathMap, type LibraryFolder } from "./services/library/folders.js";
import { parse as parseDotenv } from "dotenv";
import { readFileSync } from "node:fs";

export const CLOUD_API_ROOT = "https://api.telegram.org";
const MIB = 1024 * 1024;
/** Telegram's limits for bots, in the MB (MiB) the servers count in. */
export const UPLOAD_LIMITS = { cloud: 50 * MIB, local: 2000 * MIB } as const;
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  readonly telegram: {
    readonly token: string;
    readonly apiRoot: string;
    readonly localMode: boolean;
  };
  readonly adminIds: readonly number[];
  /** The library folders by name (LIBRARY_ROOTS), as the primary sees them. */
  readonly libraryFolders: readonly LibraryFolder[];
  /** The library folders' paths, in the same order. */
  readonly libraryRoots: readonly string[];
  /** Where this machine mounts the primary's folders, by name (VIDLIB_PATH_MAP; read by workers); unmapped ones are at the primary's path. */
  readonly pathMap: ReadonlyMap<string, string>;
  /** The work the primary does itself besides its own (PRIMARY_ROLES): conversions and exports by default; none when workers do it all. */
  readonly primaryRoles: readonly WorkRole[];
  readonly ffmpeg: { readonly ffmpegPath: string; readonly ffprobePath: string };
  readonly scan: ScanConfig;
  readonly dataDir: string;
  /** The SQLite file in the data folder; the database itself unless DATABASE_URL names a PostgreSQL server. */
  readonly databasePath: string;
  readonly database: DatabaseConfig;
  /** Where cleanup moves files: the trash (emptied after the trash days), the archive (kept), and ffmpeg's scratch files. */
  readonly folders: { readonly trash: string; readonly archive: string; readonly temp: string; readonly exports: string };
  /** How many files a folder sync copies at once. */
  readonly sync: { readonly concurrency: number };
  /** The largest file vidlib sends: 2000 MB with a Local Bot API server, 50 MB on the cloud API, or lower if set. */
  readonly uploadLimitBytes: number;
  /** Pacing of posts (Telegram's limits) and how long one upload may take. */
  readonly publish: { readonly postsPerMinutePerChannel: number; readonly requestsPerSecond: number; readonly sendTimeoutS: number };
  readonly log: { readonly level: LogLevel; readonly pretty: boolean };
}

export interface ScanConfig {
  /** Lower-case, with the dot. */
  readonly extensions: readonly string[];
  /** A scan that would mark more than this share of a root missing marks nothing (0–1). */
  readonly maxMissingShare: number;
  readonly probeConcurrency: number;
  readonly probeTimeoutMs: number;
  /** Files modified more recently than this are left until they stop changing. */
  readonly settleMs: number;
  readonly watch: boolean;
  readonly watchPolling: boolean;
  readonly pollIntervalMs: number;
  /** Full reconcile interval; 0 turns it off. */
  readonly reconcileIntervalMs: number;
}

/** SQLite in the data folder (the default), or the PostgreSQL server DATABASE_URL names. */
export type DatabaseConfig =
  | { readonly driver: "sqlite"; readonly path: string }
  | { readonly driver: "postgres"; readonly url: string };

/** One problem with one environment variable, phrased for the person fixing it. */
export interface ConfigProblem {
  readonly variable: string;
  readonly expected: string;
}

/** Thrown when the environment cannot produce a valid Config; lists every bad variable at once. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(formatProblems(problems));
    this.name = "ConfigError";
  }
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => `  - ${p.variable}: ${p.expected}`);
  return ["vidlib cannot start: the configuration is incomplete or invalid.", ...lines,
    "Set these in the environment or in a .env file in the working directory (see README, Configuration)."]
    .join("\n");
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Reads `.env` (if present) under the real environment: variables already set win. */
export function environmentWithDotenv(env: Env, cwd: string): Env {
  let fileVars: Record<string, string> = {};
  try {
    fileVars = parseDotenv(readFileSync(resolve(cwd, ".env")));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  return { ...fileVars, ...env };
}

const TOKEN_PATTERN = /^\d{1,20}:[A-Za-z0-9_-]{20,}$/;

interface Parsed<T> { value?: T; problem?: string }

function parseToken(raw: string | undefined, required: boolean): Parsed<string> {
  if (raw === undefined || raw.trim() === "") {
    return required ? { problem: "required; the token @BotFather gave you, like 123456789:AAH…" } : { value: "" };
  }
  // Never echo the value back: it is a secret.
  if (!TOKEN_PATTERN.test(raw.trim())) return { problem: "not a bot token; expected digits, a colon and the secret, like 123456789:AAH…" };
  return { value: raw.trim() };
}

function parseApiRoot(raw: string | undefined): Parsed<string> {
  if (raw === undefined || raw.trim() === "") return { value: CLOUD_API_ROOT };
  try {
    const url = new URL(raw.trim());
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("protocol");
    return { value: url.toString().replace(/\/+$/, "") };
  } catch {
    return { problem: `expected an http(s) URL such as http://127.0.0.1:8081, got "${raw}"` };
  }
}

export function parseBoolean(raw: string | undefined, fallback: boolean): boolean | undefined {
  if (raw === undefined || raw.trim() === "") return fallback;
  const v = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  return undefined;
}

function parseAdminIds(raw: string | undefined): Parsed<number[]> {
  const expected = "comma-separated numeric Telegram user ids, e.g. 123456789,987654321 (the bot tells a stranger their id)";
  if (raw === undefined || raw.trim() === "") return { problem: `required; ${expected}` };
  const parts = raw.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const ids = parts.map((p) => (/^\d{1,16}$/.test(p) ? Number(p) : Number.NaN));
  if (ids.length === 0 || ids.some((n) => !Number.isSafeInteger(n) || n <= 0)) {
    return { problem: `${expected}; got "${raw}"` };
  }
  return { value: [...new Set(ids)] };
}

function parseNumber(raw: string | undefined, fallback: number, min: number, max: number, unit: string): Parsed<number> {
  if (raw === undefined || raw.trim() === "") return { value: fallback };
  const n = Number(raw.trim());
  if (!Number.isFinite(n) || n < min || n > max) return { problem: `a number of ${unit} from ${min} to ${max}, got "${raw}"` };
  return { value: n };
}

function parseExtensions(raw: string | undefined): Parsed<string[]> {
  if (raw === undefined || raw.trim() === "") return { value: [...DEFAULT_VIDEO_EXTENSIONS] };
  const list = raw.split(",").map((e) => e.trim().toLowerCase()).filter((e) => e !== "").map((e) => (e.startsWith(".") ? e : `.${e}`));
  if (list.length === 0 || list.some((e) => !/^\.[a-z0-9]{1,10}$/.test(e))) return { problem: `comma-separated extensions such as .mp4,.ts, got "${raw}"` };
  return { value: [...new Set(list)] };
}

function parseScan(env: Env, take: <T>(variable: string, parsed: Parsed<T>, fallback: T) => T, problems: ConfigProblem[]): ScanConfig {
  const bool = (name: string, fallback: boolean): boolean => {
    const v = parseBoolean(env[name], fallback);
    if (v === undefined) problems.push({ variable: name, expected: `true or false, got "${env[name]}"` });
    return v ?? fallback;
  };
  return {
    extensions: take("VIDEO_EXTENSIONS", parseExtensions(env.VIDEO_EXTENSIONS), [...DEFAULT_VIDEO_EXTENSIONS]),
    maxMissingShare: take("SCAN_MAX_MISSING_PERCENT", parseNumber(env.SCAN_MAX_MISSING_PERCENT, 20, 0, 100, "percent"), 20) / 100,
    probeConcurrency: take("PROBE_CONCURRENCY", parseNumber(env.PROBE_CONCURRENCY, availableParallelism(), 1, 64, "probes"), 1),
    probeTimeoutMs: take("PROBE_TIMEOUT_SECONDS", parseNumber(env.PROBE_TIMEOUT_SECONDS, 60, 1, 3600, "seconds"), 60) * 1000,
    settleMs: take("SCAN_SETTLE_SECONDS", parseNumber(env.SCAN_SETTLE_SECONDS, 10, 0, 3600, "seconds"), 10) * 1000,
    watch: bool("WATCH", true),
    watchPolling: bool("WATCH_POLLING", false),
    pollIntervalMs: take("WATCH_POLL_INTERVAL_SECONDS", parseNumber(env.WATCH_POLL_INTERVAL_SECONDS, 30, 1, 3600, "seconds"), 30) * 1000,
    reconcileIntervalMs: take("RECONCILE_INTERVAL_MINUTES", parseNumber(env.RECONCILE_INTERVAL_MINUTES, 60, 0, 10080, "minutes"), 60) * 60_000,
  };
}

/** A URL with its password replaced, fit for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(not a URL)";
  }
}

function parseDatabaseUrl(raw: string | undefined): Parsed<string | null> {
  if (raw === undefined || raw.trim() === "") return { value: null };
  const expected = "a PostgreSQL URL such as postgres://vidlib:secret@db.example:5432/vidlib (leave it unset to use SQLite)";
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    // Never echo it: a URL that fails to parse may still hold a password.
    return { problem: `${expected}; the value set is not a URL` };
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") return { problem: `${expected}; got a ${url.protocol.replace(/:$/, "")}: URL` };
  return { value: raw.trim() };
}

export interface LoadOptions {
  /** The CLI's doctor runs without a token; the bot never does. */
  readonly requireToken?: boolean;
  readonly requireAdmins?: boolean;
  readonly isTTY?: boolean;
}

/** Validates the environment once into a typed Config, or throws ConfigError naming every bad variable. */
export function loadConfig(env: Env, cwd: string, options: LoadOptions = {}): Config {
  const problems: ConfigProblem[] = [];
  const take = <T>(variable: string, parsed: Parsed<T>, fallback: T): T => {
    if (parsed.problem !== undefined) problems.push({ variable, expected: parsed.problem });
    return parsed.value ?? fallback;
  };
  const token = take("TELEGRAM_BOT_TOKEN", parseToken(env.TELEGRAM_BOT_TOKEN, options.requireToken ?? true), "");
  const apiRoot = take("TELEGRAM_API_ROOT", parseApiRoot(env.TELEGRAM_API_ROOT), CLOUD_API_ROOT);
  const localMode = parseBoolean(env.TELEGRAM_LOCAL_MODE, false);
  if (localMode === undefined) problems.push({ variable: "TELEGRAM_LOCAL_MODE", expected: `true or false, got "${env.TELEGRAM_LOCAL_MODE}"` });
  if (localMode === true && apiRoot === CLOUD_API_ROOT) {
    problems.push({ variable: "TELEGRAM_LOCAL_MODE", expected: "true only with TELEGRAM_API_ROOT pointing at your Local Bot API server (e.g. http://127.0.0.1:8081)" });
  }
  const adminParsed = parseAdminIds(env.ADMIN_IDS);
  const adminIds = (options.requireAdmins ?? true) || env.ADMIN_IDS !== undefined
    ? take("ADMIN_IDS", adminParsed, [])
    : [];
  const levelRaw = (env.LOG_LEVEL ?? "info").trim().toLowerCase();
  const level = (LOG_LEVELS as readonly string[]).includes(levelRaw) ? (levelRaw as LogLevel) : undefined;
  if (level === undefined) problems.push({ variable: "LOG_LEVEL", expected: `one of ${LOG_LEVELS.join(", ")}, got "${env.LOG_LEVEL}"` });
  const format = (env.LOG_FORMAT ?? "").trim().toLowerCase();
  if (!["", "json", "pretty"].includes(format)) problems.push({ variable: "LOG_FORMAT", expected: `json or pretty, got "${env.LOG_FORMAT}"` });
  const dataDir = resolve(cwd, env.DATA_DIR?.trim() || "./data");
  const scan = parseScan(env, take, problems);
  const modeLimit = localMode === true ? UPLOAD_LIMITS.local : UPLOAD_LIMITS.cloud;
  const uploadMb = take("UPLOAD_LIMIT_MB", parseNumber(env.UPLOAD_LIMIT_MB, modeLimit / MIB, 1, modeLimit / MIB,
    `MB (the ${localMode === true ? "Local Bot API server's" : "cloud API's"} limit is ${modeLimit / MIB})`), modeLimit / MIB);
  const publish = {
    postsPerMinutePerChannel: take("CHANNEL_POSTS_PER_MINUTE", parseNumber(env.CHANNEL_POSTS_PER_MINUTE, 20, 1, 1000, "posts"), 20),
    requestsPerSecond: take("TELEGRAM_REQUESTS_PER_SECOND", parseNumber(env.TELEGRAM_REQUESTS_PER_SECOND, 30, 1, 1000, "requests"), 30),
    sendTimeoutS: take("UPLOAD_TIMEOUT_MINUTES", parseNumber(env.UPLOAD_TIMEOUT_MINUTES, 30, 1, 1440, "minutes"), 30) * 60,
  };
  const databaseUrl = take("DATABASE_URL", parseDatabaseUrl(env.DATABASE_URL), null);
  const sync = { concurrency: take("SYNC_CONCURRENCY", parseNumber(env.SYNC_CONCURRENCY, 2, 1, 16, "files at once"), 2) };
  const roots = parseLibraryRoots(env.LIBRARY_ROOTS, cwd);
  problems.push(...roots.problems.map((expected) => ({ variable: "LIBRARY_ROOTS", expected })));
  const pathMap = parsePathMap(env.VIDLIB_PATH_MAP, cwd);
  problems.push(...pathMap.problems.map((expected) => ({ variable: "VIDLIB_PATH_MAP", expected })));
  let primaryRoles: readonly WorkRole[] = WORK_ROLES;
  if (env.PRIMARY_ROLES !== undefined && env.PRIMARY_ROLES.trim() !== "") {
    const parsed = parseWorkRoles(env.PRIMARY_ROLES);
    if ("problem" in parsed) problems.push({ variable: "PRIMARY_ROLES", expected: `${parsed.problem}; got "${env.PRIMARY_ROLES}"` });
    else primaryRoles = parsed.roles;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    publish,
    sync,
    telegram: { token, apiRoot, localMode: localMode ?? false },
    adminIds,
    libraryFolders: roots.folders,
    libraryRoots: roots.folders.map((f) => f.path),
    pathMap: pathMap.map,
    primaryRoles,
    scan,
    ffmpeg: { ffmpegPath: env.FFMPEG_PATH?.trim() || "ffmpeg", ffprobePath: env.FFPROBE_PATH?.trim() || "ffprobe" },
    dataDir,
    databasePath: resolve(dataDir, "vidlib.sqlite"),
    database: databaseUrl === null ? { driver: "sqlite", path: resolve(dataDir, "vidlib.sqlite") } : { driver: "postgres", url: databaseUrl },
    folders: { trash: resolve(dataDir, "trash"), archive: resolve(cwd, env.ARCHIVE_DIR?.trim() || resolve(dataDir, "archive")), temp: resolve(dataDir, "tmp"),
      exports: resolve(cwd, env.EXPORT_DIR?.trim() || resolve(dataDir, "exports")) },
    uploadLimitBytes: Math.floor(uploadMb * MIB),
    log: { level: level ?? "info", pretty: format === "pretty" || (format === "" && (options.isTTY ?? false)) },
  };
}
