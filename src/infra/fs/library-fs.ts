import { opendir } from "node:fs/promises";
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

  async folderState(root: string): Promise<{ problem: string | null; empty: boolean }> {
    try {
      const dir = await opendir(root);
      // One entry is enough to know the folder is not empty; a large share is not read in full.
      const first = await dir.read();
      await dir.close();
      return { problem: null, empty: first === null };
    } catch (err) {
      return { problem: folderProblem(err), empty: true };
    }
  }

  stat(path: string): Promise<{ size: number; mtimeMs: number } | null> {
    return fileStamp(path).catch(() => null);
  }

  headTail(path: string, size: number): Promise<string> {
    return headTailHash(path, size);
  }
}

/** Why a folder cannot be listed, in words for the team. */
function folderProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT": return "the folder is gone (is the share mounted?)";
    case "ENOTDIR": return "the path is no longer a folder";
    case "EACCES": case "EPERM": return "vidlib may not read the folder (permission denied)";
    case "EIO": case "ESTALE": case "EHOSTDOWN": case "ETIMEDOUT": case "ENOTCONN": return `the share does not answer (${code})`;
    default: return `the folder cannot be read (${code ?? (err as Error).message})`;
  }
}
