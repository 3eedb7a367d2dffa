import { readdirSync, statSync, type Dirent, type Stats } from "node:fs";
import { sep } from "node:path";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { extensionOf, isHiddenName, isIgnoredName } from "./ignore.js";

export interface WalkedFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface WalkProblem {
  readonly path: string;
  readonly reason: string;
}

export type RootState = "ok" | "missing" | "unreadable" | "not-a-folder";

export interface RootWalk {
  readonly root: string;
  readonly state: RootState;
  readonly reason?: string;
  readonly files: WalkedFile[];
  /** Folders that could not be read, links that lead nowhere or in a loop: reported, never fatal. */
  readonly problems: WalkProblem[];
}

export interface WalkOptions {
  /** Lower-case extensions with the dot, e.g. ".mp4". */
  readonly extensions: ReadonlySet<string>;
  /** How long the walk may hold the event loop before letting other work (the bot) run. */
  readonly sliceMs?: number;
  readonly signal?: AbortSignal;
}

const reasonOf = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? String(err);
const NO_THROW = { throwIfNoEntry: false } as const;
const statOrNull = (path: string): Stats | undefined => statSync(path, NO_THROW);

interface Dir { readonly abs: string }

/**
 * Lists the video files under one library root. Synchronous readdir/stat calls are several times
 * faster than their promise versions here; the walk yields to the event loop every few milliseconds
 * so the bot keeps answering. Symbolic links are followed; a folder already visited (a loop) is not.
 */
export async function walkRoot(root: string, options: WalkOptions): Promise<RootWalk> {
  const files: WalkedFile[] = [];
  const problems: WalkProblem[] = [];
  let rootStat: Stats | undefined;
  try {
    rootStat = statOrNull(root);
  } catch (err) {
    return { root, state: "unreadable", reason: reasonOf(err), files, problems };
  }
  if (rootStat === undefined) return { root, state: "missing", reason: "ENOENT", files, problems };
  if (!rootStat.isDirectory()) return { root, state: "not-a-folder", files, problems };
  try {
    readdirSync(root);
  } catch (err) {
    return { root, state: "unreadable", reason: reasonOf(err), files, problems };
  }
  const visited = new Set<string>([`${rootStat.dev}:${rootStat.ino}`]);
  const stack: Dir[] = [{ abs: root }];
  const sliceMs = options.sliceMs ?? 8;
  let sliceStart = performance.now();
  while (stack.length > 0) {
    if (performance.now() - sliceStart > sliceMs) {
      await yieldToEventLoop();
      if (options.signal?.aborted) throw options.signal.reason;
      sliceStart = performance.now();
    }
    const dir = stack.pop() as Dir;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir.abs, { withFileTypes: true });
    } catch (err) {
      problems.push({ path: dir.abs, reason: `cannot read folder: ${reasonOf(err)}` });
      continue;
    }
    for (const entry of entries) visitEntry(entry, dir, { files, problems, stack, visited, extensions: options.extensions });
  }
  return { root, state: "ok", files, problems };
}

interface WalkState {
  readonly files: WalkedFile[];
  readonly problems: WalkProblem[];
  readonly stack: Dir[];
  readonly visited: Set<string>;
  readonly extensions: ReadonlySet<string>;
}

// This runs once per directory entry, 100,000 times for a large library: it avoids work it can skip.
function visitEntry(entry: Dirent, dir: Dir, state: WalkState): void {
  const name = entry.name;
  if (entry.isFile()) {
    // A file needs a video extension, which rules out system and temporary names; only hidden ones remain.
    if (isHiddenName(name) || !state.extensions.has(extensionOf(name))) return;
    addFile(joinName(dir, name), state);
  } else if (isIgnoredName(name)) {
    return;
  } else if (entry.isDirectory()) {
    enterFolder(joinName(dir, name), state);
  } else if (entry.isSymbolicLink()) {
    followLink(joinName(dir, name), state);
  }
}

// Names from readdir hold no separator, so plain concatenation is exact (and much cheaper than join).
const joinName = (dir: Dir, name: string): string => (dir.abs.endsWith(sep) ? dir.abs + name : dir.abs + sep + name);

function addFile(abs: string, state: WalkState, known?: Stats): void {
  try {
    const st = known ?? statOrNull(abs);
    if (st === undefined) return; // deleted between readdir and stat
    state.files.push({ path: abs, size: st.size, mtimeMs: st.mtimeMs });
  } catch (err) {
    state.problems.push({ path: abs, reason: `cannot read file: ${reasonOf(err)}` });
  }
}

function enterFolder(abs: string, state: WalkState, known?: Stats): void {
  try {
    const st = known ?? statOrNull(abs);
    if (st === undefined) return;
    const id = `${st.dev}:${st.ino}`;
    if (state.visited.has(id)) {
      state.problems.push({ path: abs, reason: "link loop: this folder was already scanned" });
      return;
    }
    state.visited.add(id);
    state.stack.push({ abs });
  } catch (err) {
    state.problems.push({ path: abs, reason: `cannot read folder: ${reasonOf(err)}` });
  }
}

function followLink(abs: string, state: WalkState): void {
  let target: Stats | undefined;
  try {
    target = statOrNull(abs);
  } catch (err) {
    state.problems.push({ path: abs, reason: `broken link: ${reasonOf(err)}` });
    return;
  }
  if (target === undefined) {
    state.problems.push({ path: abs, reason: "broken link: its target does not exist" });
  } else if (target.isDirectory()) {
    enterFolder(abs, state, target);
  } else if (target.isFile() && state.extensions.has(extensionOf(abs))) {
    addFile(abs, state, target);
  }
}
