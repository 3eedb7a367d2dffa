import type { JobMode } from "../conversion/job.js";
import type { PublishNotice } from "../publish/notices.js";
import type { SyncFinalReport } from "../sync/sync-report.js";

/**
 * What the owners and admins are told, as facts: the bot renders it as Telegram HTML, the command line as
 * plain text. Services say what happened; the wording lives with whoever shows it.
 */
export type AdminNotice =
  | { readonly kind: "conversion.done"; readonly fileName: string; readonly outputName: string; readonly mode: JobMode; readonly note: string | null;
      readonly elapsedMs: number; readonly durationS: number | null }
  | { readonly kind: "conversion.failed"; readonly fileName: string; readonly reason: string; readonly tail: readonly string[] }
  /** A library folder the admins were alerted about can be read again. */
  | { readonly kind: "library.folder-back"; readonly folder: string; readonly found: number }
  /** A scan held back a folder: `wouldMarkMissing` indexed files were not found there. */
  | { readonly kind: "library.folder-attention"; readonly folder: string; readonly reason: string; readonly wouldMarkMissing: number }
  /** `playlist` is relative to the export folder. */
  | { readonly kind: "export.ready"; readonly fileName: string; readonly rungs: string; readonly playlist: string }
  | { readonly kind: "export.failed"; readonly fileName: string; readonly why: string; readonly tail: readonly string[] }
  /** A batch of post outcomes, sent as one message. */
  | { readonly kind: "publish.batch"; readonly notices: readonly PublishNotice[] }
  /** The channel guard stopped a send. */
  | { readonly kind: "publish.blocked"; readonly fileName: string; readonly reason: string }
  /** A moved post's old copy could not be deleted. */
  | { readonly kind: "publish.old-post-kept"; readonly channelTitle: string; readonly description: string; readonly link: string }
  /** Uploads a stopped process left mid-send; `names` are the first few of `count`. */
  | { readonly kind: "publish.interrupted"; readonly count: number; readonly names: readonly string[] }
  /** A sync kept files that left its source (`kept`), because of `reason`. */
  | { readonly kind: "sync.held-back"; readonly title: string; readonly reason: string; readonly kept: number }
  /** A process that ran jobs fell silent (no graceful stop); its running jobs (`jobs`, their kinds) return to the queue when their leases end. */
  | { readonly kind: "process.lost"; readonly name: string; readonly host: string; readonly role: "primary" | "worker"; readonly seenAt: number;
      readonly jobs: readonly string[] }
  /** A sync's last word when it has no chat message of its own (started from the command line). */
  | { readonly kind: "sync.report"; readonly report: SyncFinalReport };

/** Sends a notice to every owner and admin; failures for one person do not stop the others. */
export interface AdminNotifier {
  notifyAdmins(notice: AdminNotice): Promise<void>;
}
