// Runs walkRoot in a worker thread so the listing overlaps the index load on the main thread.
import { parentPort, workerData } from "node:worker_threads";
import { walkRoot } from "./walk.js";
import { packWalk, type WalkRequest } from "./walk-packing.js";

const request = workerData as WalkRequest;
// Nothing else runs on this thread: no need to yield.
const walk = await walkRoot(request.root, { extensions: new Set(request.extensions), sliceMs: Number.POSITIVE_INFINITY });
const packed = packWalk(walk);
parentPort?.postMessage(packed, [packed.numbers.buffer as ArrayBuffer]);
