import { ConfigError, environmentWithDotenv, loadConfig, redactDatabaseUrl, type Config } from "../config.js";
import { openDatabase } from "../infra/database.js";
import { SystemHealthProbe } from "../infra/health-probe.js";
import { redactProcessOutput, redactSecrets } from "../infra/redact.js";
import { doctor } from "./doctor.js";
import { scanCommand } from "./scan.js";
import { convertCommand } from "./convert.js";
import { SYNC_USAGE, syncCommand } from "./sync.js";
import { backupCommand, restoreCommand } from "./backup.js";
import { workerCommand } from "./worker.js";
import { dbCommand } from "./db.js";

const USAGE = `Usage: vidlib <command>

Commands:
  doctor    check ffmpeg, the data folder, the database, the library roots and the Bot API
  migrate   apply pending database migrations
  scan      scan the library folders once and print the summary (exit 1 if a folder needs attention)
  convert   run the conversion queue until nothing is due (--retry-failed queues failed ones again first)
  worker    run only conversions and/or exports until stopped: vidlib worker --roles convert,export [--name NAME]
  sync      mirror the sync folders into the library (vidlib sync help for the options)
  db        db copy --to postgres://…: copy this SQLite library into an empty PostgreSQL database
  backup    copy the database to a file while vidlib runs (default: DATA_DIR/backups/vidlib-<time>.sqlite)
  restore   put a backup in place of the database (stop vidlib first): vidlib restore <file>
  help      show this text

Settings come from the environment and .env, as for the bot (see README).`;

type Out = (text: string) => void;

const COMMANDS = ["doctor", "migrate", "scan", "convert", "worker", "db", "sync", "backup", "restore"];

function configFor(command: string, err: Out): Config | null {
  const lenient = COMMANDS.includes(command);
  try {
    return loadConfig(environmentWithDotenv(process.env, process.cwd()), process.cwd(), { requireToken: !lenient, requireAdmins: !lenient });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    err(e.message);
    return null;
  }
}

async function migrate(config: Config, out: Out): Promise<number> {
  const { dataSource, applied } = await openDatabase(config.database);
  await dataSource.destroy();
  const name = config.database.driver === "postgres" ? redactDatabaseUrl(config.database.url) : config.database.path;
  out(applied.length === 0 ? `Database ${name} is up to date.` : `Applied: ${applied.join(", ")}`);
  return 0;
}

/** Runs one CLI command and returns its exit code (2 for usage or configuration errors). */
export async function runCli(args: readonly string[], out: Out, err: Out): Promise<number> {
  const command = args[0] ?? "help";
  if (command === "help" || command === "--help" || command === "-h") {
    out(USAGE);
    return 0;
  }
  if (!COMMANDS.includes(command)) {
    err(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  const config = configFor(command, err);
  if (config === null) return 2;
  if (command === "db") return dbCommand(config, args.slice(1), out, err);
  if (command === "restore" && config.database.driver === "postgres") {
    err("vidlib restore puts an SQLite backup file in place of the SQLite database; with DATABASE_URL set, restore a `vidlib backup` dump with pg_restore instead: "
      + "stop vidlib, then pg_restore --clean --if-exists --dbname=<DATABASE_URL> <file>.pgdump (see README, PostgreSQL).");
    return 2;
  }
  if (command === "scan") return scanCommand(config, out, err);
  if (command === "convert") return convertCommand(config, args.slice(1), out, err);
  if (command === "worker") return workerCommand(config, args.slice(1), out, err);
  if (command === "backup") return backupCommand(config, args.slice(1), out, err);
  if (command === "restore") return restoreCommand(config, args.slice(1), out, err);
  if (command === "sync") return args[1] === "help" ? (out(SYNC_USAGE), 0) : syncCommand(config, args.slice(1), out, err);
  return command === "doctor" ? doctor(config, new SystemHealthProbe(), out) : migrate(config, out);
}

export async function cliMain(): Promise<void> {
  const write = (stream: NodeJS.WriteStream) => (text: string) => stream.write(`${text}\n`);
  redactProcessOutput([]);
  try {
    process.exitCode = await runCli(process.argv.slice(2), write(process.stdout), write(process.stderr));
  } catch (e) {
    process.stderr.write(`vidlib: ${redactSecrets(e instanceof Error ? e.message : String(e))}\n`);
    process.exitCode = 1;
  }
}
