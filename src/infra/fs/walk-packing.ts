import type { WalkedFile, WalkProblem } from "./walk.js";

/** What a worker thread is asked to walk. */
export interface WalkRequest {
  readonly folders: readonly string[];
  /** Folder identities already entered elsewhere: reaching one again is a loop. */
  readonly visited: readonly string[];
  readonly extensions: readonly string[];
}

/** A worker's findings in a shape that crosses threads cheaply: one string of paths, one transferable array. */
export interface PackedWalk {
  readonly problems: WalkProblem[];
  readonly entered: [string, string][];
  /** Paths joined with NUL, which no path contains. */
  readonly paths: string;
  /** size, mtimeMs for each file, in order. */
  readonly numbers: Float64Array;
}

export function packFiles(files: readonly WalkedFile[]): { paths: string; numbers: Float64Array } {
  const numbers = new Float64Array(files.length * 2);
  files.forEach((f, i) => {
    numbers[2 * i] = f.size;
    numbers[2 * i + 1] = f.mtimeMs;
  });
  return { paths: files.map((f) => f.path).join("\0"), numbers };
}

export function unpackFiles(packed: { paths: string; numbers: Float64Array }): WalkedFile[] {
  const paths = packed.paths === "" ? [] : packed.paths.split("\0");
  return paths.map((path, i) => ({ path, size: packed.numbers[2 * i] ?? 0, mtimeMs: packed.numbers[2 * i + 1] ?? 0 }));
}
