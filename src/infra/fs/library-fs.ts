import { readdir } from "node:fs/promises";
import { fileStamp } from "./file-stamp.js";
import type { ContentHasher, FileLister } from "../../services/library/ports.js";
import { headTailHash } from "./fingerprint.js";
import { walkRoot, type RootWalk } from "./walk.js";

/** The library folders on disk, as the scanner sees them. */
export class LibraryFileSystem implements FileLister, ContentHasher {
  constructor(private readonly extensions: ReadonlySet<string>) {}

  list(root: string, libraryRoots: readonly string[], signal?: AbortSignal): Promise<RootWalk> {
    return walkRoot(root, { extensions: this.extensions, libraryRoots, ...(signal ? { signal } : {}) });
  }

  async reachable(root: string): Promise<boolean> {
    try {
      await readdir(root);
      return true;
    } catch {
      return false;
    }
  }

  stat(path: string): Promise<{ size: number; mtimeMs: number } | null> {
    return fileStamp(path).catch(() => null);
  }

  headTail(path: string, size: number): Promise<string> {
    return headTailHash(path, size);
  }
}
