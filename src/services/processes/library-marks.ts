import { randomUUID } from "node:crypto";
import type { SettingsStore } from "../search/abbreviation-service.js";

/** What a library folder's marker file says: which library it belongs to, and which folder of it (as the primary sees it). */
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

const LIBRARY_ID = "library.id";
const LIBRARY_FOLDERS = "library.folders";

/**
 * Tells a worker whether it sees the primary's library folders: the primary gives the library an id,
 * writes a marker into each folder and records its folders; a worker checks that each one is there, under
 * the same path, and carries this library's marker, before it claims any job.
 */
export class LibraryMarks {
  constructor(private readonly settings: SettingsStore, private readonly marks: FolderMarks, private readonly now: () => number) {}

  /** The primary at start: the library's id (made once), its folders recorded, and a marker in each; returns the folders it could not mark. */
  async markFolders(folders: readonly string[]): Promise<string[]> {
    let library = await this.settings.get(LIBRARY_ID);
    if (library === null) {
      library = randomUUID();
      await this.settings.set(LIBRARY_ID, library, this.now());
    }
    await this.settings.set(LIBRARY_FOLDERS, JSON.stringify(folders), this.now());
    const unmarked: string[] = [];
    for (const folder of folders) {
      const current = await this.marks.read(folder);
      if (current !== "unreachable" && current?.library === library && current.folder === folder) continue;
      if (current === "unreachable" || !(await this.marks.write(folder, { library, folder }))) unmarked.push(folder);
    }
    return unmarked;
  }

  /** A worker before it claims anything: why it must not work here, or null when every library folder is reachable and the same. */
  async problemForWorker(): Promise<string | null> {
    const library = await this.settings.get(LIBRARY_ID);
    const recorded = await this.settings.get(LIBRARY_FOLDERS);
    if (library === null || recorded === null) return "the primary has not started on this database yet (it marks the library folders at its start)";
    const folders = JSON.parse(recorded) as string[];
    for (const folder of folders) {
      const mark = await this.marks.read(folder);
      if (mark === "unreachable") return `the library folder ${folder} cannot be read on this machine (is the share mounted there?)`;
      if (mark === null) return `${folder} on this machine has no library marker: it is not the primary's library folder, or the primary could not write its marker there`;
      if (mark.library !== library || mark.folder !== folder) return `${folder} on this machine is another library's folder (${mark.folder}), not the primary's ${folder}`;
    }
    return null;
  }
}
