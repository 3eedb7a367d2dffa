import { mkdir, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { ExportFiles } from "../../services/export/ports.js";

/** Export folders on the real file system. */
export class NodeExportFiles implements ExportFiles {
  async prepare(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
  }

  readText(path: string): Promise<string> {
    return readFile(path, "utf8");
  }

  async publish(work: string, final: string): Promise<void> {
    await mkdir(dirname(final), { recursive: true });
    // The old export stays whole until the new one is in place; a player never sees half of either.
    const old = `${final}.old-${Date.now()}`;
    const hadOld = await rename(final, old).then(() => true, (err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") return false;
      throw err;
    });
    await rename(work, final);
    if (hadOld) await rm(old, { recursive: true, force: true });
  }

  async remove(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
  }
}
