import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { ContentHasher, FileLister } from "../../services/library/ports.js";
import { headTailHash } from "./fingerprint.js";
import { walkRootInParallel } from "./parallel-walk.js";
import { walkRoot, type RootWalk } from "./walk.js";

// Worker threads run compiled JavaScript; from TypeScript sources (the test runner) there is none,
// and the walk stays on the calling thread.
const WORKER_URL = new URL("./walk-worker.js", import.meta.url);
const DEFAULT_THREADS = existsSync(fileURLToPath(WORKER_URL)) ? Math.min(4, availableParallelism()) : 1;

/** The library folders on disk, as the scanner sees them. */
export class LibraryFileSystem implements FileLister, ContentHasher {
  constructor(private readonly extensions: ReadonlySet<string>, private readonly threads = DEFAULT_THREADS) {}

  list(root: string, signal?: AbortSignal): Promise<RootWalk> {
    const options = { extensions: this.extensions, ...(signal ? { signal } : {}) };
    return this.threads > 1 ? walkRootInParallel(root, options, WORKER_URL, this.threads) : walkRoot(root, options);
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
