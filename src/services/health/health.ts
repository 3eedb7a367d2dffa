import { redactDatabaseUrl, type Config, type DatabaseConfig } from "../../config.js";

export type CheckStatus = "ok" | "warn" | "fail";

export interface CheckResult {
  readonly status: CheckStatus;
  readonly label: string;
  /** What to do about it, for warn and fail. */
  readonly fix?: string;
}

/** The facts the health checks need, gathered by an infra adapter. */
export interface HealthProbe {
  nodeVersion(): string;
  /** The first line of `tool -version`, or null when it cannot be run. */
  toolVersion(command: string): Promise<string | null>;
  /** null when the folder exists (or was created) and is writable; otherwise why not. */
  writableDir(path: string): Promise<string | null>;
  /** null when the folder exists and can be listed; otherwise why not. */
  readableDir(path: string): Promise<string | null>;
  /** Whether a folder that can be listed holds nothing (an unmounted share's mount point looks like this). */
  isEmptyDir(path: string): Promise<boolean>;
  /**
   * Opens the database without changing it: the migrations it lacks, and SQLite's quick check ("ok" when sound);
   * on PostgreSQL, "ok" once the server answered, and `server` is its version.
   */
  database(database: DatabaseConfig): Promise<{ pendingMigrations: number; integrity: string; server?: string } | { error: string }>;
  getMe(token: string, apiRoot: string): Promise<{ username: string } | { error: string; unauthorized: boolean }>;
}

const INSTALL_FFMPEG = "install ffmpeg (Debian/Ubuntu: sudo apt-get install ffmpeg; Windows: winget install Gyan.FFmpeg) or set FFMPEG_PATH/FFPROBE_PATH";

async function checkTool(probe: HealthProbe, name: string, command: string): Promise<CheckResult> {
  const version = await probe.toolVersion(command);
  return version === null
    ? { status: "fail", label: `${name} not found (tried "${command}")`, fix: INSTALL_FFMPEG }
    : { status: "ok", label: version };
}

function checkNode(probe: HealthProbe): CheckResult {
  const version = probe.nodeVersion();
  const major = Number(version.split(".")[0]);
  return major >= 24
    ? { status: "ok", label: `Node.js ${version}` }
    : { status: "fail", label: `Node.js ${version} is too old`, fix: "install Node.js 24 LTS" };
}

async function checkDatabase(probe: HealthProbe, config: Config): Promise<CheckResult> {
  const db = await probe.database(config.database);
  const postgres = config.database.driver === "postgres";
  const name = config.database.driver === "postgres" ? `PostgreSQL database ${redactDatabaseUrl(config.database.url)}` : `database ${config.database.path}`;
  if ("error" in db) {
    return postgres
      ? { status: "fail", label: `${name} cannot be reached: ${db.error}`, fix: "check DATABASE_URL (host, port, database, user and password), that the server runs and that this machine may connect to it" }
      : { status: "fail", label: `${name} cannot be opened: ${db.error}`, fix: "check the file's permissions, or restore it from a backup" };
  }
  if (db.integrity !== "ok") return { status: "fail", label: `database integrity check failed: ${db.integrity}`, fix: "restore the database from a backup" };
  if (db.pendingMigrations > 0) return { status: "warn", label: `database needs ${db.pendingMigrations} migration(s)`, fix: "run `vidlib migrate` (the bot also applies them at start-up)" };
  return { status: "ok", label: `${name}${db.server === undefined ? "" : ` (PostgreSQL ${db.server})`} is up to date` };
}

async function checkRoots(probe: HealthProbe, config: Config): Promise<CheckResult[]> {
  if (config.libraryRoots.length === 0) {
    return [{ status: "warn", label: "LIBRARY_ROOTS is empty: there is no video folder to index", fix: "set LIBRARY_ROOTS to your video folders" }];
  }
  return Promise.all(config.libraryRoots.map(async (root): Promise<CheckResult> => {
    const problem = await probe.readableDir(root);
    if (problem !== null) return { status: "fail", label: `library root ${root}: ${problem}`, fix: "mount the share or correct LIBRARY_ROOTS" };
    return (await probe.isEmptyDir(root))
      ? { status: "warn", label: `library root ${root} is empty (is the share mounted?)`, fix: "mount the share; scans mark nothing missing while it is empty" }
      : { status: "ok", label: `library root ${root} is readable` };
  }));
}

async function checkTelegram(probe: HealthProbe, config: Config): Promise<CheckResult> {
  const { token, apiRoot } = config.telegram;
  if (token === "") return { status: "warn", label: "TELEGRAM_BOT_TOKEN is not set: Telegram not checked", fix: "set TELEGRAM_BOT_TOKEN" };
  const me = await probe.getMe(token, apiRoot);
  if ("username" in me) return { status: "ok", label: `Telegram: @${me.username} via ${apiRoot}` };
  return me.unauthorized
    ? { status: "fail", label: `Telegram at ${apiRoot} rejected the token: ${me.error}`, fix: "check TELEGRAM_BOT_TOKEN; after logOut, the bot answers only on the Local Bot API server" }
    : { status: "fail", label: `cannot reach the Bot API at ${apiRoot}: ${me.error}`, fix: "start the Local Bot API server or correct TELEGRAM_API_ROOT" };
}

/** Every start-up prerequisite, each with its fix when it is not met. */
export async function runHealthChecks(probe: HealthProbe, config: Config): Promise<CheckResult[]> {
  const dataDirProblem = await probe.writableDir(config.dataDir);
  const results: CheckResult[] = [
    checkNode(probe),
    await checkTool(probe, "ffmpeg", config.ffmpeg.ffmpegPath),
    await checkTool(probe, "ffprobe", config.ffmpeg.ffprobePath),
    dataDirProblem === null
      ? { status: "ok", label: `data folder ${config.dataDir} is writable` }
      : { status: "fail", label: `data folder ${config.dataDir}: ${dataDirProblem}`, fix: "set DATA_DIR to a writable folder" },
  ];
  if (dataDirProblem === null) results.push(await checkDatabase(probe, config));
  results.push(...(await checkRoots(probe, config)), await checkTelegram(probe, config));
  return results;
}
