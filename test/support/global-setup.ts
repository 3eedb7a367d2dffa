import type { TestProject } from "vitest/node";
import { postgresServer } from "./postgres-cluster.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** A PostgreSQL URL the tests may create databases from, or "" when there is none. */
    pgUrl: string;
    /** Why there is no PostgreSQL server for the tests ("" when there is one). */
    pgUnavailable: string;
  }
}

/** Once per test run: a PostgreSQL server for the suites that run on both databases, stopped at the end. */
export default function setup(project: TestProject): () => void {
  const server = postgresServer(process.env);
  if ("unavailable" in server) {
    project.provide("pgUrl", "");
    project.provide("pgUnavailable", server.unavailable);
    return () => undefined;
  }
  project.provide("pgUrl", server.url);
  project.provide("pgUnavailable", "");
  return () => server.stop();
}
