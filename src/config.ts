import { resolve } from "node:path";
import { readFileSync } from "node:fs";
import { parse as parseDotenv } from "dotenv";
import { configSchema } from "./config/schema.js";
import type { Config, LoadOptions } from "./config/types.js";

export { CLOUD_API_ROOT, LOG_LEVELS, UPLOAD_LIMITS } from "./config/types.js";
export type { Config, DatabaseConfig, LoadOptions, LogLevel, ScanConfig } from "./config/types.js";

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

/** Validates the environment once into a typed Config, or throws ConfigError naming every bad variable. */
export function loadConfig(env: Env, cwd: string, options: LoadOptions = {}): Config {
  const parsed = configSchema(cwd, options).safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? "environment"), expected: issue.message })));
}
