import { createHash } from "node:crypto";
import { constants, createReadStream } from "node:fs";
import { access, copyFile, lstat, mkdir, realpath, rename, rm, rmdir, stat, unlink, utimes } from "node:fs/promises";
import { dirname } from "node:path";
import type { FileStamp } from "../../services/conversion/ports.js";
import type { DupeFiles } from "../../services/dupes/dupe-ports.js";
import type { FileIdentity } from "../../services/dupes/file-identity.js";
import { fileStamp } from "./file-stamp.js";

/** Cleanup's file operations on the real file system. */
export class NodeDupeFiles implements DupeFiles {
  stamp(path: string): Promise<FileStamp | null> {
    // Unreadable counts as changed: cleanup then refuses to act.
    return fileStamp(path).catch(() => null);
  }

  async identity(path: string): Promise<FileIdentity | null> {
    const own = await lstat(path).catch(() => null);
    if (own === null) return null;
    const target = own.isSymbolicLink() ? await stat(path).catch(() => null) : own;
    const real = await realpath(path).catch(() => null);
    return { isLink: own.isSymbolicLink(), file: target?.isFile() === true ? { dev: target.dev, ino: target.ino, links: target.nlink } : null, realPath: real };
  }

  sha256(path: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const hash = createHash("sha256");
      createReadStream(path, { highWaterMark: 1024 * 1024 }).on("data", (chunk) => hash.update(chunk)).on("error", reject).on("end", () => resolve(hash.digest("hex")));
    });
  }

  async move(from: string, to: string): Promise<void> {
    if (await this.exists(to)) throw new Error("the destination already exists");
    await mkdir(dirname(to), { recursive: true });
    try {
      await rename(from, to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EXDEV") throw err;
      // The trash lives under the data folder, often on another disk than the library: copy, keep the time, then remove.
      const { mtime, atime } = await stat(from);
      await copyFile(from, to, constants.COPYFILE_EXCL);
      await utimes(to, atime, mtime);
      await unlink(from);
    }
  }

  async exists(path: string): Promise<boolean> {
    try {
      await access(path);
      return true;
    } catch {
      return false;
    }
  }

  async remove(path: string): Promise<void> {
    await rm(path, { force: true });
  }

  async removeEmptyFolder(path: string): Promise<void> {
    // rmdir refuses a folder that is not empty, which is what keeps this safe.
    await rmdir(path).catch(() => undefined);
  }
}
