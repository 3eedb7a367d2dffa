import { join } from "node:path";
import { loadConfig, type Config } from "../../src/config.js";
import { startApp, type App } from "../../src/app.js";
import { createLogger } from "../../src/infra/logging/logger.js";
import { CaptureStream } from "./capture-stream.js";
import { appDatabase } from "./e2e-database.js";
import { makeTempDir } from "./temp-dir.js";
import { TelegramEmulator } from "./telegram/index.js";
import type { Clock } from "../../src/services/shared/clock.js";

export const ADMIN_ID = 1001;
export const STRANGER_ID = 666;

export interface AppHarness {
  readonly emu: TelegramEmulator;
  readonly app: App;
  readonly config: Config;
  readonly logs: CaptureStream;
  readonly dataDir: string;
  /** Stops the app, the emulator and removes the data folder; checks that no log line holds the token. */
  stop(): Promise<void>;
}

/**
 * The real app, in this process, against a fresh emulator and a fresh database: an SQLite file, or with
 * VIDLIB_TEST_DATABASE=postgres a PostgreSQL database of its own (see e2e-database.ts).
 */
export async function startAppHarness(env: Record<string, string> = {}, clock?: Clock, configure: (config: Config) => Config = (c) => c): Promise<AppHarness> {
  const database = await appDatabase();
  const emu = await TelegramEmulator.start({ profile: "local", botUsername: "vidlib_test_bot" });
  const tmp = makeTempDir();
  const config = configure(loadConfig({
    ...database.env,
    TELEGRAM_BOT_TOKEN: emu.token,
    TELEGRAM_API_ROOT: emu.apiRoot,
    TELEGRAM_LOCAL_MODE: "true",
    ADMIN_IDS: String(ADMIN_ID),
    DATA_DIR: join(tmp.dir, "data"),
    LOG_LEVEL: "debug",
    ...env,
  }, tmp.dir));
  const logs = new CaptureStream();
  const logger = createLogger({ ...config.log, pretty: false, secrets: [config.telegram.token], destination: logs });
  let app: App | null;
  try {
    app = await startApp(config, logger, new AbortController().signal, clock);
    if (app === null) throw new Error("the app did not start");
  } catch (err) {
    await emu.stop();
    tmp.cleanup();
    await database.drop();
    throw err;
  }
  const started = app;
  return {
    emu, app: started, config, logs, dataDir: config.dataDir,
    async stop() {
      await started.shutdown();
      await emu.stop();
      tmp.cleanup();
      await database.drop();
      const secret = config.telegram.token.split(":")[1] ?? "";
      if (logs.text.includes(secret)) throw new Error("a log line contains the bot token");
    },
  };
}

export interface LibraryHarness extends AppHarness {
  /** A library folder of its own (removed by stop). */
  readonly library: string;
  /** Scans the library now and waits for the report. */
  scan(): Promise<void>;
}

/** The app with one library folder, no watcher and no settling delay: tests put real clips in it and scan. */
export async function startLibraryHarness(env: Record<string, string> = {}, clock?: Clock, configure?: (config: Config) => Config): Promise<LibraryHarness> {
  const lib = makeTempDir("vidlib-library-");
  const h = await startAppHarness({ LIBRARY_ROOTS: lib.dir, WATCH: "false", SCAN_SETTLE_SECONDS: "0", ...env }, clock, configure);
  return {
    ...h,
    library: lib.dir,
    async scan() {
      // A scan already under way (the start-up scan, on the job engine) may have listed the folder before the
      // test's files were there: wait for it, then scan.
      for (;;) {
        const start = h.app.services.library.startScan({ kind: "system", name: "test" });
        await start.report;
        if (start.started) return;
      }
    },
    async stop() {
      if (h.emu.violations.length > 0) throw new Error(`the bot broke Telegram's rules: ${JSON.stringify(h.emu.violations)}`);
      await h.stop();
      lib.cleanup();
    },
  };
}
