import type { MediaKind, VideoStatus } from "../../entities/video.js";

/** What conversion needs to know about a source file (from the index). */
export interface SourceFacts {
  readonly path: string;
  readonly extension: string;
  readonly status: VideoStatus;
  /** "audio": sound only, nothing to convert. */
  readonly mediaKind: MediaKind;
  readonly container: string | null;
  readonly videoCodec: string | null;
  readonly pixelFormat: string | null;
  readonly audioCodec: string | null;
  readonly durationS: number | null;
  readonly width: number | null;
  readonly height: number | null;
  /** When known, a playable MP4 over the upload limit is planned for compression. */
  readonly sizeBytes?: number;
}

/** Why an audio-only recording is left out of each thing done with videos. */
export const AUDIO_ONLY_WHY = {
  convert: "it is audio only: there is no picture to convert",
  post: "it is audio only: channels get videos, so it is not posted",
  export: "it is audio only: there is no picture to stream",
} as const;

const COPYABLE_AUDIO = new Set(["aac", "mp3"]);

/** How a source becomes a playable MP4: a new container only, or new streams. */
export type ConversionPlan =
  /** The video is copied; the audio too when it is AAC, else it is encoded to AAC (cheap next to the video). */
  | { readonly kind: "remux"; readonly audio: boolean; readonly audioToAac: boolean }
  | { readonly kind: "transcode"; readonly audio: boolean; readonly why: string }
  | { readonly kind: "not-needed"; readonly why: string }
  | { readonly kind: "impossible"; readonly why: string };

/** True when Telegram clients can play the file as it is: H.264 (yuv420p) with AAC/MP3 or no audio, in MP4. */
export function isPlayableMp4(source: SourceFacts): boolean {
  return source.extension === ".mp4" && (source.container ?? "").includes("mp4") && streamsCopyable(source);
}

function streamsCopyable(source: SourceFacts): boolean {
  return videoCopyable(source) && (source.audioCodec === null || COPYABLE_AUDIO.has(source.audioCodec));
}

/** H.264 in yuv420p streams in every Telegram client and browser as it is. */
function videoCopyable(source: SourceFacts): boolean {
  return source.videoCodec === "h264" && source.pixelFormat === "yuv420p";
}

// Converted files carry AAC, which every player streams; MP2 and AC3 (common in TS recordings) and MP3 are re-encoded.
const audioToAac = (source: SourceFacts): boolean => source.audioCodec !== null && source.audioCodec !== "aac";

/** Decides, from the probe, whether a file is remuxed (stream copy), re-encoded, left alone, or cannot be converted. */
export function planConversion(source: SourceFacts, limitBytes = Number.POSITIVE_INFINITY): ConversionPlan {
  if (source.status === "missing") return { kind: "impossible", why: "the file was not found at the last scan" };
  if (source.status === "unreadable") return { kind: "impossible", why: "ffprobe could not read it, so there is nothing to convert" };
  if (source.mediaKind === "audio") return { kind: "impossible", why: AUDIO_ONLY_WHY.convert };
  if (source.videoCodec === null || source.durationS === null) return { kind: "impossible", why: "it has no video stream" };
  if (isPlayableMp4(source)) {
    // The executor compresses a copy whose source is over the limit straight away.
    if ((source.sizeBytes ?? 0) > limitBytes) return { kind: "remux", audio: source.audioCodec !== null, audioToAac: audioToAac(source) };
    return { kind: "not-needed", why: "it is already a playable MP4" };
  }
  const audio = source.audioCodec !== null;
  if (videoCopyable(source)) return { kind: "remux", audio, audioToAac: audioToAac(source) };
  const why = source.videoCodec !== "h264" ? `video is ${source.videoCodec}, not H.264` : `pixel format is ${source.pixelFormat ?? "unknown"}, not yuv420p`;
  return { kind: "transcode", audio, why };
}

/**
 * The MP4's name beside the source: `<stem>.mp4`, or `<stem> (converted).mp4`, `(converted 2)`… when taken.
 * `taken` says whether a name is in use; the caller still creates the file exclusively.
 */
export function outputNameFor(sourceName: string, taken: (name: string) => boolean): string {
  const dot = sourceName.lastIndexOf(".");
  const stem = dot > 0 ? sourceName.slice(0, dot) : sourceName;
  const candidates = [`${stem}.mp4`, `${stem} (converted).mp4`];
  for (let n = 2; n < 100; n++) candidates.push(`${stem} (converted ${n}).mp4`);
  const free = candidates.find((c) => c !== sourceName && !taken(c));
  if (free === undefined) throw new Error(`no free name for the MP4 of ${sourceName}`);
  return free;
}

/** Whether a converted file's duration matches its source's: within 1 s or 1 %, whichever is larger. */
export function durationsAgree(sourceS: number, outputS: number): boolean {
  return Math.abs(sourceS - outputS) <= Math.max(1, sourceS * 0.01);
}
