import { defineConfig } from "vitest/config";

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
      { extends: true, test: { name: "e2e-postgres", include: ["test/e2e/**/*.test.ts"], env: { VIDLIB_TEST_DATABASE: "postgres" },
        setupFiles: ["test/support/postgres-e2e-setup.ts"] } },
    ],
  },
});
