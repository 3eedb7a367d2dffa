import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each file gets its own emulator, database and temporary folders; two cores run two at a time.
    pool: "forks",
    maxWorkers: 2,
  },
});
