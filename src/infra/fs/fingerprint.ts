import { createHash } from "node:crypto";
import { open } from "node:fs/promises";

export const FINGERPRINT_CHUNK = 1024 * 1024;

/**
 * A hash of a file's size, first MiB and last MiB: cheap to compute on a network share, and together
 * with the duration enough to recognise a moved or renamed file.
 */
export async function headTailHash(path: string, size: number): Promise<string> {
  const hash = createHash("sha256");
  hash.update(String(size));
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(Math.min(FINGERPRINT_CHUNK, size));
    await handle.read(head, 0, head.length, 0);
    hash.update(head);
    if (size > FINGERPRINT_CHUNK) {
      const tail = Buffer.alloc(Math.min(FINGERPRINT_CHUNK, size - FINGERPRINT_CHUNK));
      await handle.read(tail, 0, tail.length, size - tail.length);
      hash.update(tail);
    }
  } finally {
    await handle.close();
  }
  return hash.digest("hex").slice(0, 40);
}
