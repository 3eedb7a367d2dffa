import { randomUUID } from "node:crypto";
import type { SettingsStore } from "../search/abbreviation-service.js";
import type { LibraryFolder } from "../library/folders.js";

/** What a library folder's marker file says: which library it belongs to, and the folder's name in it. */
export interface FolderMark {
  readonly library: string;
  readonly folder: string;
}

/** Reads and writes the marker file in a library folder; implemented in src/infra/fs. */
export interface FolderMarks {
  /** The marker, null when the folder has none, "unreachable" when the folder cannot be read. */
  read(folder: string): Promise<FolderMark | null | "unreachable">;
  /** Writes the marker; false when the folder cannot be written (the reason is logged by the caller). */
  write(folder: string, mark: FolderMark): Promise<boolean>;
}

/** Names the indexed videos' folders; implemented in src/infra/database/stores. */
export interface FolderNaming {
  /** Gives the videos under each folder's path that folder's name (renaming them when the name changed); returns how many rows changed. */
  nameFolders(folders: readonly LibraryFolder[]): Promise<number>;
}

/** Whether a worker may claim work here: the primary's folders (found through its map), or why not. */
export type WorkerCheck = { readonly ok: true; readonly folders: readonly LibraryFolder[] } | { readonly ok: false; readonly problem: string };

const LIBRARY_ID = "library.id";
const LIBRARY_FOLDERS = "library.folders";

/** The recorded folders, or null when they were recorded without names (by a primary of an older version). */
function recordedFolders(json: string): LibraryFolder[] | null {
  const parsed = JSON.parse(json) as unknown[];
  const named = parsed.filter((f): f is LibraryFolder => typeof f === "object" && f !== null && typeof (f as LibraryFolder).name === "string" && typeof (f as LibraryFolder).path === "string");
  return named.length === parsed.length ? named : null;
}

/**
 * Tells a worker whether it sees the primary's library folders: the primary gives the library an id,
 * records its folders (name and path), names its videos' folders and writes a marker into each folder; a
 * worker finds each folder through its path map and checks that it carries this library's marker for that
 * name, before it claims any job.
 */
export class LibraryMarks {
  constructor(private readonly settings: SettingsStore, private readonly marks: FolderMarks, private readonly naming: FolderNaming, private readonly now: () => number) {}

  /** The primary at start: the library's id (made once), its folders recorded and named in the index, and a marker in each; returns the paths it could not mark. */
  async markFolders(folders: readonly LibraryFolder[]): Promise<string[]> {
    let library = await this.settings.get(LIBRARY_ID);
    if (library === null) {
      library = randomUUID();
      await this.settings.set(LIBRARY_ID, library, this.now());
    }
    await this.settings.set(LIBRARY_FOLDERS, JSON.stringify(folders.map(({ name, path }) => ({ name, path }))), this.now());
    await this.naming.nameFolders(folders);
    const unmarked: string[] = [];
    for (const { name, path } of folders) {
      const current = await this.marks.read(path);
      if (current !== "unreachable" && current?.library === library && current.folder === name) continue;
      if (current === "unreachable" || !(await this.marks.write(path, { library, folder: name }))) unmarked.push(path);
    }
    return unmarked;
  }

  /**
   * A worker before it claims anything: the primary's folders when every one is reachable on this machine
   * (at its mount in `map`, else at the primary's path) and carries this library's marker for its name.
   */
  async checkForWorker(map: ReadonlyMap<string, string>): Promise<WorkerCheck> {
    const refuse = (problem: string): WorkerCheck => ({ ok: false, problem });
    const library = await this.settings.get(LIBRARY_ID);
    const recorded = await this.settings.get(LIBRARY_FOLDERS);
    if (library === null || recorded === null) return refuse("the primary has not started on this database yet (it marks the library folders at its start)");
    const folders = recordedFolders(recorded);
    if (folders === null) return refuse("the primary has not recorded its library folders' names yet (start the primary of this version first)");
    const unknown = [...map.keys()].filter((name) => !folders.some((f) => f.name === name));
    if (unknown.length > 0) {
      return refuse(`VIDLIB_PATH_MAP names ${unknown.join(", ")}, which the primary has no folder of (its folders: ${folders.map((f) => f.name).join(", ") || "none"})`);
    }
    for (const { name, path } of folders) {
      const local = map.get(name) ?? path;
      const how = map.has(name) ? `VIDLIB_PATH_MAP maps the folder ${name} there; the primary has it at ${path}` : `the folder ${name}, at the primary's path (VIDLIB_PATH_MAP does not map it)`;
      const mark = await this.marks.read(local);
      if (mark === "unreachable") return refuse(`the library folder ${local} cannot be read on this machine (is the share mounted there?); ${how}`);
      if (mark === null) return refuse(`${local} on this machine has no library marker: it is not the primary's library folder, or the primary could not write its marker there; ${how}`);
      if (mark.library !== library) return refuse(`${local} on this machine is another library's folder (${mark.folder}), not the primary's ${name}; ${how}`);
      if (mark.folder !== name) return refuse(`${local} on this machine is this library's folder ${mark.folder}, not ${name}; ${how}`);
    }
    return { ok: true, folders };
  }
}
