import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

export interface ClipOptions {
  readonly seconds?: number;
  readonly video?: "h264" | "mpeg2" | "hevc" | "none";
  readonly audio?: "aac" | "mp3" | "none";
  readonly size?: string;
  /** Written into the file's metadata so that clips with equal settings still differ in content. */
  readonly tag?: string;
  /** testsrc2 moves more, so it compresses far less (for size tests). */
  readonly pattern?: "testsrc" | "testsrc2";
  readonly rate?: number;
  /** Noise encoded losslessly: a file of many megabytes from a few seconds (for upload tests). */
  readonly heavy?: boolean;
}

const VIDEO_CODEC = { h264: ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"], mpeg2: ["-c:v", "mpeg2video"], hevc: ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error"] } as const;
const AUDIO_CODEC = { aac: ["-c:a", "aac"], mp3: ["-c:a", "libmp3lame"] } as const;

/** Generates a small real video with ffmpeg's lavfi test sources; the container follows the extension. */
export function makeClip(path: string, options: ClipOptions = {}): string {
  const seconds = String(options.seconds ?? 1);
  const video = options.video ?? "h264";
  const audio = options.audio ?? "aac";
  mkdirSync(dirname(path), { recursive: true });
  const args = ["-v", "error", "-y"];
  if (video !== "none") args.push("-f", "lavfi", "-i", `${options.pattern ?? "testsrc"}=size=${options.size ?? "160x90"}:rate=${options.rate ?? 15}:duration=${seconds}`);
  if (audio !== "none") args.push("-f", "lavfi", "-i", `sine=frequency=440:duration=${seconds}`);
  if (video !== "none") args.push(...VIDEO_CODEC[video]);
  if (video === "h264" && options.heavy === true) args.push("-vf", "noise=alls=100:allf=t+u", "-qp", "0");
  if (audio !== "none") args.push(...AUDIO_CODEC[audio]);
  args.push("-metadata", `comment=${options.tag ?? path}`, path);
  execFileSync("ffmpeg", args, { stdio: ["ignore", "ignore", "pipe"] });
  return path;
}
