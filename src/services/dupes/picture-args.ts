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

/**
 * Keeps characters that are safe inside a quoted drawtext value in every font: letters, digits and a little
 * punctuation. Not the colon: drawtext reads it as the end of the option even inside quotes.
 */
export function safeLabel(text: string): string {
  return text.replace(/[^A-Za-z0-9 .|()x+-]/g, "").slice(0, 60);
}

/** A duration for a picture label, without colons: "1h02m03s", "2m05s". */
export function labelDuration(seconds: number | null): string {
  if (seconds === null) return "?";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = `${String(s % 60).padStart(2, "0")}s`;
  return h > 0 ? `${h}h${String(m).padStart(2, "0")}m${rest}` : `${m}m${rest}`;
}

function side(index: number, atS: number, label: string | null, gapRight: number): string {
  // trim, not input seeking: ffmpeg 5.1 writes no frame when -ss is combined with a filter graph here.
  const frame = `[${index}:v]trim=start=${Math.max(0, atS).toFixed(3)},setpts=PTS-STARTPTS,scale=-2:${PICTURE_HEIGHT},setsar=1,pad=iw+${gapRight}:ih+${label === null ? 0 : BAR}:0:0:color=0x202020`;
  const text = label === null ? "" : `,drawtext=text='${safeLabel(label)}':x=12:y=h-${BAR - 12}:fontsize=20:fontcolor=white`;
  return `${frame}${text}[s${index}]`;
}

/**
 * One frame of each file, side by side, with each file's size, duration and resolution under it.
 * `withText` false leaves the labels out (for an ffmpeg without a font); the photo's caption carries them too.
 */
export function pairPictureSpec(left: PictureSide, right: PictureSide, output: string, withText: boolean): FfmpegSpec {
  const quiet = ["-hide_banner", "-nostdin", "-loglevel", "error"];
  const graph = [side(0, left.atS, withText ? left.label : null, GAP), side(1, right.atS, withText ? right.label : null, 0), "[s0][s1]hstack=inputs=2[out]"].join(";");
  return {
    inputs: [{ path: left.path, options: quiet }, { path: right.path, options: quiet }],
    complexFilter: graph,
    outputOptions: ["-map", "[out]", "-frames:v", "1", "-update", "1", "-q:v", "3", "-f", "image2"],
    output,
  };
}

/** A frame a tenth of the way in (past black intro frames), at most 30 s in, and never past the end. */
export function comparisonTime(durationS: number | null): number {
  if (durationS === null || !(durationS > 0)) return 0;
  return Math.min(30, durationS / 10, Math.max(0, durationS - 0.5));
}
