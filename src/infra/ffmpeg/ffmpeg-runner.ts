// fluent-ffmpeg is archived upstream (no fixes will come). It is used here only, to spawn ffmpeg with an
// FfmpegSpec's arguments and read its progress and stderr; nothing else may import it (an eslint
// no-restricted-imports rule enforces that), so replacing it with a plain child_process spawn touches this file alone.
import ffmpeg from "fluent-ffmpeg";
import { findExecutable } from "./executable.js";
import { errorTail, parseProgressLine, type FfmpegSpec } from "../../services/conversion/ffmpeg-spec.js";
import type { FfmpegOutcome, FfmpegRunOptions, MediaTool } from "../../services/conversion/ports.js";

export interface FfmpegRunnerOptions {
  readonly ffmpegPath: string;
  /** Scheduling priority of ffmpeg on Linux and macOS (0–19): conversions must not slow the bot. */
  readonly niceness: number;
}

const TAIL_LINES = 40;
const TRANSIENT = /ENOENT|EACCES|No space left on device|Cannot allocate memory|killed with signal/i;

/**
 * The only code that runs ffmpeg. It runs FfmpegSpecs built elsewhere by pure functions; fluent-ffmpeg
 * (archived upstream) stays behind this class, so replacing it touches one file.
 */
export class FfmpegRunner implements MediaTool {
  constructor(private readonly options: FfmpegRunnerOptions) {}

  run(spec: FfmpegSpec, options: FfmpegRunOptions = {}): Promise<FfmpegOutcome> {
    const { signal, onProgress } = options;
    return new Promise((resolve) => {
      if (signal?.aborted === true) {
        resolve({ ok: false, cancelled: true, transient: false, reason: "cancelled", tail: [] });
        return;
      }
      const program = findExecutable(this.options.ffmpegPath);
      if (program === null) {
        resolve({ ok: false, cancelled: false, transient: true, reason: `ffmpeg was not found at "${this.options.ffmpegPath}" (install it, or set FFMPEG_PATH)`, tail: [] });
        return;
      }
      const lines: string[] = [];
      const command = ffmpeg({ stdoutLines: 1, niceness: process.platform === "win32" ? 0 : this.options.niceness });
      command.setFfmpegPath(program);
      for (const input of spec.inputs) {
        command.input(input.path);
        // As separate arguments: fluent-ffmpeg splits a lone array item that holds one space, never varargs.
        if (input.options.length > 0) command.inputOptions(...input.options);
      }
      if (spec.complexFilter !== undefined) command.complexFilter(spec.complexFilter);
      command.output(spec.output);
      if (spec.outputOptions.length > 0) command.outputOptions(...spec.outputOptions);
      const onAbort = (): void => { command.kill("SIGKILL"); };
      signal?.addEventListener("abort", onAbort, { once: true });
      const finish = (outcome: FfmpegOutcome): void => {
        signal?.removeEventListener("abort", onAbort);
        resolve(outcome);
      };
      command.on("stderr", (line: string) => {
        const progress = parseProgressLine(line);
        if (progress !== null) onProgress?.(progress);
        else {
          lines.push(line);
          if (lines.length > TAIL_LINES) lines.shift();
        }
      });
      command.on("end", () => finish({ ok: true, tail: errorTail(lines) }));
      command.on("error", (err: Error) => {
        const cancelled = signal?.aborted === true;
        const tail = errorTail(lines);
        const message = err.message.split("\n")[0] ?? err.message;
        finish({ ok: false, cancelled, transient: !cancelled && TRANSIENT.test(`${message}\n${tail.join("\n")}`), reason: cancelled ? "cancelled" : tail.at(-1) ?? message, tail });
      });
      command.run();
    });
  }
}
