import type { MediaInfo, ProbeOutcome } from "../../services/library/media.js";

/** ffprobe's arguments for a JSON description of a file's format and streams. */
export function probeArgs(path: string): string[] {
  return ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "--", path];
}

interface RawStream {
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  pix_fmt?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
}

interface RawProbe {
  streams?: RawStream[];
  format?: { format_name?: string; duration?: string; bit_rate?: string };
}

function rate(fraction: string | undefined): number | null {
  if (fraction === undefined) return null;
  const [num, den] = fraction.split("/").map(Number);
  if (num === undefined || !Number.isFinite(num) || num <= 0) return null;
  const value = den === undefined ? num : den > 0 ? num / den : Number.NaN;
  return Number.isFinite(value) ? Math.round(value * 1000) / 1000 : null;
}

const positive = (raw: string | undefined): number | null => {
  const n = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : null;
};

/** Turns ffprobe's JSON into MediaInfo, or the reason the file is not a playable video. */
export function parseProbeOutput(stdout: string): ProbeOutcome {
  let raw: RawProbe;
  try {
    raw = JSON.parse(stdout) as RawProbe;
  } catch {
    return { ok: false, reason: "ffprobe gave no readable description of the file" };
  }
  const streams = raw.streams ?? [];
  // Cover art is stored as a video stream; it does not make a file a video.
  const video = streams.find((s) => s.codec_type === "video" && s.disposition?.attached_pic !== 1);
  const audio = streams.find((s) => s.codec_type === "audio");
  if (video === undefined && audio === undefined) return { ok: false, reason: "no video or audio stream" };
  const durationS = positive(raw.format?.duration) ?? positive((video ?? audio)?.duration);
  if (durationS === null) return { ok: false, reason: "the file has no duration (damaged or incomplete)" };
  // A recording with sound only is valid: it is indexed as audio, never as an unreadable video.
  if (video === undefined) {
    return { ok: true, media: { kind: "audio", durationS, width: null, height: null, videoCodec: null, videoProfile: null, pixelFormat: null, frameRate: null,
      audioCodec: audio?.codec_name ?? null, bitRate: positive(raw.format?.bit_rate), container: raw.format?.format_name ?? "unknown" } };
  }
  const media: MediaInfo = {
    kind: "video",
    durationS,
    width: video.width ?? null,
    height: video.height ?? null,
    videoCodec: video.codec_name ?? null,
    videoProfile: video.profile ?? null,
    pixelFormat: video.pix_fmt ?? null,
    frameRate: rate(video.avg_frame_rate) ?? rate(video.r_frame_rate),
    audioCodec: audio?.codec_name ?? null,
    bitRate: positive(raw.format?.bit_rate),
    container: raw.format?.format_name ?? "unknown",
  };
  return { ok: true, media };
}

/** The last meaningful line of ffprobe's error output, as a reason a person can read. */
export function probeFailureReason(stderr: string, path: string): string {
  const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
  const last = lines.at(-1) ?? "ffprobe could not read the file";
  // ffprobe prefixes messages with the file name; the name is shown elsewhere already.
  return last.startsWith(`${path}: `) ? last.slice(path.length + 2) : last;
}
