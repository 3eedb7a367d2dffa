import type { Logger } from "../infra/logger.js";
import { systemActor } from "../services/actor.js";
import type { LibraryService } from "../services/library/library-service.js";
import type { FolderWatcher, WatchHandle } from "../services/library/ports.js";

export interface LibraryWorkerOptions {
  readonly watch: boolean;
  readonly reconcileIntervalMs: number;
  readonly settleMs: number;
  /** Quiet time after a burst of file events before scanning. */
  readonly debounceMs?: number;
}

/**
 * Keeps the index current without anyone asking: a scan at start-up, a scan shortly after the watcher
 * sees a change, a full reconcile on an interval (watchers miss events on network shares), and a
 * follow-up scan for files that were still being copied.
 */
export class LibraryWorker {
  private timer: NodeJS.Timeout | undefined;
  private interval: NodeJS.Timeout | undefined;
  private watcher: WatchHandle | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly library: LibraryService, private readonly watcherFactory: FolderWatcher,
    private readonly logger: Logger, private readonly options: LibraryWorkerOptions) {}

  start(): void {
    if (this.library.roots.length === 0) return;
    if (this.options.watch) {
      this.watcher = this.watcherFactory.watch(this.library.roots, (root) => this.schedule(`after a change in ${this.library.paths.folder(root)}`),
        (err) => this.logger.warn({ err }, "folder watcher error; the periodic reconcile still runs"));
    }
    if (this.options.reconcileIntervalMs > 0) {
      this.interval = setInterval(() => this.schedule("by the periodic reconcile", 0), this.options.reconcileIntervalMs);
    }
    this.schedule("at start-up", 0);
  }

  /** Scans after `delayMs` of quiet; later requests push the scan back. `reason` ("at start-up") is shown to whoever follows the scan. */
  schedule(reason: string, delayMs = this.options.debounceMs ?? 3000): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.running = this.scan(reason); }, delayMs);
  }

  private async scan(reason: string): Promise<void> {
    const start = this.library.startScan(systemActor("scanner"), undefined, reason);
    if (!start.started) {
      this.schedule(reason); // someone else's scan is running; look again after it
      return;
    }
    try {
      const report = await start.report;
      this.logger.info({ reason, found: report.found, new: report.new, changed: report.changed, moved: report.moved, missing: report.missing, unreadable: report.unreadable }, "library scanned");
      if (report.settling > 0) this.schedule("for files that were still being copied", this.options.settleMs + 1000);
    } catch (err) {
      if ((err as Error).name !== "AbortError") this.logger.error({ err, reason }, "library scan failed");
    }
  }

  /** Stops watching and scheduling, and cancels a scan under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.interval);
    await this.watcher?.close();
    this.library.cancelScan();
    await this.running;
  }
}
