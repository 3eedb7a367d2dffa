import { constants } from "node:fs";
import { copyFile, link, open, readdir, rm, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { ConversionFiles, FileStamp } from "../../services/conversion/ports.js";
import { fileStamp } from "./file-stamp.js";

const code = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code;

/** Conversion's file operations on the real file system. */
export class NodeConversionFiles implements ConversionFiles {
  stamp(path: string): Promise<FileStamp | null> {
    return fileStamp(path);
  }

  async folderReachable(dir: string): Promise<boolean> {
    try {
      await readdir(dir);
      return true;
    } catch {
      return false;
    }
  }

  async namesIn(dir: string): Promise<Set<string>> {
    return new Set((await readdir(dir)).map((n) => n.toLowerCase()));
  }

  async reserve(path: string): Promise<void> {
    await rm(path, { force: true });
    const handle = await open(path, "wx");
    await handle.close();
  }

  async publish(temp: string, final: string): Promise<boolean> {
    try {
      // A hard link fails when the name exists: no window in which another file could be overwritten.
      await link(temp, final);
    } catch (err) {
      if (code(err) === "EEXIST") return false;
      // File systems without hard links (some network shares, FAT): copy exclusively instead, then drop the temporary file.
      if (!["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV", "EINVAL"].includes(code(err) ?? "")) throw err;
      try {
        await copyFile(temp, final, constants.COPYFILE_EXCL);
      } catch (copyErr) {
        if (code(copyErr) === "EEXIST") return false;
        throw copyErr;
      }
    }
    await unlink(temp);
    return true;
  }

  async remove(path: string): Promise<void> {
    await rm(path, { force: true });
  }

  async removePrefixed(dir: string, prefix: string): Promise<void> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => rm(join(dir, n), { force: true })));
  }
}

