import { copyFile, link, open, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { ConversionFiles, FileStamp } from "../../services/conversion/ports.js";
import { fileStamp } from "./file-stamp.js";

const code = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code;

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (code(err) === "ENOENT") return false;
    throw err;
  }
}

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

  async copy(from: string, to: string): Promise<void> {
    await copyFile(from, to);
  }

  async publish(temp: string, final: string): Promise<boolean> {
    try {
      // A hard link fails when the name exists: no window in which another file could be overwritten.
      await link(temp, final);
    } catch (err) {
      if (code(err) === "EEXIST") return false;
      // File systems without hard links (some network shares, FAT): a rename if the name is free. It stays a
      // rename, not a copy, because it runs under the job's lease (a short step); the window between the look
      // and the rename is a few milliseconds, and vidlib's own writers of a name hold that job's lease.
      if (!["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV", "EINVAL"].includes(code(err) ?? "")) throw err;
      if (await exists(final)) return false;
      await rename(temp, final);
      return true;
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

