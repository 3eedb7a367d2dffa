import { stat } from "node:fs/promises";
import type { FileStamp } from "../../services/conversion/ports.js";

/** A regular file's size and modification time; null when nothing (or no file) is there. Other errors (a denied share) are thrown. */
export async function fileStamp(path: string): Promise<FileStamp | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? { size: s.size, mtimeMs: s.mtimeMs } : null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw err;
  }
}
