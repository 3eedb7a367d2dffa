import type { FfmpegSpec } from "../conversion/ffmpeg-spec.js";

/** One quality of the adaptive ladder. */
export interface Rung {
  readonly name: string;
  readonly height: number;
  readonly videoKbps: number;
  readonly audioKbps: number;
}

/** The ladder the organisation's web player switches between, by bandwidth. */
export const HLS_RUNGS: readonly Rung[] = [
  { name: "360p", height: 360, videoKbps: 800, audioKbps: 96 },
  { name: "720p", height: 720, videoKbps: 2800, audioKbps: 128 },
  { name: "1080p", height: 1080, videoKbps: 5000, audioKbps: 128 },
];

export const SEGMENT_SECONDS = 6;

/** The rungs a source of this height fills without upscaling; a source below 360p gets one rung at its own height. */
export function ladderFor(sourceHeight: number): Rung[] {
  const fit = HLS_RUNGS.filter((r) => r.height <= sourceHeight);
  if (fit.length > 0) return fit;
  const height = Math.max(2, Math.floor(sourceHeight / 2) * 2);
  return [{ name: `${height}p`, height, videoKbps: Math.max(150, Math.round((800 * height) / 360)), audioKbps: 64 }];
}

/**
 * One ffmpeg run that writes every rung: the picture is split and scaled per rung (width follows the
 * aspect, even), encoded to H.264 High + AAC with keyframes on segment boundaries (so players switch
 * cleanly), cut into VOD segments, and described by a master playlist. `dir` receives `master.m3u8`
 * and one folder per rung.
 */
export function hlsSpec(input: string, dir: string, ladder: readonly Rung[], audio: boolean): FfmpegSpec {
  const sep = dir.includes("\\") && !dir.includes("/") ? "\\" : "/";
  const split = `[0:v:0]split=${ladder.length}${ladder.map((_, i) => `[s${i}]`).join("")}`;
  const scales = ladder.map((r, i) => `[s${i}]scale=-2:${r.height}[v${i}]`);
  const perRung = ladder.flatMap((r, i) => [
    "-map", `[v${i}]`, ...(audio ? ["-map", "0:a:0"] : []),
    `-b:v:${i}`, `${r.videoKbps}k`, `-maxrate:v:${i}`, `${Math.round(r.videoKbps * 1.07)}k`, `-bufsize:v:${i}`, `${r.videoKbps * 1.5}k`,
    ...(audio ? [`-b:a:${i}`, `${r.audioKbps}k`] : []),
  ]);
  const streamMap = ladder.map((r, i) => `v:${i}${audio ? `,a:${i}` : ""},name:${r.name}`).join(" ");
  return {
    inputs: [{ path: input, options: ["-hide_banner", "-nostdin", "-loglevel", "warning", "-stats"] }],
    complexFilter: [split, ...scales].join(";"),
    outputOptions: [
      ...perRung,
      "-c:v", "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p", "-preset", "veryfast",
      "-force_key_frames", `expr:gte(t,n_forced*${SEGMENT_SECONDS})`, "-sc_threshold", "0",
      ...(audio ? ["-c:a", "aac", "-ac", "2"] : []),
      "-f", "hls", "-hls_time", String(SEGMENT_SECONDS), "-hls_playlist_type", "vod", "-hls_flags", "independent_segments",
      "-hls_segment_filename", `${dir}${sep}%v${sep}segment_%04d.ts`,
      "-master_pl_name", "master.m3u8", "-var_stream_map", streamMap,
    ],
    output: `${dir}${sep}%v${sep}index.m3u8`,
  };
}

export interface MasterVariant {
  readonly uri: string;
  readonly bandwidth: number;
  readonly width: number;
  readonly height: number;
}

/** The variants a master playlist lists; throws when it is not one. */
export function parseMasterPlaylist(text: string): MasterVariant[] {
  const lines = text.split(/\r?\n/u).map((l) => l.trim()).filter((l) => l !== "");
  if (lines[0] !== "#EXTM3U") throw new Error("the master playlist does not start with #EXTM3U");
  const variants: MasterVariant[] = [];
  lines.forEach((line, i) => {
    if (!line.startsWith("#EXT-X-STREAM-INF:")) return;
    const bandwidth = /BANDWIDTH=(\d+)/u.exec(line)?.[1];
    const resolution = /RESOLUTION=(\d+)x(\d+)/u.exec(line);
    const uri = lines[i + 1];
    if (bandwidth === undefined || resolution === null || uri === undefined || uri.startsWith("#")) throw new Error(`a variant in the master playlist is incomplete: ${line}`);
    variants.push({ uri, bandwidth: Number(bandwidth), width: Number(resolution[1]), height: Number(resolution[2]) });
  });
  return variants;
}
