import type { MediaInfo } from "../library/media.js";
import type { FfmpegProgress, FfmpegSpec } from "./ffmpeg-spec.js";

export type FfmpegOutcome =
  | { readonly ok: true; /** ffmpeg's last warnings, if any. */ readonly tail: readonly string[] }
  | {
    readonly ok: false;
    /** Stopped through the signal (a cancel or shutdown), not by a fault. */
    readonly cancelled: boolean;
    /** A fault of the machine (ffmpeg missing, disk full, killed by someone else), worth trying again later. */
    readonly transient: boolean;
    readonly reason: string;
    /** ffmpeg's last log lines. */
    readonly tail: readonly string[];
  };

export interface FfmpegRunOptions {
  readonly onProgress?: (progress: FfmpegProgress) => void;
  readonly signal?: AbortSignal;
}

/** Runs prebuilt ffmpeg commands; implemented by the one ffmpeg adapter. */
export interface MediaTool {
  run(spec: FfmpegSpec, options?: FfmpegRunOptions): Promise<FfmpegOutcome>;
}

/** A file's size and modification time. */
export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
}

/** The file operations conversion needs; implemented in src/infra/fs. */
export interface ConversionFiles {
  /** Size and time, or null when the file is not there. */
  stamp(path: string): Promise<FileStamp | null>;
  /** Whether a folder can be listed now (an unmounted share cannot). */
  folderReachable(dir: string): Promise<boolean>;
  /** Names in a folder, lower-cased (Windows and macOS compare names without case). */
  namesIn(dir: string): Promise<Set<string>>;
  /** Creates an empty file that did not exist (replacing our own leftover of the same name). */
  reserve(path: string): Promise<void>;
  /** Copies a file over `to` (a name this job reserved), e.g. from local scratch to a hidden name on the share. */
  copy(from: string, to: string): Promise<void>;
  /** Gives `temp` the name `final` only if `final` does not exist; false when it does. */
  publish(temp: string, final: string): Promise<boolean>;
  /** Removes a file or files with this prefix; missing ones are fine. */
  remove(path: string): Promise<void>;
  removePrefixed(dir: string, prefix: string): Promise<void>;
}

/** Adds one finished file to the index at once, without waiting for the next scan. */
export interface LibraryAdopter {
  /** `media`: what a check just read from the file, so it is not probed twice. */
  adopt(path: string, media?: MediaInfo): Promise<number | null>;
}
