import { readdirSync, statSync, type Dirent, type Stats } from "node:fs";
import { sep } from "node:path";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { extensionOf } from "../../services/library/extensions.js";
import { isHiddenName, isIgnoredName } from "./ignore.js";

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

interface WalkState {
  readonly files: WalkedFile[];
  readonly problems: WalkProblem[];
  /** Folders found and not read yet. */
  readonly pending: string[];
  /** Folder identities (device:inode) already entered: a link back to one of them is a loop. */
  readonly visited: Set<string>;
  readonly extensions: ReadonlySet<string>;
}

const reasonOf = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? String(err);
const NO_THROW = { throwIfNoEntry: false } as const;
const statOrNull = (path: string): Stats | undefined => statSync(path, NO_THROW);
const idOf = (st: Stats): string => `${st.dev}:${st.ino}`;

/** Whether a root can be walked, and its identity if so. */
function openRoot(root: string): { state: RootState; reason?: string; id?: string } {
  try {
    const st = statOrNull(root);
    if (st === undefined) return { state: "missing", reason: "ENOENT" };
    if (!st.isDirectory()) return { state: "not-a-folder" };
    readdirSync(root);
    return { state: "ok", id: idOf(st) };
  } catch (err) {
    return { state: "unreadable", reason: reasonOf(err) };
  }
}

/**
 * Reads pending folders until none is left. Synchronous readdir/stat calls are several times faster
 * than their promise versions; the walk yields to the event loop every few milliseconds so the bot
 * keeps answering.
 */
async function walkPending(state: WalkState, options: WalkOptions): Promise<void> {
  const sliceMs = options.sliceMs ?? 8;
  let sliceStart = performance.now();
  while (state.pending.length > 0) {
    if (performance.now() - sliceStart > sliceMs) {
      await yieldToEventLoop();
      options.signal?.throwIfAborted();
      sliceStart = performance.now();
    }
    const dir = state.pending.pop() as string;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      state.problems.push({ path: dir, reason: `cannot read folder: ${reasonOf(err)}` });
      continue;
    }
    for (const entry of entries) visitEntry(entry, dir, state);
  }
}

/** Lists the video files under one library root, on this thread. Links are followed; loops are not. */
export async function walkRoot(root: string, options: WalkOptions): Promise<RootWalk> {
  const opened = openRoot(root);
  if (opened.id === undefined) return { root, state: opened.state, ...(opened.reason ? { reason: opened.reason } : {}), files: [], problems: [] };
  const state: WalkState = { files: [], problems: [], pending: [root], visited: new Set([opened.id]), extensions: options.extensions };
  await walkPending(state, options);
  return { root, state: "ok", files: state.files, problems: state.problems };
}

// This runs once per directory entry, 100,000 times for a large library: it avoids work it can skip.
function visitEntry(entry: Dirent, dir: string, state: WalkState): void {
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
const joinName = (dir: string, name: string): string => (dir.endsWith(sep) ? dir + name : dir + sep + name);

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
    const id = idOf(st);
    if (state.visited.has(id)) {
      state.problems.push({ path: abs, reason: "link loop: this folder was already scanned" });
      return;
    }
    state.visited.add(id);
    state.pending.push(abs);
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
