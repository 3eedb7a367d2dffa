import { isAbsolute, join, relative, sep } from "node:path";
import { posix, win32 } from "node:path";
import type { LibraryFolder } from "./folders.js";

/** Where the index says a file is: its folder's name (null in rows from before folders had names), the primary's folder path, and the rest. */
export interface PlacedFile {
  readonly folder: string | null;
  readonly root: string;
  readonly relativePath: string;
  /** The primary's absolute path. */
  readonly path: string;
}

/** "Where is this file on this machine", and back: the port conversions, exports and adoption go through. */
export interface VideoLocator {
  /** The file's path on this machine; null when its folder is not one of the primary's. */
  here(file: PlacedFile): string | null;
  /** How the index records a file found at `localPath` on this machine; null when it lies in no library folder. */
  recorded(localPath: string): PlacedFile | null;
}

/** The primary's path syntax, told from its folder's path (a worker may run on another system). */
function flavourOf(primaryPath: string): typeof posix {
  return /^[A-Za-z]:[\\/]|^\\\\/.test(primaryPath) ? win32 : posix;
}

/**
 * Locates library files by folder name. The primary is the reference: its own files are where the index
 * says. A worker, once it has checked the primary's folders (`usePrimaryFolders`), finds each folder at
 * its mount in VIDLIB_PATH_MAP, or at the primary's path when the map does not name it, and never uses the
 * primary's absolute path of a file.
 */
export class LibraryLocator implements VideoLocator {
  private remote = false;

  constructor(private folders: readonly LibraryFolder[], private readonly map: ReadonlyMap<string, string>) {}

  /** A worker: the folders the primary recorded, to be found through this machine's map. */
  usePrimaryFolders(folders: readonly LibraryFolder[]): void {
    this.folders = folders;
    this.remote = true;
  }

  /** Where this machine finds a folder of the primary. */
  mountOf(folder: LibraryFolder): string {
    return this.map.get(folder.name) ?? folder.path;
  }

  /** The name of the folder at a path of the primary, or null. */
  nameOf(root: string): string | null {
    return this.folders.find((f) => f.path === root)?.name ?? null;
  }

  here(file: PlacedFile): string | null {
    if (!this.remote) return file.path;
    const folder = this.folders.find((f) => f.name === file.folder) ?? this.folders.find((f) => f.path === file.root);
    if (folder === undefined) return null;
    const parts = file.relativePath.split(flavourOf(folder.path) === win32 ? /[\\/]/ : "/");
    return join(this.mountOf(folder), ...parts);
  }

  recorded(localPath: string): PlacedFile | null {
    let best: { folder: LibraryFolder; rel: string } | null = null;
    for (const folder of this.folders) {
      const rel = relative(this.remote ? this.mountOf(folder) : folder.path, localPath);
      // When folders nest, the first one (as configured) holds the file, as in a scan.
      if (rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)) {
        best = { folder, rel };
        break;
      }
    }
    if (best === null) return null;
    const { folder, rel } = best;
    if (!this.remote) return { folder: folder.name, root: folder.path, relativePath: rel, path: localPath };
    const flavour = flavourOf(folder.path);
    const relativePath = rel.split(sep).join(flavour.sep);
    return { folder: folder.name, root: folder.path, relativePath, path: flavour.join(folder.path, relativePath) };
  }
}
