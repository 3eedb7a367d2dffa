import type { Actor } from "../people/actor.js";
import { requirePermission } from "../people/permissions.js";
import type { AuditService } from "../audit/audit.js";
import type { Clock } from "../shared/clock.js";
import type { AdminNotifier } from "../notices/notifier.js";
import { formatAgo, plural } from "../shared/units.js";
import { LibraryPaths } from "./library-paths.js";
import { statusText, type LibraryStatsStore, type LibraryTotals, type RootHealth } from "./library-stats.js";
import type { FileLister } from "./ports.js";
import { PROBLEMS_PER_PAGE, problemPageText, type ProblemPage } from "./problem-list.js";
import { emptyProgress, type ScanProgress, type ScanReport } from "./scan-report.js";
import type { Escape } from "./scan-summary.js";
import type { LibraryScanner } from "./scanner.js";
import type { SettingsStore } from "../search/abbreviation-service.js";

export interface LibraryServiceDeps {
  readonly scanner: LibraryScanner;
  readonly stats: LibraryStatsStore;
  readonly lister: FileLister;
  readonly audit: AuditService;
  readonly notifier: AdminNotifier;
  readonly clock: Clock;
  readonly roots: readonly string[];
  /** Follow-up work once a scan indexed new recordings (automatic conversion). */
  readonly newRecordings?: () => Promise<void>;
  /** Where the folders the admins were alerted about are kept, so an all-clear still comes after a restart. */
  readonly alertMemory?: SettingsStore;
}

const ALERTED_KEY = "library.alerted-folders";

type ProgressListener = (p: ScanProgress) => void;

/**
 * A scan under way, whoever started it. `started` says whether this call started it; either way the
 * listener hears its progress from now on and `report` settles with its outcome.
 */
export interface ScanHandle {
  readonly started: boolean;
  readonly progress: ScanProgress;
  readonly report: Promise<ScanReport>;
  /** Who or what started it, in a few words: "at start-up", "by Asha". */
  readonly origin: string;
}

/** Scans on request or on schedule, lets anyone follow the scan under way, alerts the admins about folders, and reports totals. */
export class LibraryService {
  /** Roots the admins were alerted about, with why; each gets one all-clear when a scan finds it fine again. */
  private alertedMap: Map<string, string> | null = null;
  private running: { report: Promise<ScanReport>; listeners: Set<ProgressListener>; origin: string } | null = null;
  readonly paths: LibraryPaths;

  constructor(private readonly deps: LibraryServiceDeps) {
    this.paths = new LibraryPaths(deps.roots);
  }

  get roots(): readonly string[] {
    return this.deps.roots;
  }

  /** Starts a scan, or joins the one under way; either way `onProgress` follows it to the end. */
  startScan(actor: Actor, onProgress?: ProgressListener, origin = "on request"): ScanHandle {
    requirePermission(actor, "scan");
    const running = this.running;
    if (running !== null) {
      if (onProgress !== undefined) running.listeners.add(onProgress);
      const progress = this.deps.scanner.progress;
      if (progress !== null) return { started: false, progress, report: running.report, origin: running.origin };
    }
    const listeners = new Set<ProgressListener>(onProgress === undefined ? [] : [onProgress]);
    const start = this.deps.scanner.start(actor, (p) => { for (const listener of listeners) listener(p); });
    // Every scan starts here, so the scanner is never busy without `running` being set.
    if (!start.started) throw new Error("the scanner is busy with a scan the library service did not start");
    const record = { report: start.report.then((r) => this.finish(r)), listeners, origin };
    record.report = record.report.finally(() => {
      if (this.running === record) this.running = null;
      listeners.clear();
    });
    this.running = record;
    return { started: true, progress: this.deps.scanner.progress ?? emptyProgress(this.deps.clock.now()), report: record.report, origin };
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
    return (await this.statusReport(escape)).text;
  }

  /** The /status text and how many files are unreadable or missing (the list behind its button). */
  async statusReport(escape: Escape): Promise<{ text: string; problems: number }> {
    const totals = await this.deps.stats.totals();
    const roots = await Promise.all(this.deps.roots.map(async (root) => ({ ...(await this.rootHealth(root, totals)), name: this.paths.folder(root) })));
    const last = await this.deps.audit.latestOf("library.scan");
    const lastScan = last === null ? null : formatAgo((this.deps.clock.now() - last.at) / 1000);
    const progress = this.scanProgress;
    const scanning = progress === null ? null : progress.phase === "listing" ? "listing files" : `${progress.probed} of ${progress.toProbe} files read`;
    return { text: statusText({ totals, roots, lastScan, scanning }, escape), problems: totals.unreadable + totals.missing };
  }

  /** One page (0-based) of the unreadable and missing files, with their reasons. */
  async problemPage(actor: Actor, page: number, escape: Escape): Promise<ProblemPage> {
    requirePermission(actor, "browse");
    const totals = await this.deps.stats.totals();
    const pages = Math.max(1, Math.ceil((totals.unreadable + totals.missing) / PROBLEMS_PER_PAGE));
    const at = Math.min(Math.max(0, page), pages - 1);
    const files = await this.deps.stats.problems(at * PROBLEMS_PER_PAGE, PROBLEMS_PER_PAGE);
    return problemPageText(files, totals, at, this.paths, escape, this.deps.clock.now());
  }

  /** A folder now: unreachable, or listing empty while files are indexed there (an unmounted share), or held back by the last scan. */
  private async rootHealth(root: string, totals: LibraryTotals): Promise<RootHealth> {
    const state = await this.deps.lister.folderState(root);
    if (state.problem !== null) return { root, state: "unreachable", reason: state.problem };
    const indexed = totals.presentByRoot.get(root) ?? 0;
    if (state.empty && indexed > 0) return { root, state: "unreachable", reason: `the folder is empty but ${plural(indexed, "file is", "files are")} indexed there (is the share mounted?)` };
    const held = (await this.alerted()).get(root);
    return held === undefined ? { root, state: "ok" } : { root, state: "held", reason: held };
  }

  /** The library's counts after the scan, then the folder alerts and all-clears. */
  private async finish(report: ScanReport): Promise<ScanReport> {
    const totals = await this.deps.stats.totals();
    await this.alertFolders(report);
    if (report.new > 0 && this.deps.newRecordings !== undefined) await this.deps.newRecordings();
    return { ...report, library: { unreadable: totals.unreadable, missing: totals.missing } };
  }

  private async alertFolders(report: ScanReport): Promise<void> {
    const alerted = await this.alerted();
    for (const root of report.roots) {
      const folder = this.paths.folder(root.root);
      if (root.guard === null) {
        if (root.state === "ok" && alerted.delete(root.root)) {
          await this.rememberAlerts(alerted);
          await this.deps.notifier.notifyAdmins({ kind: "library.folder-back", folder, found: root.found });
        }
        continue;
      }
      const told = alerted.has(root.root);
      alerted.set(root.root, root.guard.reason);
      await this.rememberAlerts(alerted);
      if (told) continue;
      await this.deps.notifier.notifyAdmins({ kind: "library.folder-attention", folder, reason: root.guard.reason, wouldMarkMissing: root.guard.wouldMarkMissing });
    }
  }

  /** The alerted folders, read once from where they are kept. */
  private async alerted(): Promise<Map<string, string>> {
    if (this.alertedMap === null) {
      const kept = (await this.deps.alertMemory?.get(ALERTED_KEY)) ?? null;
      this.alertedMap ??= new Map(kept === null ? [] : alertEntries(kept));
    }
    return this.alertedMap;
  }

  private async rememberAlerts(alerted: Map<string, string>): Promise<void> {
    await this.deps.alertMemory?.set(ALERTED_KEY, JSON.stringify(Object.fromEntries(alerted)), this.deps.clock.now());
  }
}

/** The kept alerts; an unreadable value counts as none (at worst one all-clear is missed). */
function alertEntries(kept: string): [string, string][] {
  try {
    return Object.entries(JSON.parse(kept) as Record<string, string>);
  } catch {
    return [];
  }
}
