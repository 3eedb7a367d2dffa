import type { RootState, RootWalk, WalkProblem } from "./walk.js";

export interface WalkRequest {
  readonly root: string;
  readonly extensions: readonly string[];
}

/** A walk in a shape that crosses threads cheaply: one string of paths, one transferable array of numbers. */
export interface PackedWalk {
  readonly root: string;
  readonly state: RootState;
  readonly reason?: string | undefined;
  readonly problems: WalkProblem[];
  /** Paths joined with NUL, which no path contains. */
  readonly paths: string;
  /** size, mtimeMs for each file, in order. */
  readonly numbers: Float64Array;
}

export function packWalk(walk: RootWalk): PackedWalk {
  const numbers = new Float64Array(walk.files.length * 2);
  walk.files.forEach((f, i) => {
    numbers[2 * i] = f.size;
    numbers[2 * i + 1] = f.mtimeMs;
  });
  return { root: walk.root, state: walk.state, reason: walk.reason, problems: walk.problems, paths: walk.files.map((f) => f.path).join("\0"), numbers };
}

export function unpackWalk(packed: PackedWalk): RootWalk {
  const paths = packed.paths === "" ? [] : packed.paths.split("\0");
  const files = paths.map((path, i) => ({ path, size: packed.numbers[2 * i] ?? 0, mtimeMs: packed.numbers[2 * i + 1] ?? 0 }));
  return { root: packed.root, state: packed.state, ...(packed.reason === undefined ? {} : { reason: packed.reason }), problems: packed.problems, files };
}
