import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** The MD5 of every decoded video frame, in order (timestamps left out): equal lists mean the pictures were not re-encoded. */
export function frameHashes(path: string): string[] {
  const out = execFileSync("ffmpeg", ["-v", "error", "-i", path, "-map", "0:v:0", "-f", "framemd5", "-"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return out.split("\n").filter((l) => l !== "" && !l.startsWith("#")).map((l) => l.split(",").at(-1)?.trim() ?? "");
}

/** ffprobe's view of a file's streams, for comparing codec parameters. */
export function streamsOf(path: string): { codec_type: string; codec_name: string; profile?: string; width?: number; height?: number; pix_fmt?: string; sample_rate?: string; channels?: number }[] {
  const out = execFileSync("ffprobe", ["-v", "error", "-print_format", "json", "-show_streams", path], { encoding: "utf8" });
  return (JSON.parse(out) as { streams: ReturnType<typeof streamsOf> }).streams;
}

/** The MP4's top-level boxes in file order; +faststart puts "moov" (the index) before "mdat" (the data). */
export function topLevelBoxes(path: string): string[] {
  const data = readFileSync(path);
  const boxes: string[] = [];
  let at = 0;
  while (at + 8 <= data.length) {
    let size = data.readUInt32BE(at);
    boxes.push(data.toString("latin1", at + 4, at + 8));
    if (size === 1) size = Number(data.readBigUInt64BE(at + 8));
    if (size < 8) break;
    at += size;
  }
  return boxes;
}
