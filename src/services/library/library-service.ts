import type { Actor } from "../actor.js";
import { requirePermission } from "../permissions.js";
import type { AuditService } from "../audit.js";
import type { Clock } from "../clock.js";
import type { AdminNotifier } from "../notifier.js";
import { escapeHtml } from "../telegram-html.js";
import { formatCount, formatDuration } from "../units.js";
import { statusText, type LibraryStatsStore } from "./library-stats.js";
import type { FileLister } from "./ports.js";
import type { ScanProgress, ScanReport } from "./scan-report.js";
import type { Escape } from "./scan-summary.js";
import type { LibraryScanner, ScanStart } from "./scanner.js";

export interface LibraryServiceDeps {
  readonly scanner: LibraryScanner;
  readonly stats: LibraryStatsStore;
  readonly lister: FileLister;
  readonly audit: AuditService;
  readonly notifier: AdminNotifier;
  readonly clock: Clock;
  readonly roots: readonly string[];
}

/** Scans on request or on schedule, alerts the admins when the unmount guard holds, and reports totals. */
export class LibraryService {
  /** Roots whose guard the admins were already told about; cleared when the root is fine again. */
  private readonly alerted = new Set<string>();

  constructor(private readonly deps: LibraryServiceDeps) {}

  get roots(): readonly string[] {
    return this.deps.roots;
  }

  /** Starts a scan, or reports the one under way. */
  startScan(actor: Actor, onProgress?: (p: ScanProgress) => void): ScanStart {
    requirePermission(actor, "scan");
    const start = this.deps.scanner.start(actor, onProgress);
    if (!start.started) return start;
    return { started: true, report: start.report.then(async (report) => { await this.alertGuards(report); return report; }) };
  }

  /** The progress of a scan under way, or null. */
  get scanProgress(): ScanProgress | null {
    return this.deps.scanner.progress;
  }

  /** Stops a scan under way without writing anything. */
  cancelScan(): void {
    this.deps.scanner.cancel();
  }

  /** The /status text, escaped with `escape`. */
  async status(escape: Escape): Promise<string> {
    const totals = await this.deps.stats.totals();
    const roots = await Promise.all(this.deps.roots.map(async (root) => ({ root, ok: await this.deps.lister.reachable(root) })));
    const last = await this.deps.audit.latestOf("library.scan");
    const ago = last === null ? null : `${formatDuration((this.deps.clock.now() - last.at) / 1000)} ago`;
    return statusText(totals, roots, ago, escape);
  }

  private async alertGuards(report: ScanReport): Promise<void> {
    for (const root of report.roots) {
      if (root.guard === null) {
        this.alerted.delete(root.root);
        continue;
      }
      if (this.alerted.has(root.root)) continue;
      this.alerted.add(root.root);
      await this.deps.notifier.notifyAdmins(
        `⚠️ <b>Library folder needs attention</b>\n${escapeHtml(root.root)}: ${escapeHtml(root.guard.reason)}.\n` +
        `${formatCount(root.guard.wouldMarkMissing)} indexed files were not found there; to be safe nothing was marked missing. ` +
        "Check the folder or share, then run /scan.");
    }
  }
}
