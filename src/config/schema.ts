import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { z } from "zod";
import { DEFAULT_VIDEO_EXTENSIONS } from "../services/library/extensions.js";
import { parseLibraryRoots, parsePathMap } from "../services/library/folders.js";
import { parseWorkRoles, WORK_ROLES, type WorkRole } from "../services/processes/work-roles.js";
import { CLOUD_API_ROOT, LOG_LEVELS, MIB, UPLOAD_LIMITS, type Config, type LoadOptions } from "./types.js";
import { flag, number, oneOf, parsedWith, text, variable } from "./variables.js";

const TOKEN_PATTERN = /^\d{1,20}:[A-Za-z0-9_-]{20,}$/;
const TOKEN_EXAMPLE = "the token @BotFather gave you, like 123456789:AAH…";
const ADMIN_IDS_EXPECTED = "comma-separated numeric Telegram user ids, e.g. 123456789,987654321 (the bot tells a stranger their id)";
const DATABASE_URL_EXPECTED = "a PostgreSQL URL such as postgres://vidlib:secret@db.example:5432/vidlib (leave it unset to use SQLite)";

// Never echo the token back: it is a secret.
const token = z.string().regex(TOKEN_PATTERN, { error: "not a bot token; expected digits, a colon and the secret, like 123456789:AAH…" });

const apiRoot = z.url({ protocol: /^https?$/, error: (issue) => `expected an http(s) URL such as http://127.0.0.1:8081, got "${String(issue.input)}"` })
  .transform((url) => new URL(url).toString().replace(/\/+$/, ""));

const adminIds = parsedWith<number[]>((raw) => {
  const ids = raw.split(",").map((s) => s.trim()).filter((s) => s !== "").map((p) => (/^\d{1,16}$/.test(p) ? Number(p) : Number.NaN));
  if (ids.length === 0 || ids.some((n) => !Number.isSafeInteger(n) || n <= 0)) return { problem: `${ADMIN_IDS_EXPECTED}; got "${raw}"` };
  return { value: [...new Set(ids)] };
});

const extensions = parsedWith<string[]>((raw) => {
  const list = raw.split(",").map((e) => e.trim().toLowerCase()).filter((e) => e !== "").map((e) => (e.startsWith(".") ? e : `.${e}`));
  if (list.length === 0 || list.some((e) => !/^\.[a-z0-9]{1,10}$/.test(e))) return { problem: `comma-separated extensions such as .mp4,.ts, got "${raw}"` };
  return { value: [...new Set(list)] };
});

const databaseUrl = parsedWith<string>((raw) => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Never echo it: a URL that fails to parse may still hold a password.
    return { problem: `${DATABASE_URL_EXPECTED}; the value set is not a URL` };
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") return { problem: `${DATABASE_URL_EXPECTED}; got a ${url.protocol.replace(/:$/, "")}: URL` };
  return { value: raw };
});

const primaryRoles = parsedWith<WorkRole[]>((raw) => {
  const parsed = parseWorkRoles(raw);
  return "problem" in parsed ? { problem: `${parsed.problem}; got "${raw}"` } : { value: parsed.roles };
});

/** A folder list whose parser reports several problems at once, each named against the variable. */
function folderList<T>(parse: (raw: string | undefined) => { problems: readonly string[] } & T) {
  return z.string().optional().transform((raw, ctx) => {
    const parsed = parse(raw);
    for (const message of parsed.problems) ctx.issues.push({ code: "custom", message, input: raw });
    return parsed;
  });
}

/** The whole environment → Config, as one schema; `cwd` anchors relative paths. */
export function configSchema(cwd: string, options: LoadOptions) {
  return z.object({
    TELEGRAM_BOT_TOKEN: variable(token, ""),
    TELEGRAM_API_ROOT: variable(apiRoot, CLOUD_API_ROOT),
    TELEGRAM_LOCAL_MODE: flag(false),
    ADMIN_IDS: variable(adminIds, null),
    LOG_LEVEL: oneOf(LOG_LEVELS, "info", `one of ${LOG_LEVELS.join(", ")}`),
    LOG_FORMAT: oneOf(["json", "pretty"], null, "json or pretty"),
    DATA_DIR: text,
    ARCHIVE_DIR: text,
    EXPORT_DIR: text,
    FFMPEG_PATH: text,
    FFPROBE_PATH: text,
    VIDEO_EXTENSIONS: variable(extensions, [...DEFAULT_VIDEO_EXTENSIONS]),
    SCAN_MAX_MISSING_PERCENT: number(20, 0, 100, "percent"),
    PROBE_CONCURRENCY: number(availableParallelism(), 1, 64, "probes"),
    PROBE_TIMEOUT_SECONDS: number(60, 1, 3600, "seconds"),
    SCAN_SETTLE_SECONDS: number(10, 0, 3600, "seconds"),
    WATCH: flag(true),
    WATCH_POLLING: flag(false),
    WATCH_POLL_INTERVAL_SECONDS: number(30, 1, 3600, "seconds"),
    RECONCILE_INTERVAL_MINUTES: number(60, 0, 10080, "minutes"),
    // Its bounds depend on TELEGRAM_LOCAL_MODE: checked below, with the other rules across variables.
    UPLOAD_LIMIT_MB: text,
    CHANNEL_POSTS_PER_MINUTE: number(20, 1, 1000, "posts"),
    TELEGRAM_REQUESTS_PER_SECOND: number(30, 1, 1000, "requests"),
    UPLOAD_TIMEOUT_MINUTES: number(30, 1, 1440, "minutes"),
    DATABASE_URL: variable(databaseUrl, null),
    SYNC_CONCURRENCY: number(2, 1, 16, "files at once"),
    LIBRARY_ROOTS: folderList((raw) => parseLibraryRoots(raw, cwd)),
    VIDLIB_PATH_MAP: folderList((raw) => parsePathMap(raw, cwd)),
    PRIMARY_ROLES: variable(primaryRoles, WORK_ROLES),
  }).superRefine((env, ctx) => {
    // This runs even when single variables failed (see `when` below; a failed one holds its default here),
    // so that one message names every bad variable.
    // The doctor runs without a token or admins; the bot never does.
    if ((options.requireToken ?? true) && env.TELEGRAM_BOT_TOKEN === "") {
      ctx.addIssue({ code: "custom", path: ["TELEGRAM_BOT_TOKEN"], message: `required; ${TOKEN_EXAMPLE}` });
    }
    if ((options.requireAdmins ?? true) && env.ADMIN_IDS === null) {
      ctx.addIssue({ code: "custom", path: ["ADMIN_IDS"], message: `required; ${ADMIN_IDS_EXPECTED}` });
    }
    const localMode = env.TELEGRAM_LOCAL_MODE === true;
    if (localMode && env.TELEGRAM_API_ROOT === CLOUD_API_ROOT) {
      ctx.addIssue({ code: "custom", path: ["TELEGRAM_LOCAL_MODE"],
        message: "true only with TELEGRAM_API_ROOT pointing at your Local Bot API server (e.g. http://127.0.0.1:8081)" });
    }
    const mb = uploadLimitMb(env.UPLOAD_LIMIT_MB, localMode);
    if (typeof mb === "string") ctx.addIssue({ code: "custom", path: ["UPLOAD_LIMIT_MB"], message: mb });
  }, { when: () => true }).transform((env): Config => {
    const localMode = env.TELEGRAM_LOCAL_MODE;
    const dataDir = resolve(cwd, env.DATA_DIR ?? "./data");
    const databasePath = resolve(dataDir, "vidlib.sqlite");
    return {
      telegram: { token: env.TELEGRAM_BOT_TOKEN, apiRoot: env.TELEGRAM_API_ROOT, localMode },
      adminIds: env.ADMIN_IDS ?? [],
      libraryFolders: env.LIBRARY_ROOTS.folders,
      libraryRoots: env.LIBRARY_ROOTS.folders.map((f) => f.path),
      pathMap: env.VIDLIB_PATH_MAP.map,
      primaryRoles: env.PRIMARY_ROLES,
      ffmpeg: { ffmpegPath: env.FFMPEG_PATH ?? "ffmpeg", ffprobePath: env.FFPROBE_PATH ?? "ffprobe" },
      scan: {
        extensions: env.VIDEO_EXTENSIONS,
        maxMissingShare: env.SCAN_MAX_MISSING_PERCENT / 100,
        // Whole lanes for p-map (a fraction always meant its whole part).
        probeConcurrency: Math.floor(env.PROBE_CONCURRENCY),
        probeTimeoutMs: env.PROBE_TIMEOUT_SECONDS * 1000,
        settleMs: env.SCAN_SETTLE_SECONDS * 1000,
        watch: env.WATCH,
        watchPolling: env.WATCH_POLLING,
        pollIntervalMs: env.WATCH_POLL_INTERVAL_SECONDS * 1000,
        reconcileIntervalMs: env.RECONCILE_INTERVAL_MINUTES * 60_000,
      },
      dataDir,
      databasePath,
      database: env.DATABASE_URL === null ? { driver: "sqlite", path: databasePath } : { driver: "postgres", url: env.DATABASE_URL },
      folders: {
        trash: resolve(dataDir, "trash"),
        archive: resolve(cwd, env.ARCHIVE_DIR ?? resolve(dataDir, "archive")),
        temp: resolve(dataDir, "tmp"),
        exports: resolve(cwd, env.EXPORT_DIR ?? resolve(dataDir, "exports")),
      },
      sync: { concurrency: Math.floor(env.SYNC_CONCURRENCY) },
      // A number here: the check above made anything else a problem.
      uploadLimitBytes: Math.floor(Number(uploadLimitMb(env.UPLOAD_LIMIT_MB, localMode)) * MIB),
      publish: {
        postsPerMinutePerChannel: env.CHANNEL_POSTS_PER_MINUTE,
        requestsPerSecond: env.TELEGRAM_REQUESTS_PER_SECOND,
        sendTimeoutS: env.UPLOAD_TIMEOUT_MINUTES * 60,
      },
      log: { level: env.LOG_LEVEL, pretty: env.LOG_FORMAT === "pretty" || (env.LOG_FORMAT === null && (options.isTTY ?? false)) },
    };
  });
}

/** UPLOAD_LIMIT_MB in MB, at most (and by default) the API's own limit; a string says what is wrong. */
function uploadLimitMb(raw: string | undefined, localMode: boolean): number | string {
  const limit = (localMode ? UPLOAD_LIMITS.local : UPLOAD_LIMITS.cloud) / MIB;
  const parsed = number(limit, 1, limit, `MB (the ${localMode ? "Local Bot API server's" : "cloud API's"} limit is ${limit})`).safeParse(raw);
  return parsed.success ? parsed.data : (parsed.error.issues[0]?.message ?? "invalid");
}
