import type { WorkRole } from "../services/processes/work-roles.js";
import type { LibraryFolder } from "../services/library/folders.js";

export const CLOUD_API_ROOT = "https://api.telegram.org";
export const MIB = 1024 * 1024;
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

export interface LoadOptions {
  /** The CLI's doctor runs without a token; the bot never does. */
  readonly requireToken?: boolean;
  readonly requireAdmins?: boolean;
  readonly isTTY?: boolean;
}
