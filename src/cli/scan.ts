import type { Config } from "../config.js";
import { createServices, telegramClientsFor } from "../composition.js";
import { openCommandDatabase } from "./open-database.js";
import { createLogger } from "../infra/logging/logger.js";
import { TelegramAdminNotifier } from "../bot/outbound/admin-notifier.js";
import { systemActor } from "../services/people/actor.js";
import { progressText, summaryText } from "../services/library/scan-summary.js";
import type { AdminNotifier } from "../services/notices/notifier.js";

type Out = (text: string) => void;
const plain = (text: string): string => text;

/** `vidlib scan`: one scan, the summary on standard output; exit 1 when a folder needs attention. */
export async function scanCommand(config: Config, out: Out, err: Out): Promise<number> {
  if (config.libraryRoots.length === 0) {
    err("LIBRARY_ROOTS is empty: there is no video folder to scan. Set it in the environment or .env (see README).");
    return 2;
  }
  const logger = createLogger({ level: "warn", pretty: false, secrets: [config.telegram.token], destination: process.stderr });
  // One set of Bot API clients for the process: the notifier and the services share its throttle.
  const telegram = telegramClientsFor(config, logger);
  // With a token, the unmount guard alerts the admins in Telegram as it does in the bot; without, it is printed.
  const notifier: AdminNotifier = config.telegram.token !== "" && config.adminIds.length > 0
    ? new TelegramAdminNotifier(telegram.api(), config.adminIds, logger)
    : { notifyAdmins: () => Promise.resolve() };
  const db = await openCommandDatabase(config, logger);
  const library = createServices(db.dataSource, config, notifier, db.clock, logger, { libraryChanged: () => undefined, telegram, enqueueSignal: db.enqueueSignal }).library;
  const onSigint = (): void => library.cancelScan();
  process.once("SIGINT", onSigint);
  let lastShown = 0;
  try {
    const start = library.startScan(systemActor("cli"), (p) => {
      if (process.stderr.isTTY && Date.now() - lastShown > 3000) {
        lastShown = Date.now();
        err(progressText(p));
      }
    });
    if (!start.started) return 1;
    const report = await start.report;
    out(summaryText(report, plain, library.paths, 100_000));
    return report.roots.some((r) => r.guard !== null || r.state !== "ok") ? 1 : 0;
  } catch (e) {
    if ((e as Error).name === "AbortError") {
      err("Scan cancelled; nothing was changed.");
      return 130;
    }
    throw e;
  } finally {
    process.off("SIGINT", onSigint);
    await db.close();
  }
}
