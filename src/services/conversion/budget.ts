/** Bitrates and frame height for a file that must fit a size. */
export interface CompressionTarget {
  readonly videoKbps: number;
  readonly audioKbps: number;
  /** The output is scaled down to at most this height (never up). */
  readonly maxHeight: number;
}

export type BudgetOutcome =
  | { readonly ok: true; readonly target: CompressionTarget }
  | { readonly ok: false; readonly reason: string };

/** Below these a lecture stops being legible or intelligible; vidlib refuses rather than going lower. */
export const MIN_VIDEO_KBPS = 150;
export const MIN_AUDIO_KBPS = 48;
/** Room for the MP4 container's indexes and encoder overshoot. */
const SAFETY = 0.94;
const CONTAINER_OVERHEAD_BYTES = 64 * 1024;

/** Frame height that a bitrate can still carry sharply. */
function heightFor(videoKbps: number): number {
  if (videoKbps >= 2500) return 1080;
  if (videoKbps >= 1200) return 720;
  if (videoKbps >= 600) return 480;
  return 360;
}

/**
 * The bitrate budget for `durationS` seconds in at most `limitBytes`: audio first (96 kbit/s, lowered to
 * 64 and then 48 when the budget is tight), the rest to video, and a height the bitrate can carry.
 */
export function compressionTarget(durationS: number, limitBytes: number, hasAudio: boolean): BudgetOutcome {
  if (!(durationS > 0)) return { ok: false, reason: "the video has no duration, so no bitrate can be computed" };
  const totalKbps = Math.floor(((limitBytes - CONTAINER_OVERHEAD_BYTES) * SAFETY * 8) / durationS / 1000);
  const audioKbps = !hasAudio ? 0 : totalKbps >= 1000 ? 96 : totalKbps >= 400 ? 64 : MIN_AUDIO_KBPS;
  const videoKbps = Math.min(8000, totalKbps - audioKbps);
  if (videoKbps < MIN_VIDEO_KBPS) {
    const neededBytes = Math.ceil(((MIN_VIDEO_KBPS + audioKbps) * 1000 * durationS) / 8 / SAFETY + CONTAINER_OVERHEAD_BYTES);
    return { ok: false, reason: `even at the lowest acceptable quality (${MIN_VIDEO_KBPS} kbit/s video, ${audioKbps || "no"} kbit/s audio) it needs about ${Math.ceil(neededBytes / 1048576)} MB, over the ${Math.floor(limitBytes / 1048576)} MB upload limit; split the recording or raise the limit with the Local Bot API server` };
  }
  return { ok: true, target: { videoKbps, audioKbps, maxHeight: heightFor(videoKbps) } };
}

/** A tighter target after an attempt came out too large: scaled by how far it overshot, with a margin. */
export function tightened(target: CompressionTarget, producedBytes: number, limitBytes: number): CompressionTarget | null {
  const factor = (limitBytes / producedBytes) * 0.95;
  const videoKbps = Math.floor(target.videoKbps * factor);
  if (videoKbps < MIN_VIDEO_KBPS) return null;
  return { ...target, videoKbps, maxHeight: Math.min(target.maxHeight, heightFor(videoKbps)) };
}
