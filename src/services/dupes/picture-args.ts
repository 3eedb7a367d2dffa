import type { FfmpegSpec } from "../conversion/ffmpeg-spec.js";

/** One side of a comparison picture. */
export interface PictureSide {
  readonly path: string;
  /** Where to take the frame, in seconds. */
  readonly atS: number;
  /** Drawn under the frame, e.g. "A  .ts  12.3 MB | 1:02 | 1280x720". */
  readonly label: string;
}

export const PICTURE_HEIGHT = 360;
const BAR = 44;
const GAP = 8;

/** Keeps characters that are safe inside a quoted drawtext value in every font (letters, digits, a little punctuation). */
export function safeLabel(text: string): string {
  return text.replace(/[^A-Za-z0-9 .:|()x+-]/g, "").slice(0, 60);
}

function side(index: number, label: string | null, gapRight: number): string {
  const frame = `[${index}:v]scale=-2:${PICTURE_HEIGHT},setsar=1,pad=iw+${gapRight}:ih+${label === null ? 0 : BAR}:0:0:color=0x202020`;
  const text = label === null ? "" : `,drawtext=text='${safeLabel(label)}':x=12:y=h-${BAR - 12}:fontsize=20:fontcolor=white`;
  return `${frame}${text}[s${index}]`;
}

/**
 * One frame of each file, side by side, with each file's size, duration and resolution under it.
 * `withText` false leaves the labels out (for an ffmpeg without a font); the photo's caption carries them too.
 */
export function pairPictureSpec(left: PictureSide, right: PictureSide, output: string, withText: boolean): FfmpegSpec {
  const seek = (at: number): string[] => ["-hide_banner", "-nostdin", "-loglevel", "error", "-ss", Math.max(0, at).toFixed(3)];
  const graph = [side(0, withText ? left.label : null, GAP), side(1, withText ? right.label : null, 0), "[s0][s1]hstack=inputs=2[out]"].join(";");
  return {
    inputs: [{ path: left.path, options: seek(left.atS) }, { path: right.path, options: seek(right.atS) }],
    complexFilter: graph,
    outputOptions: ["-map", "[out]", "-frames:v", "1", "-q:v", "3", "-f", "image2"],
    output,
  };
}

/** A frame a tenth of the way in (past black intro frames), at most 30 s in, and never past the end. */
export function comparisonTime(durationS: number | null): number {
  if (durationS === null || !(durationS > 0)) return 0;
  return Math.min(30, durationS / 10, Math.max(0, durationS - 0.5));
}
