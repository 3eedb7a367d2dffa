import { SystemHealthProbe } from "../infra/system/health-probe.js";
import { backupCommand, restoreCommand } from "./backup.js";
import { defineCommand } from "./command.js";
import { convertCommand } from "./convert.js";
import { DB_USAGE, dbCommand } from "./db.js";
import { doctor } from "./doctor.js";
import { migrate } from "./migrate.js";
import { scanCommand } from "./scan.js";
import { SYNC_USAGE, syncCommand } from "./sync.js";
import { WORKER_USAGE, workerCommand } from "./worker.js";

const SETTINGS = "Settings come from the environment and .env, as for the bot (see README).";

/** Every `vidlib` command, in the order `vidlib help` lists them. */
export const COMMANDS = {
  doctor: defineCommand({
    summary: "check ffmpeg, the data folder, the database, the library roots and the Bot API",
    usage: `Usage: vidlib doctor\n\nChecks what vidlib needs and prints each problem with its fix; exit 1 if there is any.\n${SETTINGS}`,
    options: {},
    run: (config, _args, out) => doctor(config, new SystemHealthProbe(), out),
  }),
  migrate: defineCommand({
    summary: "apply pending database migrations",
    usage: `Usage: vidlib migrate\n\nApplies pending database migrations (the bot also applies them at start-up).\n${SETTINGS}`,
    options: {},
    run: (config, _args, out) => migrate(config, out),
  }),
  scan: defineCommand({
    summary: "scan the library folders once and print the summary (exit 1 if a folder needs attention)",
    usage: "Usage: vidlib scan\n\nScans the library folders (LIBRARY_ROOTS) once and prints the summary. Exit 1 if a folder needs\n"
      + "attention, 2 if there is no folder to scan, 130 when stopped with Ctrl+C (nothing is changed then).",
    options: {},
    run: (config, _args, out, err) => scanCommand(config, out, err),
  }),
  convert: defineCommand({
    summary: "run the conversion queue until nothing is due (--retry-failed queues failed ones again first)",
    usage: "Usage: vidlib convert [--retry-failed]\n\nRuns the conversion queue until nothing is due, beside a running bot or alone.\n\n"
      + "  --retry-failed   queue the failed conversions again first\n\nExit 1 if a conversion failed in the last day.",
    options: { "retry-failed": { type: "boolean" } },
    run: (config, { values }, out, err) => convertCommand(config, values["retry-failed"] === true, out, err),
  }),
  worker: defineCommand({
    summary: "run only conversions and/or exports until stopped: vidlib worker --roles convert,export [--name NAME]",
    usage: WORKER_USAGE,
    options: { roles: { type: "string" }, name: { type: "string" } },
    run: (config, { values }, out, err) => workerCommand(config, values, out, err),
  }),
  sync: defineCommand({
    summary: "mirror the sync folders into the library (vidlib sync --help for the options)",
    usage: SYNC_USAGE,
    options: { "dry-run": { type: "boolean" }, delete: { type: "boolean" } },
    positionals: Infinity,
    helpWord: true,
    run: (config, { values, positionals }, out, err) =>
      syncCommand(config, { dryRun: values["dry-run"] === true, delete: values.delete === true }, positionals, out, err),
  }),
  db: defineCommand({
    summary: "db copy --to postgres://…: copy this SQLite library into an empty PostgreSQL database",
    usage: DB_USAGE,
    options: { to: { type: "string" } },
    positionals: 1,
    helpWord: true,
    run: (config, { values, positionals }, out, err) => dbCommand(config, positionals, values.to, out, err),
  }),
  backup: defineCommand({
    summary: "copy the database to a file while vidlib runs (default: DATA_DIR/backups/vidlib-<time>.sqlite)",
    usage: "Usage: vidlib backup [file]\n\nCopies the database to the file (default: DATA_DIR/backups/vidlib-<time>.sqlite, or .pgdump with\n"
      + "DATABASE_URL) while vidlib runs, and checks the copy. Exit 1 if the backup failed.",
    options: {},
    positionals: 1,
    run: (config, { positionals }, out, err) => backupCommand(config, positionals[0], out, err),
  }),
  restore: defineCommand({
    summary: "put a backup in place of the database (stop vidlib first): vidlib restore <file>",
    usage: "Usage: vidlib restore <backup file>   (stop vidlib first)\n\nPuts an SQLite backup in place of the database; the one it replaces is kept beside it.\n"
      + "Exit 1 if vidlib is running or the file is no good backup. With DATABASE_URL, use pg_restore instead (see README).",
    options: {},
    positionals: 1,
    run: (config, { positionals }, out, err) => {
      if (config.database.driver === "postgres") {
        err("vidlib restore puts an SQLite backup file in place of the SQLite database; with DATABASE_URL set, restore a `vidlib backup` dump with pg_restore instead: "
          + "stop vidlib, then pg_restore --clean --if-exists --dbname=<DATABASE_URL> <file>.pgdump (see README, PostgreSQL).");
        return 2;
      }
      return restoreCommand(config, positionals[0], out, err);
    },
  }),
};
