import type { Logger } from "../infra/logging/logger.js";
import type { Clock } from "../services/shared/clock.js";
import type { JobQueue } from "../services/jobs/job-queue.js";
import type { LibraryService } from "../services/library/library-service.js";
import type { FolderWatcher, WatchHandle } from "../services/library/ports.js";
import { requestScan } from "../services/library/scan-job.js";

export interface LibraryWorkerOptions {
  readonly watch: boolean;
  readonly settleMs: number;
  /** Quiet time after a burst of file events before scanning. */
  readonly debounceMs?: number;
}

/**
 * Keeps the index current without anyone asking: asks the job engine for a scan at start-up and shortly
 * after the watcher sees a change (a burst of events makes one request). The scans themselves, the periodic
 * reconcile (a schedule) and the follow-up scan for files still being copied run on the engine
 * (src/services/library/scan-job.ts).
 */
export class LibraryWorker {
  private timer: NodeJS.Timeout | undefined;
  private watcher: WatchHandle | undefined;
  private stopped = false;

  constructor(private readonly library: LibraryService, private readonly jobs: JobQueue, private readonly clock: Clock,
    private readonly watcherFactory: FolderWatcher, private readonly logger: Logger, private readonly options: LibraryWorkerOptions) {}

  start(): void {
    if (this.library.roots.length === 0) return;
    if (this.options.watch) {
      this.watcher = this.watcherFactory.watch(this.library.roots, (root) => this.schedule(`after a change in ${this.library.paths.folder(root)}`),
        (err) => this.logger.warn({ err }, "folder watcher error; the periodic reconcile still runs"));
    }
    this.schedule("at start-up", 0);
  }

  /** Asks for a scan after `delayMs` of quiet; later requests within it push it back. */
  schedule(reason: string, delayMs = this.options.debounceMs ?? 3000): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const request = () => {
      requestScan(this.jobs, this.clock, reason).catch((err: unknown) => this.logger.error({ err, reason }, "could not ask for a library scan"));
    };
    if (delayMs <= 0) request();
    else this.timer = setTimeout(request, delayMs);
  }

  /** Asks for a scan once files still being copied have had time to settle. */
  afterSettling(): Promise<void> {
    return requestScan(this.jobs, this.clock, "for files that were still being copied", this.options.settleMs + 1000);
  }

  /** Stops watching and asking. A scan under way is the job runner's: its stop cancels the scan and hands the job back. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.watcher?.close();
  }
}
