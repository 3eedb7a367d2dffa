import type { Config } from "../config.js";
import { createServices, telegramClientsFor } from "../composition.js";
import { openCommandDatabase } from "./open-database.js";
import { createLogger } from "../infra/logging/logger.js";
import { TelegramAdminNotifier } from "../bot/outbound/admin-notifier.js";
import { adminNoticeHtml } from "../bot/views/admin-notices.js";
import { systemActor } from "../services/people/actor.js";
import type { AdminNotifier } from "../services/notices/notifier.js";
import { newProcessOwner } from "../infra/system/process-owner.js";
import { CONVERSION } from "../services/conversion/conversion-kinds.js";
import { JobRunner } from "../workers/job-runner.js";
import { plainText } from "./plain-text.js";

import type { Out } from "./command.js";

/** Notices as plain text on standard output when there is no bot to send them. */
const printed = (out: Out): AdminNotifier => ({
  notifyAdmins: (notice) => {
    out(plainText(adminNoticeHtml(notice)));
    return Promise.resolve();
  },
});

/**
 * `vidlib convert [--retry-failed]`: runs the conversion queue until no job is due, then exits. Safe beside a
 * running bot: each job is claimed by one process on the job engine, and a job is only taken over when its
 * process has stopped (its lease ran out).
 */
export async function convertCommand(config: Config, retryFailed: boolean, out: Out, err: Out): Promise<number> {
  const logger = createLogger({ level: "warn", pretty: false, secrets: [config.telegram.token], destination: process.stderr });
  // One set of Bot API clients for the process: the notifier and the services share its throttle.
  const telegram = telegramClientsFor(config, logger);
  const notifier = config.telegram.token !== "" && config.adminIds.length > 0
    ? new TelegramAdminNotifier(telegram.api(), config.adminIds, logger)
    : printed(out);
  const db = await openCommandDatabase(config, logger);
  const services = createServices(db.dataSource, config, notifier, db.clock, logger, { libraryChanged: () => undefined, telegram, enqueueSignal: db.enqueueSignal });
  await services.settings.load();
  const { conversions } = services;
  const runner = new JobRunner({ store: services.jobStore, queue: services.jobs, clock: db.clock, logger, owner: newProcessOwner() });
  runner.register(CONVERSION, (context) => conversions.run(context), 1);
  let stopping = false;
  const onSignal = (): void => {
    err("Stopping: the running conversion starts again next time.");
    stopping = true;
    void runner.stop();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    if (retryFailed) out(`Queued ${await conversions.retryFailed(systemActor("cli"))} failed conversion(s) again.`);
    const recovered = await conversions.interrupted();
    if (recovered > 0) out(`Restarting ${recovered} interrupted conversion(s).`);
    let ran = 0;
    out("Converting…");
    while (!stopping && (await runner.runOnce(CONVERSION))) ran++;
    const { counts } = await conversions.overview(0);
    out(`Done: ${ran} job(s) run. Now queued: ${counts.queued}, running elsewhere: ${counts.running}, failed in the last day: ${counts.failed}.`);
    return counts.failed > 0 ? 1 : 0;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await db.close();
  }
}
