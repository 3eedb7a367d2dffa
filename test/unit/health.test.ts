import { describe, expect, test } from "vitest";
import { loadConfig } from "../../src/config.js";
import { runHealthChecks, type HealthProbe } from "../../src/services/health/health.js";
import { formatReport } from "../../src/cli/doctor.js";

const TOKEN = "123456789:AAHsecretsecretsecretsecretsecret0123";

function probe(overrides: Partial<HealthProbe> = {}): HealthProbe {
  return {
    nodeVersion: () => "24.21.0",
    toolVersion: (command) => Promise.resolve(`${command} version 5.1`),
    writableDir: () => Promise.resolve(null),
    readableDir: () => Promise.resolve(null),
    isEmptyDir: () => Promise.resolve(false),
    database: () => Promise.resolve({ pendingMigrations: 0, integrity: "ok" }),
    getMe: () => Promise.resolve({ username: "vidlib_bot" }),
    ...overrides,
  };
}

const config = (env: Record<string, string> = {}) =>
  loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, ADMIN_IDS: "1", LIBRARY_ROOTS: "/videos", ...env }, "/srv");

describe("health checks", () => {
  test("all good: no failures, and the report says so", async () => {
    const results = await runHealthChecks(probe(), config());
    expect(results.filter((r) => r.status !== "ok")).toEqual([]);
    expect(formatReport(results)).toContain("Everything vidlib needs is in place.");
    expect(formatReport(results)).toContain("@vidlib_bot");
  });

  test("each missing prerequisite fails with its fix", async () => {
    const results = await runHealthChecks(probe({
      nodeVersion: () => "20.20.2",
      toolVersion: (command) => Promise.resolve(command === "ffprobe" ? null : "ffmpeg version 5.1"),
      readableDir: () => Promise.resolve("ENOENT: no such file or directory"),
      getMe: () => Promise.resolve({ error: "401 Unauthorized", unauthorized: true }),
    }), config());
    const failed = results.filter((r) => r.status === "fail");
    expect(failed.map((r) => r.label)).toEqual([
      "Node.js 20.20.2 is too old",
      `ffprobe not found (tried "ffprobe")`,
      "library root /videos: ENOENT: no such file or directory",
      "Telegram at https://api.telegram.org rejected the token: 401 Unauthorized",
    ]);
    expect(failed.every((r) => (r.fix ?? "").length > 0)).toBe(true);
    expect(formatReport(results)).toContain("4 problem(s) found.");
  });

  test("an empty library root (an unmounted share's mount point) is a warning that says so", async () => {
    const results = await runHealthChecks(probe({ isEmptyDir: (path) => Promise.resolve(path === "/videos") }), config());
    const root = results.find((r) => r.label.startsWith("library root"));
    expect(root).toEqual({ status: "warn", label: "library root /videos is empty (is the share mounted?)", fix: "mount the share; scans mark nothing missing while it is empty" });
  });

  test("an unwritable data folder skips the database check", async () => {
    let dbChecked = false;
    const results = await runHealthChecks(probe({
      writableDir: () => Promise.resolve("EACCES: permission denied"),
      database: () => { dbChecked = true; return Promise.resolve({ pendingMigrations: 0, integrity: "ok" }); },
    }), config());
    expect(dbChecked).toBe(false);
    expect(results.find((r) => r.label.startsWith("data folder"))?.status).toBe("fail");
  });

  test("no token and no roots are warnings, an unreachable API is a failure", async () => {
    const noToken = loadConfig({}, "/srv", { requireToken: false, requireAdmins: false });
    const results = await runHealthChecks(probe(), noToken);
    expect(results.filter((r) => r.status === "warn").map((r) => r.label)).toEqual([
      "LIBRARY_ROOTS is empty: there is no video folder to index",
      "TELEGRAM_BOT_TOKEN is not set: Telegram not checked",
    ]);
    const offline = await runHealthChecks(probe({ getMe: () => Promise.resolve({ error: "ECONNREFUSED", unauthorized: false }) }),
      config({ TELEGRAM_API_ROOT: "http://127.0.0.1:8081" }));
    expect(offline.at(-1)).toMatchObject({ status: "fail", label: "cannot reach the Bot API at http://127.0.0.1:8081: ECONNREFUSED" });
  });

  test("pending migrations and a damaged database are reported", async () => {
    const pending = await runHealthChecks(probe({ database: () => Promise.resolve({ pendingMigrations: 2, integrity: "ok" }) }), config());
    expect(pending.find((r) => r.label.includes("migration"))).toMatchObject({ status: "warn" });
    const damaged = await runHealthChecks(probe({ database: () => Promise.resolve({ pendingMigrations: 0, integrity: "row 3 missing" }) }), config());
    expect(damaged.find((r) => r.label.includes("integrity"))).toMatchObject({ status: "fail" });
  });
});

describe("health checks on PostgreSQL", () => {
  const pgConfig = () => config({ DATABASE_URL: "postgres://vidlib:secret@db.example:5432/vidlib" });

  test("the database check names the server without its password, with its version", async () => {
    let asked: unknown;
    const results = await runHealthChecks(probe({ database: (database) => { asked = database; return Promise.resolve({ pendingMigrations: 0, integrity: "ok", server: "16.4" }); } }), pgConfig());
    expect(asked).toEqual({ driver: "postgres", url: "postgres://vidlib:secret@db.example:5432/vidlib" });
    expect(results.find((r) => r.label.includes("PostgreSQL"))).toEqual({ status: "ok", label: "PostgreSQL database postgres://vidlib:***@db.example:5432/vidlib (PostgreSQL 16.4) is up to date" });
    expect(formatReport(results)).not.toContain("secret");
  });

  test("an unreachable server fails with what to check, not a file's permissions", async () => {
    const results = await runHealthChecks(probe({ database: () => Promise.resolve({ error: "connect ECONNREFUSED 10.0.0.5:5432" }) }), pgConfig());
    const failed = results.find((r) => r.status === "fail");
    expect(failed?.label).toBe("PostgreSQL database postgres://vidlib:***@db.example:5432/vidlib cannot be reached: connect ECONNREFUSED 10.0.0.5:5432");
    expect(failed?.fix).toContain("check DATABASE_URL");
  });
});
