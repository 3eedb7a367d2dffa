import type { FfmpegSpec } from "../conversion/ffmpeg-spec.js";

/** Telegram shows a thumbnail of at most 320 px on each side, as a JPEG under 200 kB. */
export const THUMBNAIL_MAX_SIDE = 320;
export const THUMBNAIL_MAX_BYTES = 200 * 1024;

/** Where the thumbnail frame is taken: a tenth of the way in (past black intros), at most 30 s in. */
export function thumbnailTime(durationS: number | null): number {
  if (durationS === null || durationS <= 0) return 0;
  return Math.round(Math.min(30, durationS * 0.1) * 1000) / 1000;
}

/**
 * One frame, scaled to fit 320×320 without upscaling, as JPEG. Input seeking with a simple `-vf` filter
 * writes the frame on ffmpeg 5.1 (it is `-filter_complex` that loses it).
 */
export function thumbnailSpec(input: string, output: string, atS: number, quality = 4): FfmpegSpec {
  const side = THUMBNAIL_MAX_SIDE;
  return {
    inputs: [{ path: input, options: ["-ss", String(atS)] }],
    outputOptions: ["-frames:v", "1", "-vf", `scale='min(${side},iw)':'min(${side},ih)':force_original_aspect_ratio=decrease`, "-q:v", String(quality), "-f", "image2"],
    output,
  };
}
