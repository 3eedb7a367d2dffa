import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat, unlink, utimes } from "node:fs/promises";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import type { FolderProblem, SyncFiles } from "../../services/sync/ports.js";
import type { SyncFile } from "../../services/sync/sync-plan.js";
import { NodeDupeFiles } from "./dupe-files.js";
import { fileStamp } from "./file-stamp.js";
import { walkRoot } from "./walk.js";

const PART_PREFIX = ".vidlib-sync-";
const PART_SUFFIX = ".part";
// Before partial names were bounded they were ".<name>.<size>-<time>.vidlib-sync.part".
const LEGACY_PART_SUFFIX = ".vidlib-sync.part";

const shortHash = (text: string): string => createHash("sha256").update(text).digest("hex").slice(0, 12);

/**
 * The partial file of a copy: hidden (the scanner and other syncs skip it), beside the final name (so the
 * last step is a rename on one disk), and of a fixed length (44 bytes) whatever the final name, so a name
 * up to the file system's 255-byte limit can still be copied. It is made of a hash of the final name
 * (so the partial files of one name can be found and cleaned up) and a hash of the source version
 * (size and time), so a partial file from an older version of the source is never continued.
 */
export function partNameFor(finalName: string, source: SyncFile): string {
  return `${PART_PREFIX}${shortHash(finalName)}-${shortHash(`${source.size}:${Math.round(source.mtimeMs)}`)}${PART_SUFFIX}`;
}

/** Whether `name` is a partial file of a copy to `finalName` (of any source version, in this or the older naming). */
function isPartOf(name: string, finalName: string): boolean {
  return name.startsWith(`${PART_PREFIX}${shortHash(finalName)}-`) && name.endsWith(PART_SUFFIX)
    || (name.startsWith(`.${finalName}.`) && name.endsWith(LEGACY_PART_SUFFIX));
}

const code = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code;

/** Sync's file operations on the real file system. */
export class NodeSyncFiles implements SyncFiles {
  private readonly mover = new NodeDupeFiles();

  constructor(private readonly extensions: ReadonlySet<string>) {}

  async problem(path: string): Promise<FolderProblem | null> {
    try {
      const st = await stat(path);
      if (!st.isDirectory()) return "not-a-folder";
      await readdir(path);
      return null;
    } catch (err) {
      return code(err) === "ENOENT" ? "missing" : "unreadable";
    }
  }

  async list(folder: string, signal?: AbortSignal): Promise<{ files: SyncFile[]; problems: { path: string; reason: string }[] }> {
    const walk = await walkRoot(folder, { extensions: this.extensions, ...(signal ? { signal } : {}) });
    if (walk.state !== "ok") throw new Error(`${folder} cannot be read (${walk.state}${walk.reason ? `: ${walk.reason}` : ""})`);
    const files = walk.files.map((f) => ({ relPath: relative(folder, f.path).split(sep).join("/"), size: f.size, mtimeMs: f.mtimeMs }));
    return { files, problems: walk.problems };
  }

  stat(path: string): Promise<{ size: number; mtimeMs: number } | null> {
    return fileStamp(path);
  }

  async copy(from: string, to: string, expected: SyncFile, onBytes: (n: number, resumed: boolean) => void, signal: AbortSignal): Promise<number> {
    const dir = dirname(to);
    await mkdir(dir, { recursive: true });
    const partName = partNameFor(basename(to), expected);
    const part = join(dir, partName);
    await this.removeStaleParts(dir, basename(to), partName);
    const have = (await fileStamp(part))?.size ?? 0;
    const start = have <= expected.size ? have : 0;
    if (start > 0) onBytes(start, true);
    let written = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        written += chunk.length;
        onBytes(chunk.length, false);
        done(null, chunk);
      },
    });
    await pipeline(createReadStream(from, { start, highWaterMark: 1024 * 1024 }), counter,
      createWriteStream(part, { flags: start > 0 ? "r+" : "w", start }), { signal });
    const now = await stat(from);
    const size = start + written;
    if (size !== expected.size || now.size !== expected.size || Math.abs(now.mtimeMs - expected.mtimeMs) > 1) {
      await unlink(part).catch(() => undefined);
      throw new Error("the source file changed while it was copied");
    }
    // On disk before the name appears, so a power cut never leaves a short file under the final name.
    const handle = await open(part, "r+");
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await utimes(part, now.atime, now.mtime);
    await rename(part, to);
    return written;
  }

  /** Partial files of other source versions of the same name are of no use any more. */
  private async removeStaleParts(dir: string, finalName: string, keep: string): Promise<void> {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (name !== keep && isPartOf(name, finalName)) await unlink(join(dir, name)).catch(() => undefined);
    }
  }

  moveToTrash(path: string, trashPath: string): Promise<void> {
    return this.mover.move(path, trashPath);
  }

  restoreFromTrash(trashPath: string, path: string): Promise<void> {
    return this.mover.move(trashPath, path);
  }

  async makeFolder(path: string): Promise<void> {
    await mkdir(path, { recursive: true });
  }

  async removeTree(path: string): Promise<void> {
    await rm(path, { recursive: true, force: true });
  }
}

