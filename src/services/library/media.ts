import type { MediaKind } from "../../entities/video.js";

/** What vidlib knows about a media file after probing it. */
export interface MediaInfo {
  /** "audio" when the file has sound and no picture (cover art aside). */
  readonly kind: MediaKind;
  readonly durationS: number;
  readonly width: number | null;
  readonly height: number | null;
  readonly videoCodec: string | null;
  readonly videoProfile: string | null;
  readonly pixelFormat: string | null;
  readonly frameRate: number | null;
  readonly audioCodec: string | null;
  readonly bitRate: number | null;
  /** ffprobe's format name, e.g. "mpegts" or "mov,mp4,m4a,3gp,3g2,mj2". */
  readonly container: string;
}

/**
 * A failed probe is either the file's fault (corrupt, not a video: remembered until the file changes)
 * or transient (a timeout, ffprobe missing: tried again on the next scan).
 */
export type ProbeOutcome =
  | { readonly ok: true; readonly media: MediaInfo }
  | { readonly ok: false; readonly reason: string; readonly transient?: boolean };

/** Reads a media file's streams and format; implemented by the ffmpeg adapter. */
export interface MediaProber {
  probe(path: string, signal?: AbortSignal): Promise<ProbeOutcome>;
}
