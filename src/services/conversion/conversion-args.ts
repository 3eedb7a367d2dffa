import type { FfmpegSpec } from "./ffmpeg-spec.js";
import type { CompressionTarget } from "./budget.js";

export const X264_PRESETS = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"] as const;
export type X264Preset = (typeof X264_PRESETS)[number];

// Telegram streams an MP4 while downloading only when the index (moov) is at the front.
const MP4_OUT = ["-movflags", "+faststart", "-f", "mp4"];
// Warnings stay: "File ended prematurely" explains a failed check better than anything else.
const QUIET = ["-hide_banner", "-nostdin", "-loglevel", "warning", "-stats"];

/** The first video stream and, when there is one, the first audio stream; subtitles and data streams of a TS cannot go into MP4. */
function maps(audio: boolean): string[] {
  return ["-map", "0:v:0", ...(audio ? ["-map", "0:a:0"] : []), "-map_metadata", "0"];
}

/** New container, same video: no video decoding or encoding; audio that is not AAC becomes AAC. */
export function remuxSpec(input: string, output: string, audio: boolean, audioToAac = false): FfmpegSpec {
  const codecs = audio && audioToAac ? ["-c:v", "copy", ...audioArgs(true, 128)] : ["-c", "copy"];
  return { inputs: [{ path: input, options: QUIET }], outputOptions: [...maps(audio), ...codecs, ...MP4_OUT], output };
}

/** Even dimensions (yuv420p needs them), and never taller than `maxHeight`; never upscaled. */
function scaleFilter(maxHeight: number | null): string {
  return maxHeight === null ? "scale=trunc(iw/2)*2:trunc(ih/2)*2" : `scale=-2:'min(${maxHeight},trunc(ih/2)*2)'`;
}

const H264 = ["-c:v", "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p"];

function audioArgs(audio: boolean, kbps: number): string[] {
  return audio ? ["-c:a", "aac", "-b:a", `${kbps}k`, "-ac", "2"] : [];
}

/** Re-encode to H.264 High (yuv420p) + AAC at constant quality. */
export function transcodeSpec(input: string, output: string, audio: boolean, preset: X264Preset, crf = 23): FfmpegSpec {
  return {
    inputs: [{ path: input, options: QUIET }],
    outputOptions: [...maps(audio), "-vf", scaleFilter(null), ...H264, "-preset", preset, "-crf", String(crf), ...audioArgs(audio, 128), ...MP4_OUT],
    output,
  };
}

/**
 * Two-pass encode to an average bitrate, which lands on a target size far more reliably than CRF.
 * Pass 1 analyses only (no audio, no output file); pass 2 writes the MP4. `passLog` is a path prefix for ffmpeg's statistics.
 */
export function compressSpecs(input: string, output: string, audio: boolean, target: CompressionTarget, preset: X264Preset, passLog: string): [FfmpegSpec, FfmpegSpec] {
  // Both passes must see the same frames: the null and MP4 muxers would otherwise pick different frame-rate modes.
  const video = ["-vf", scaleFilter(target.maxHeight), "-fps_mode", "passthrough", ...H264, "-preset", preset, "-b:v", `${target.videoKbps}k`,
    "-maxrate", `${Math.round(target.videoKbps * 1.5)}k`, "-bufsize", `${target.videoKbps * 2}k`, "-passlogfile", passLog];
  return [
    { inputs: [{ path: input, options: QUIET }], outputOptions: ["-map", "0:v:0", ...video, "-pass", "1", "-an", "-f", "null"], output: "-" },
    { inputs: [{ path: input, options: QUIET }], outputOptions: [...maps(audio), ...video, "-pass", "2", ...audioArgs(audio, target.audioKbps), ...MP4_OUT], output },
  ];
}
