// Walks a share of a library root on a worker thread, so listing uses every core and overlaps the
// index load on the main thread.
import { parentPort, workerData } from "node:worker_threads";
import { newWalkState, walkPending } from "./walk.js";
import { packFiles, type PackedWalk, type WalkRequest } from "./walk-packing.js";

const request = workerData as WalkRequest;
const state = newWalkState(request.folders, request.visited, new Set(request.extensions));
// Nothing else runs on this thread: no need to yield.
await walkPending(state, { extensions: state.extensions, sliceMs: Number.POSITIVE_INFINITY });
const files = packFiles(state.files);
const result: PackedWalk = { problems: state.problems, entered: state.entered, ...files };
parentPort?.postMessage(result, [files.numbers.buffer as ArrayBuffer]);
