import { sep } from "node:path";
import { Worker } from "node:worker_threads";
import { LOOP, newWalkState, openRoot, walkPending, type RootWalk, type WalkedFile, type WalkOptions, type WalkState } from "./walk.js";
import { unpackFiles, type PackedWalk, type WalkRequest } from "./walk-packing.js";

/** Enough folders to share out fairly among a few threads without knowing their sizes. */
const SHARES_PER_THREAD = 32;

function runWorker(url: URL, request: WalkRequest, signal?: AbortSignal): Promise<PackedWalk> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { workerData: request });
    const onAbort = (): void => {
      void worker.terminate();
      reject(signal?.reason instanceof Error ? signal.reason : new Error("listing cancelled"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", () => signal?.removeEventListener("abort", onAbort));
  });
}

/**
 * Folders reached by two threads (through a link) would be listed twice; as on one thread, the first
 * path to reach a folder keeps it and the other is reported as a loop.
 */
function dropDuplicates(state: WalkState, parts: readonly PackedWalk[], files: WalkedFile[]): WalkedFile[] {
  const firstPath = new Map<string, string>();
  const duplicates: string[] = [];
  for (const [path, id] of [...state.entered, ...parts.flatMap((p) => p.entered)]) {
    const first = firstPath.get(id);
    if (first === undefined) firstPath.set(id, path);
    else if (first !== path) duplicates.push(path);
  }
  if (duplicates.length === 0) return files;
  state.problems.push(...duplicates.map((path) => ({ path, reason: LOOP })));
  return files.filter((f) => !duplicates.some((d) => f.path.startsWith(d + sep)));
}

/**
 * Lists a root using `threads` worker threads: the first levels are read here until there are enough
 * folders to share, then each worker walks its share. A small tree never leaves this thread.
 */
export async function walkRootInParallel(root: string, options: WalkOptions, workerUrl: URL, threads: number): Promise<RootWalk> {
  const opened = openRoot(root);
  if (opened.id === undefined) return { root, state: opened.state, ...(opened.reason ? { reason: opened.reason } : {}), files: [], problems: [] };
  const state = newWalkState([root], [opened.id], options.extensions);
  await walkPending(state, options, threads * SHARES_PER_THREAD);
  if (state.pending.length === 0) return { root, state: "ok", files: state.files, problems: state.problems };
  const shares = Array.from({ length: threads }, (_, t) => state.pending.filter((_, i) => i % threads === t));
  const visited = [...state.visited];
  const parts = await Promise.all(shares.map((folders) =>
    runWorker(workerUrl, { folders, visited, extensions: [...options.extensions] }, options.signal)));
  const files = [...state.files, ...parts.flatMap((p) => unpackFiles(p))];
  for (const part of parts) state.problems.push(...part.problems);
  return { root, state: "ok", files: dropDuplicates(state, parts, files), problems: state.problems };
}
