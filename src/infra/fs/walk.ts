import { readdirSync, realpathSync, statSync, type Dirent, type Stats } from "node:fs";
import { relative, sep } from "node:path";
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

/** A symbolic link met in a library folder: reported, never indexed as an item of its own. */
export interface WalkedLink {
  readonly path: string;
  /** Where it leads: a path inside a library root (relative to it when shown), or outside them all. */
  readonly target: string;
  readonly inLibrary: boolean;
}

export type RootState = "ok" | "missing" | "unreadable" | "not-a-folder";

export interface RootWalk {
  readonly root: string;
  readonly state: RootState;
  readonly reason?: string;
  readonly files: WalkedFile[];
  /** Folders that could not be read, links that lead nowhere or in a loop: reported, never fatal. */
  readonly problems: WalkProblem[];
  /** Symbolic links found (library mode only); their targets are listed at their real path, if at all. */
  readonly links: WalkedLink[];
}

export interface WalkOptions {
  /** Lower-case extensions with the dot, e.g. ".mp4". */
  readonly extensions: ReadonlySet<string>;
  /** How long the walk may hold the event loop before letting other work (the bot) run. */
  readonly sliceMs?: number;
  readonly signal?: AbortSignal;
  /**
   * The library roots. When given, a symbolic link is never followed: a file or folder is listed once, at its
   * real path, by the walk of the root that holds it; a link leading outside every root is reported and not
   * scanned. Without it (a sync source) links are followed and only loops are refused.
   */
  readonly libraryRoots?: readonly string[];
}

/** A library root with its real path, to map a link's resolved target back to the root's own spelling. */
interface KnownRoot {
  readonly root: string;
  readonly real: string;
}

interface WalkState {
  readonly files: WalkedFile[];
  readonly problems: WalkProblem[];
  /** Folders found and not read yet. */
  readonly pending: string[];
  /** Folder identities (device:inode) already entered: a link back to one of them is a loop. */
  readonly visited: Set<string>;
  readonly extensions: ReadonlySet<string>;
  readonly links: WalkedLink[];
  /** Set in library mode: links are resolved against these, never followed. */
  readonly roots: readonly KnownRoot[] | null;
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
  if (opened.id === undefined) return { root, state: opened.state, ...(opened.reason ? { reason: opened.reason } : {}), files: [], problems: [], links: [] };
  const roots = options.libraryRoots === undefined ? null : knownRoots(options.libraryRoots.includes(root) ? options.libraryRoots : [root, ...options.libraryRoots]);
  const state: WalkState = { files: [], problems: [], pending: [root], visited: new Set([opened.id]), extensions: options.extensions, links: [], roots };
  await walkPending(state, options);
  return { root, state: "ok", files: state.files, problems: state.problems, links: state.links };
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
    if (state.roots === null) followLink(joinName(dir, name), state);
    else noteLink(joinName(dir, name), state, state.roots);
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

function knownRoots(roots: readonly string[]): KnownRoot[] {
  return roots.flatMap((root) => {
    try {
      return [{ root, real: realpathSync(root) }];
    } catch {
      return []; // a root that is gone holds nothing a link could lead to
    }
  });
}

/** The library path of a real path: the root that holds it (in that root's spelling) joined with the rest. */
function libraryPathOf(real: string, roots: readonly KnownRoot[]): string | null {
  for (const { root, real: base } of roots) {
    if (real === base) return root;
    if (real.startsWith(base.endsWith(sep) ? base : base + sep)) return joinName(root, relative(base, real));
  }
  return null;
}

/**
 * Library mode: a link is a second path to something, so it is reported and never listed or entered. What it
 * leads to is listed at its real path by the walk of the root that holds it, whatever order folders are read in.
 */
function noteLink(abs: string, state: WalkState, roots: readonly KnownRoot[]): void {
  let real: string;
  let target: Stats | undefined;
  try {
    real = realpathSync(abs);
    target = statOrNull(real);
  } catch (err) {
    const code = reasonOf(err);
    state.problems.push({ path: abs, reason: code === "ENOENT" ? "broken link: its target does not exist" : code === "ELOOP" ? "link loop: the link leads back to itself" : `broken link: ${code}` });
    return;
  }
  if (target === undefined) {
    state.problems.push({ path: abs, reason: "broken link: its target does not exist" });
    return;
  }
  // Links to anything but folders and video files (a link to a document) are none of the library's business.
  if (!target.isDirectory() && !(target.isFile() && (state.extensions.has(extensionOf(real)) || state.extensions.has(extensionOf(abs))))) return;
  const inside = libraryPathOf(real, roots);
  state.links.push({ path: abs, target: inside ?? real, inLibrary: inside !== null });
}
