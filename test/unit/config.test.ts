import { describe, expect, test } from "vitest";
import { delimiter, join, resolve, win32 } from "node:path";
import { writeFileSync } from "node:fs";
import { CLOUD_API_ROOT, ConfigError, environmentWithDotenv, loadConfig } from "../../src/config.js";
import { parseLibraryRoots, parsePathMap } from "../../src/services/library/folders.js";
import { makeTempDir } from "../support/temp-dir.js";

const TOKEN = "123456789:AAHsecretsecretsecretsecretsecret0123";
const valid = { TELEGRAM_BOT_TOKEN: TOKEN, ADMIN_IDS: "42" };

function problemsOf(env: Record<string, string>): Record<string, string> {
  try {
    loadConfig(env, "/srv/vidlib");
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return Object.fromEntries(err.problems.map((p) => [p.variable, p.expected]));
  }
  throw new Error("expected a ConfigError");
}

describe("configuration", () => {
  test("defaults for everything optional", () => {
    const config = loadConfig(valid, "/srv/vidlib");
    expect(config.telegram).toEqual({ token: TOKEN, apiRoot: CLOUD_API_ROOT, localMode: false });
    expect(config.adminIds).toEqual([42]);
    expect(config.libraryRoots).toEqual([]);
    expect(config.dataDir).toBe(resolve("/srv/vidlib", "data"));
    expect(config.databasePath).toBe(resolve("/srv/vidlib", "data", "vidlib.sqlite"));
    expect(config.log).toEqual({ level: "info", pretty: false });
  });

  test("missing required settings are all named at once", () => {
    const problems = problemsOf({});
    expect(Object.keys(problems).sort()).toEqual(["ADMIN_IDS", "TELEGRAM_BOT_TOKEN"]);
    expect(problems.TELEGRAM_BOT_TOKEN).toMatch(/required/);
  });

  test("every invalid setting is reported with what is expected", () => {
    const problems = problemsOf({
      TELEGRAM_BOT_TOKEN: "not-a-token", ADMIN_IDS: "42,abc", TELEGRAM_API_ROOT: "ftp://x",
      TELEGRAM_LOCAL_MODE: "maybe", LOG_LEVEL: "loud", LOG_FORMAT: "xml",
    });
    expect(Object.keys(problems).sort()).toEqual(
      ["ADMIN_IDS", "LOG_FORMAT", "LOG_LEVEL", "TELEGRAM_API_ROOT", "TELEGRAM_BOT_TOKEN", "TELEGRAM_LOCAL_MODE"]);
    expect(problems.ADMIN_IDS).toMatch(/numeric Telegram user ids/);
    expect(problems.LOG_LEVEL).toMatch(/one of fatal, error/);
  });

  test("an invalid token is never echoed in the error", () => {
    const secretish = "12345:this-is-a-secret-with spaces";
    const err = (() => { try { loadConfig({ ...valid, TELEGRAM_BOT_TOKEN: secretish }, "/"); } catch (e) { return e as Error; } return null; })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.message).not.toContain("this-is-a-secret");
    expect(err?.message).toContain("TELEGRAM_BOT_TOKEN");
  });

  test("ADMIN_IDS rejects zero, negatives and empty lists, and removes repeats", () => {
    expect(problemsOf({ ...valid, ADMIN_IDS: "0" }).ADMIN_IDS).toBeDefined();
    expect(problemsOf({ ...valid, ADMIN_IDS: "-5" }).ADMIN_IDS).toBeDefined();
    expect(problemsOf({ ...valid, ADMIN_IDS: " , " }).ADMIN_IDS).toBeDefined();
    expect(loadConfig({ ...valid, ADMIN_IDS: " 7, 8 ,7" }, "/").adminIds).toEqual([7, 8]);
  });

  test("local mode needs a local API root", () => {
    expect(problemsOf({ ...valid, TELEGRAM_LOCAL_MODE: "true" }).TELEGRAM_LOCAL_MODE).toMatch(/Local Bot API server/);
    const config = loadConfig({ ...valid, TELEGRAM_LOCAL_MODE: "yes", TELEGRAM_API_ROOT: "http://127.0.0.1:8081/" }, "/");
    expect(config.telegram).toMatchObject({ apiRoot: "http://127.0.0.1:8081", localMode: true });
  });

  test("library roots split on the platform delimiter and resolve against the working folder", () => {
    const config = loadConfig({ ...valid, LIBRARY_ROOTS: ["videos", "/mnt/share", "", "videos"].join(delimiter) }, "/srv/vidlib");
    expect(config.libraryRoots).toEqual([resolve("/srv/vidlib", "videos"), resolve("/mnt/share")]);
  });

  test("the old, unnamed form names each folder after its last path segment: lower case, letters, digits, - and _, made unique", () => {
    const config = loadConfig({ ...valid, LIBRARY_ROOTS: ["/srv/nas/Lectures", "/mnt/b/lectures", "/srv/Raw Footage (2024)/", "/"].join(delimiter) }, "/srv/vidlib");
    expect(config.libraryFolders).toEqual([
      { name: "lectures", path: resolve("/srv/nas/Lectures") }, { name: "lectures-2", path: resolve("/mnt/b/lectures") },
      { name: "raw-footage-2024", path: resolve("/srv/Raw Footage (2024)") }, { name: "folder", path: resolve("/") },
    ]);
    expect(config.libraryRoots).toEqual(config.libraryFolders.map((f) => f.path));
    expect(config.pathMap.size).toBe(0);
  });

  test("named folders: name=path entries separated by ;, names in lower case, relative paths against the working folder", () => {
    const config = loadConfig({ ...valid, LIBRARY_ROOTS: " Lectures=/srv/nas/lectures ; raw=footage/raw;", VIDLIB_PATH_MAP: "lectures=/mnt/lectures;raw=/mnt/a=b" }, "/srv/vidlib");
    expect(config.libraryFolders).toEqual([{ name: "lectures", path: "/srv/nas/lectures" }, { name: "raw", path: resolve("/srv/vidlib", "footage/raw") }]);
    expect(config.libraryRoots).toEqual(["/srv/nas/lectures", resolve("/srv/vidlib", "footage/raw")]);
    // Split on the first =: a path may hold one.
    expect([...config.pathMap]).toEqual([["lectures", "/mnt/lectures"], ["raw", "/mnt/a=b"]]);
  });

  test("Windows paths: a drive letter's colon and backslashes stay whole in both forms", () => {
    expect(parseLibraryRoots("lectures=C:\\Videos\\Lectures;raw=\\\\nas\\raw", "C:\\vidlib", win32)).toEqual({
      folders: [{ name: "lectures", path: "C:\\Videos\\Lectures" }, { name: "raw", path: "\\\\nas\\raw\\" }], problems: [] });
    expect(parseLibraryRoots("C:\\Videos\\Lectures;D:\\Raw", "C:\\vidlib", win32)).toEqual({
      folders: [{ name: "lectures", path: "C:\\Videos\\Lectures" }, { name: "raw", path: "D:\\Raw" }], problems: [] });
    expect(parsePathMap("lectures=E:\\mnt\\lectures", "C:\\vidlib", win32).map.get("lectures")).toBe("E:\\mnt\\lectures");
  });

  test("duplicate names and paths, bad names and entries without a name or path are each named, with the other bad variables, at once", () => {
    const err = (() => {
      try {
        loadConfig({ LIBRARY_ROOTS: "a=/x;A=/y;b=/x;bad name!=/z;=/w;c=;/plain/path=oops", VIDLIB_PATH_MAP: "a=/m;nameless", LOG_LEVEL: "loud" }, "/srv");
      } catch (e) { return e as ConfigError; }
      return null;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    const lines = (err?.problems ?? []).map((p) => `${p.variable}: ${p.expected}`);
    expect(lines).toEqual(expect.arrayContaining([
      "LIBRARY_ROOTS: the name a is given twice; each folder needs a name of its own",
      "LIBRARY_ROOTS: the folder name \"bad name!\" is not allowed: letters, digits, - and _ only (at most 64)",
      "LIBRARY_ROOTS: the folder name \"\" is not allowed: letters, digits, - and _ only (at most 64)",
      "LIBRARY_ROOTS: c has no path: write c=/path/to/the/folder",
      "LIBRARY_ROOTS: the folder name \"/plain/path\" is not allowed: letters, digits, - and _ only (at most 64)",
      "LIBRARY_ROOTS: /x is named twice (a and b); name each folder once",
      "VIDLIB_PATH_MAP: \"nameless\" has no name: write name=path, e.g. lectures=/srv/nas/lectures (entries separated by ;)",
    ]));
    expect(err?.message).toContain("LOG_LEVEL");
    expect(err?.message).toContain("ADMIN_IDS");
  });

  test("logs are pretty in a terminal unless told otherwise", () => {
    expect(loadConfig(valid, "/", { isTTY: true }).log.pretty).toBe(true);
    expect(loadConfig({ ...valid, LOG_FORMAT: "json" }, "/", { isTTY: true }).log.pretty).toBe(false);
    expect(loadConfig({ ...valid, LOG_FORMAT: "pretty" }, "/", { isTTY: false }).log.pretty).toBe(true);
  });

  test(".env fills in what the environment does not set", () => {
    const tmp = makeTempDir();
    try {
      writeFileSync(join(tmp.dir, ".env"), `ADMIN_IDS=1,2\nLOG_LEVEL=debug\nTELEGRAM_BOT_TOKEN=${TOKEN}\n`);
      const env = environmentWithDotenv({ LOG_LEVEL: "warn" }, tmp.dir);
      const config = loadConfig(env, tmp.dir);
      expect(config.adminIds).toEqual([1, 2]);
      expect(config.log.level).toBe("warn");
      expect(environmentWithDotenv({ A: "1" }, join(tmp.dir, "missing"))).toEqual({ A: "1" });
    } finally {
      tmp.cleanup();
    }
  });

  test("SQLite in the data folder unless DATABASE_URL names a PostgreSQL server", () => {
    expect(loadConfig(valid, "/srv/vidlib").database).toEqual({ driver: "sqlite", path: resolve("/srv/vidlib", "data", "vidlib.sqlite") });
    expect(loadConfig({ ...valid, DATABASE_URL: " " }, "/srv/vidlib").database.driver).toBe("sqlite");
    for (const url of ["postgres://vidlib:secret@db.example:5432/vidlib", "postgresql://db.example/vidlib", "postgres:///vidlib?host=/run/postgresql"]) {
      expect(loadConfig({ ...valid, DATABASE_URL: url }, "/").database).toEqual({ driver: "postgres", url });
    }
  });

  test("a bad DATABASE_URL is named with the other bad settings, and its password is never echoed", () => {
    const problems = problemsOf({ ...valid, LOG_LEVEL: "loud", DATABASE_URL: "mysql://root:hunter2@db/vidlib" });
    expect(Object.keys(problems).sort()).toEqual(["DATABASE_URL", "LOG_LEVEL"]);
    expect(problems.DATABASE_URL).toMatch(/PostgreSQL URL such as postgres:\/\/.*got a mysql: URL/);
    expect(problemsOf({ ...valid, DATABASE_URL: "/var/lib/vidlib.sqlite" }).DATABASE_URL).toMatch(/not a URL/);
    const unparsable = problemsOf({ ...valid, DATABASE_URL: "postgres://vidlib:hunter2@/vidlib" }).DATABASE_URL;
    expect(unparsable).toMatch(/not a URL/);
    expect(unparsable).not.toContain("hunter2");
  });

  test("the primary converts and exports unless PRIMARY_ROLES leaves some or all of it to workers", () => {
    expect(loadConfig(valid, "/").primaryRoles).toEqual(["convert", "export"]);
    expect(loadConfig({ ...valid, PRIMARY_ROLES: " " }, "/").primaryRoles).toEqual(["convert", "export"]);
    expect(loadConfig({ ...valid, PRIMARY_ROLES: "none" }, "/").primaryRoles).toEqual([]);
    expect(loadConfig({ ...valid, PRIMARY_ROLES: "Export" }, "/").primaryRoles).toEqual(["export"]);
    expect(loadConfig({ ...valid, PRIMARY_ROLES: "export, convert,export" }, "/").primaryRoles).toEqual(["export", "convert"]);
    const problems = problemsOf({ ...valid, PRIMARY_ROLES: "convert,upload", LOG_LEVEL: "loud" });
    expect(Object.keys(problems).sort()).toEqual(["LOG_LEVEL", "PRIMARY_ROLES"]);
    expect(problems.PRIMARY_ROLES).toBe('unknown role: upload (the roles are convert, export, or none); got "convert,upload"');
    expect(problemsOf({ ...valid, PRIMARY_ROLES: "," }).PRIMARY_ROLES).toBe('name at least one role (convert, export), or none; got ","');
  });

  test("three bad variables, a missing one and a rule across variables are named in one message", () => {
    const err = (() => {
      try {
        loadConfig({ ADMIN_IDS: "42", TELEGRAM_LOCAL_MODE: "on", PROBE_CONCURRENCY: "lots", WATCH: "maybe", SYNC_CONCURRENCY: "99" }, "/srv");
      } catch (e) { return e as ConfigError; }
      return null;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.problems.map((p) => p.variable).sort()).toEqual(["PROBE_CONCURRENCY", "SYNC_CONCURRENCY", "TELEGRAM_BOT_TOKEN", "TELEGRAM_LOCAL_MODE", "WATCH"]);
    expect(err?.message).toContain('PROBE_CONCURRENCY: a number of probes from 1 to 64, got "lots"');
    expect(err?.message).toContain('WATCH: true or false, got "maybe"');
    expect(err?.message).toContain('SYNC_CONCURRENCY: a number of files at once from 1 to 16, got "99"');
    expect(err?.message).toContain("TELEGRAM_LOCAL_MODE: true only with TELEGRAM_API_ROOT");
  });

  test("the upload limit defaults to the API's own and may only be lowered", () => {
    expect(loadConfig(valid, "/").uploadLimitBytes).toBe(50 * 1024 * 1024);
    const local = { ...valid, TELEGRAM_LOCAL_MODE: "1", TELEGRAM_API_ROOT: "http://127.0.0.1:8081" };
    expect(loadConfig(local, "/").uploadLimitBytes).toBe(2000 * 1024 * 1024);
    expect(loadConfig({ ...local, UPLOAD_LIMIT_MB: "1500" }, "/").uploadLimitBytes).toBe(1500 * 1024 * 1024);
    expect(problemsOf({ ...valid, UPLOAD_LIMIT_MB: "60", LOG_LEVEL: "loud" })).toEqual({
      UPLOAD_LIMIT_MB: 'a number of MB (the cloud API\'s limit is 50) from 1 to 50, got "60"', LOG_LEVEL: expect.stringMatching(/one of/) as string });
  });

  test("numbers and switches: defaults, units, and any case for the words", () => {
    const config = loadConfig({ ...valid, SCAN_MAX_MISSING_PERCENT: "5", RECONCILE_INTERVAL_MINUTES: "0", WATCH: "OFF", WATCH_POLLING: "Yes", LOG_LEVEL: "DEBUG" }, "/");
    expect(config.scan).toMatchObject({ maxMissingShare: 0.05, reconcileIntervalMs: 0, watch: false, watchPolling: true, settleMs: 10_000, pollIntervalMs: 30_000 });
    expect(config.log.level).toBe("debug");
    expect(config.publish).toEqual({ postsPerMinutePerChannel: 20, requestsPerSecond: 30, sendTimeoutS: 1800 });
  });

  test("the doctor may run without a token or admins", () => {
    const config = loadConfig({}, "/", { requireToken: false, requireAdmins: false });
    expect(config.telegram.token).toBe("");
    expect(config.adminIds).toEqual([]);
  });
});
