import { pathToFileURL } from "node:url";
import { ConfigError, environmentWithDotenv, loadConfig, type Config } from "./config.js";
import { PrimaryLockLostError, SecondPrimaryError, startApp } from "./app.js";
import { AnotherPrimaryError } from "./infra/database/primary-lock.js";
import { TelegramSetupError } from "./bot/connect.js";
import { createLogger, type Logger } from "./infra/logging/logger.js";
import { redactProcessOutput, redactSecrets } from "./infra/logging/redact.js";

/** Exit codes: 0 stopped cleanly, 1 failed at run time, 2 configuration error. */
export async function main(): Promise<number> {
  // better-sqlite3 13 crashes rather than failing on an older Node: say so before it loads.
  if (Number(process.versions.node.split(".")[0]) < 24) {
    process.stderr.write(`vidlib needs Node.js 24 or newer; this is ${process.versions.node}. Start it with \`npm start\`, which uses the Node 24 that npm install added, or install Node.js 24 LTS.\n`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig(environmentWithDotenv(process.env, process.cwd()), process.cwd(), { isTTY: process.stdout.isTTY === true });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 2;
  }
  // Whatever writes to the console (a library, a crash handler), the token never reaches it.
  redactProcessOutput([config.telegram.token]);
  const logger = createLogger({ ...config.log, secrets: [config.telegram.token] });
  installCrashHandlers(logger, config.telegram.token);
  const abort = new AbortController();
  let requested: string | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    requested ??= signal;
    logger.info({ signal }, "stopping");
    abort.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const app = await startApp(config, logger, abort.signal);
    if (app === null) return 0;
    abort.signal.addEventListener("abort", () => void app.shutdown(), { once: true });
    if (abort.signal.aborted) void app.shutdown();
    let pollingFailed = false;
    await app.stopped.catch((err: unknown) => {
      pollingFailed = true;
      if (err instanceof PrimaryLockLostError) logger.fatal(err.message);
      else logger.fatal({ err }, "polling Telegram failed; stopping");
    });
    const clean = await app.shutdown();
    return pollingFailed || !clean ? 1 : 0;
  } catch (err) {
    if (err instanceof TelegramSetupError || err instanceof SecondPrimaryError || err instanceof AnotherPrimaryError) logger.fatal(err.message);
    else logger.fatal({ err }, "vidlib could not start");
    return 1;
  }
}

function installCrashHandlers(logger: Logger, token: string): void {
  process.on("unhandledRejection", (reason) => {
    logger.error({ err: reason }, "unhandled promise rejection");
  });
  process.on("uncaughtException", (err) => {
    logger.fatal({ err }, "uncaught exception");
    process.stderr.write(`${redactSecrets(String(err.stack ?? err), [token])}\n`);
    process.exit(1);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().then((code) => { process.exitCode = code; }, (err: unknown) => {
    process.stderr.write(`vidlib failed: ${redactSecrets(String(err))}\n`);
    process.exitCode = 1;
  });
}
