import { execFile } from "node:child_process";
import type { MediaProber, ProbeOutcome } from "../../services/library/media.js";
import { parseProbeOutput, probeArgs, probeFailureReason } from "./probe-args.js";

export interface FfprobeOptions {
  readonly ffprobePath: string;
  readonly timeoutMs: number;
}

/** Runs ffprobe (the one place that does) and turns its answer into a ProbeOutcome. */
export class Ffprobe implements MediaProber {
  constructor(private readonly options: FfprobeOptions) {}

  probe(path: string, signal?: AbortSignal): Promise<ProbeOutcome> {
    return new Promise((resolve) => {
      execFile(this.options.ffprobePath, probeArgs(path), {
        timeout: this.options.timeoutMs, maxBuffer: 16 * 1024 * 1024, windowsHide: true, ...(signal ? { signal } : {}),
      }, (err, stdout, stderr) => {
        if (err === null) {
          resolve(parseProbeOutput(stdout));
        } else if (err.killed === true || (err as NodeJS.ErrnoException).code === "ABORT_ERR") {
          const reason = signal?.aborted === true ? "probe cancelled" : `ffprobe took longer than ${Math.round(this.options.timeoutMs / 1000)} s`;
          resolve({ ok: false, reason, transient: true });
        } else if ((err as NodeJS.ErrnoException).code === "ENOENT") {
          resolve({ ok: false, reason: `ffprobe not found at "${this.options.ffprobePath}"`, transient: true });
        } else {
          resolve({ ok: false, reason: probeFailureReason(stderr, path) });
        }
      });
    });
  }
}
