import { defineConfig } from "vitest/config";

/**
 * The end-to-end files run a second time with the app on PostgreSQL: those that exercise the data layer
 * through the bot. The others test the process, Telegram's limits or SQLite files of their own.
 */
const E2E_ON_POSTGRES = ["second-primary", "roles", "access", "organise", "library", "sync-bot", "card-refresh", "stats-bot", "workers-bot",
  "review", "publish-bot", "publish-settle", "convert", "publish", "publish-uncertain", "dupes", "audio-only", "library-status"].map((name) => `test/e2e/${name}.test.ts`);

export default defineConfig({
  test: {
    // A throwaway PostgreSQL cluster (or VIDLIB_TEST_PG_URL) for the suites that run on both databases.
    globalSetup: ["test/support/global-setup.ts"],
    // Hang guards only: tests wait for events and states, and must pass on a busy machine.
    testTimeout: 300_000,
    hookTimeout: 120_000,
    // Each file gets its own emulator, database and temporary folders; two cores run two at a time.
    pool: "forks",
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "sqlite", include: ["test/**/*.test.ts"] } },
      // The bot end to end again with the app on PostgreSQL (skipped without a server, as the other PostgreSQL suites).
      { extends: true, test: { name: "e2e-postgres", include: E2E_ON_POSTGRES, env: { VIDLIB_TEST_DATABASE: "postgres" },
        setupFiles: ["test/support/postgres-e2e-setup.ts"] } },
    ],
  },
});
