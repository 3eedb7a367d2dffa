import { readFile, stat, writeFile, rename } from "node:fs/promises";
import { join } from "node:path";
import type { FolderMark, FolderMarks } from "../../services/processes/library-marks.js";

/** Hidden, so scans skip it (they skip dot files) and people rarely trip over it. */
export const MARK_FILE = ".vidlib.library.json";

/** Library folder markers as a small JSON file in the folder itself. */
export class FileFolderMarks implements FolderMarks {
  async read(folder: string): Promise<FolderMark | null | "unreachable"> {
    try {
      if (!(await stat(folder)).isDirectory()) return "unreachable";
    } catch {
      return "unreachable";
    }
    try {
      const parsed = JSON.parse(await readFile(join(folder, MARK_FILE), "utf8")) as Partial<FolderMark>;
      return typeof parsed.library === "string" && typeof parsed.folder === "string" ? { library: parsed.library, folder: parsed.folder } : null;
    } catch {
      return null;
    }
  }

  async write(folder: string, mark: FolderMark): Promise<boolean> {
    const temp = join(folder, `${MARK_FILE}.tmp`);
    try {
      await writeFile(temp, `${JSON.stringify(mark)}\n`);
      await rename(temp, join(folder, MARK_FILE));
      return true;
    } catch {
      return false;
    }
  }
}
