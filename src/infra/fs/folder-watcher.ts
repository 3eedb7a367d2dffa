import { basename, resolve, sep } from "node:path";
import { watch, type FSWatcher } from "chokidar";
import type { FolderWatcher, WatchHandle } from "../../services/library/ports.js";
import { isIgnoredName } from "./ignore.js";

export interface FolderWatcherOptions {
  readonly polling: boolean;
  readonly pollIntervalMs: number;
  /** How long a file must stay the same size before it counts as written. */
  readonly stableMs: number;
}

/** Watches the library folders with chokidar (the only place that uses it). */
export class ChokidarFolderWatcher implements FolderWatcher {
  constructor(private readonly options: FolderWatcherOptions) {}

  watch(roots: readonly string[], onChange: (root: string) => void, onError: (err: unknown) => void): WatchHandle {
    const absolute = roots.map((r) => resolve(r));
    const rootOf = (path: string): string | undefined => absolute.find((r) => path === r || path.startsWith(r + sep));
    const watcher: FSWatcher = watch([...absolute], {
      ignoreInitial: true,
      followSymlinks: true,
      backend: this.options.polling ? "polling" : "auto",
      pollingInterval: this.options.pollIntervalMs,
      ignorePermissionErrors: true,
      ignored: (path: string) => isIgnoredName(basename(path)),
      awaitWriteFinish: { stabilityThreshold: Math.max(500, this.options.stableMs), pollInterval: 250 },
    });
    watcher.on("all", (_event, path) => {
      const root = rootOf(resolve(path));
      if (root !== undefined) onChange(root);
    });
    watcher.on("error", onError);
    return { close: () => watcher.close() };
  }
}
