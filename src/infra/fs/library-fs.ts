import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ContentHasher, FileLister } from "../../services/library/ports.js";
import { headTailHash } from "./fingerprint.js";
import { unpackWalk, type PackedWalk, type WalkRequest } from "./walk-packing.js";
import { walkRoot, type RootWalk } from "./walk.js";

// The worker runs compiled JavaScript; from TypeScript sources (the test runner) there is none, and
// the walk runs on the calling thread instead, yielding to the event loop as it goes.
const WORKER_URL = new URL("./walk-worker.js", import.meta.url);
const workerAvailable = existsSync(fileURLToPath(WORKER_URL));

/** The library folders on disk, as the scanner sees them. */
export class LibraryFileSystem implements FileLister, ContentHasher {
  constructor(private readonly extensions: ReadonlySet<string>, private readonly useWorker = workerAvailable) {}

  list(root: string, signal?: AbortSignal): Promise<RootWalk> {
    if (!this.useWorker) return walkRoot(root, { extensions: this.extensions, ...(signal ? { signal } : {}) });
    return new Promise((resolve, reject) => {
      const request: WalkRequest = { root, extensions: [...this.extensions] };
      const worker = new Worker(WORKER_URL, { workerData: request });
      const onAbort = (): void => { void worker.terminate(); reject(signal?.reason instanceof Error ? signal.reason : new Error("listing cancelled")); };
      signal?.addEventListener("abort", onAbort, { once: true });
      worker.once("message", (packed: PackedWalk) => resolve(unpackWalk(packed)));
      worker.once("error", reject);
      worker.once("exit", () => signal?.removeEventListener("abort", onAbort));
    });
  }

  async reachable(root: string): Promise<boolean> {
    try {
      await readdir(root);
      return true;
    } catch {
      return false;
    }
  }

  headTail(path: string, size: number): Promise<string> {
    return headTailHash(path, size);
  }
}
