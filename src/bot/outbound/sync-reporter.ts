import type { Api } from "grammy";
import type { SyncFinalReport, SyncProgressReport } from "../../services/sync/sync-report.js";
import type { Logger } from "../../infra/logging/logger.js";
import { LiveMessage } from "../../infra/telegram/live-message.js";
import type { AdminNotifier } from "../../services/notices/notifier.js";
import type { SyncRun } from "../../services/sync/ports.js";
import type { SyncReporter } from "../../services/sync/sync-runner.js";
import { syncReportView } from "../views/sync.js";

/**
 * A run's progress on its one chat message (edited at most every few seconds), and its outcome there.
 * A run started without a message (from the command line, then resumed by the bot) reports its outcome
 * to the admins instead.
 */
export class TelegramSyncReporter implements SyncReporter {
  private readonly messages = new Map<number, LiveMessage>();

  constructor(private readonly api: Api, private readonly notifier: AdminNotifier, private readonly logger: Logger,
    private readonly intervalMs = 3000) {}

  progress(run: SyncRun, report: SyncProgressReport): void {
    this.messageOf(run)?.update(syncReportView.progress(report));
  }

  async final(run: SyncRun, report: SyncFinalReport): Promise<void> {
    const live = this.messageOf(run);
    this.messages.delete(run.id);
    if (live === null) {
      await this.notifier.notifyAdmins({ kind: "sync.report", report });
      return;
    }
    const shown = syncReportView.final(report);
    await live.finish(shown.html, shown.keyboard);
  }

  private messageOf(run: SyncRun): LiveMessage | null {
    if (run.chatId === null || run.messageId === null) return null;
    let live = this.messages.get(run.id);
    if (live === undefined) {
      live = new LiveMessage(this.api, run.chatId, this.logger, this.intervalMs);
      live.attach(run.messageId, "");
      this.messages.set(run.id, live);
    }
    return live;
  }
}
