import { describe, expect, test } from "vitest";
import { parseProbeOutput, probeArgs, probeFailureReason } from "../../src/infra/ffmpeg/probe-args.js";
import { isIgnoredName } from "../../src/infra/fs/ignore.js";
import { extensionOf } from "../../src/services/library/extensions.js";

const probe = (streams: object[], format: object = { format_name: "mpegts", duration: "12.5", bit_rate: "800000" }) =>
  JSON.stringify({ streams, format });

describe("ffprobe arguments and output", () => {
  test("the path comes after --, so a name starting with - is not an option", () => {
    expect(probeArgs("-odd.mp4").slice(-2)).toEqual(["--", "-odd.mp4"]);
  });

  test("reads the video and audio streams", () => {
    const result = parseProbeOutput(probe([
      { codec_type: "video", codec_name: "h264", profile: "High", pix_fmt: "yuv420p", width: 1280, height: 720, avg_frame_rate: "30000/1001" },
      { codec_type: "audio", codec_name: "aac" }]));
    expect(result).toEqual({ ok: true, media: { kind: "video", durationS: 12.5, width: 1280, height: 720, videoCodec: "h264", videoProfile: "High",
      pixelFormat: "yuv420p", frameRate: 29.97, audioCodec: "aac", bitRate: 800000, container: "mpegts" } });
  });

  test("cover art is not a video: sound with cover art is an audio-only recording, with its duration and codec", () => {
    expect(parseProbeOutput(probe([{ codec_type: "video", codec_name: "mjpeg", disposition: { attached_pic: 1 } }, { codec_type: "audio", codec_name: "mp3" }])))
      .toEqual({ ok: true, media: { kind: "audio", durationS: 12.5, width: null, height: null, videoCodec: null, videoProfile: null, pixelFormat: null,
        frameRate: null, audioCodec: "mp3", bitRate: 800000, container: "mpegts" } });
    expect(parseProbeOutput(probe([{ codec_type: "audio", codec_name: "aac", duration: "3.2" }], { format_name: "mov,mp4,m4a,3gp,3g2,mj2" })))
      .toMatchObject({ ok: true, media: { kind: "audio", durationS: 3.2, audioCodec: "aac" } });
    expect(parseProbeOutput(probe([{ codec_type: "audio", codec_name: "aac" }], { format_name: "mpegts" })))
      .toEqual({ ok: false, reason: "the file has no duration (damaged or incomplete)" });
  });

  test("a file without duration is damaged", () => {
    expect(parseProbeOutput(probe([{ codec_type: "video", codec_name: "h264", avg_frame_rate: "0/0" }], { format_name: "mpegts" })))
      .toEqual({ ok: false, reason: "the file has no duration (damaged or incomplete)" });
    expect(parseProbeOutput("not json")).toMatchObject({ ok: false });
    expect(parseProbeOutput(probe([]))).toEqual({ ok: false, reason: "no video or audio stream" });
  });

  test("the failure reason is ffprobe's last line without the file name", () => {
    expect(probeFailureReason("noise\n/v/a.mp4: Invalid data found when processing input\n", "/v/a.mp4")).toBe("Invalid data found when processing input");
    expect(probeFailureReason("", "/v/a.mp4")).toBe("ffprobe could not read the file");
  });
});

describe("ignored names", () => {
  test("hidden, system, temporary and partial files", () => {
    for (const name of [".DS_Store", ".hidden.mp4", "Thumbs.db", "$RECYCLE.BIN", "System Volume Information", "lost+found", "x.mp4.part", "x.mp4.crdownload", "~$lock.mp4", "x.tmp", "@eaDir", "backup~"]) {
      expect(isIgnoredName(name), name).toBe(true);
    }
    for (const name of ["L04.mp4", "Physik Übung 🎬.ts", "part 2.mp4", "a.b.c.mkv"]) expect(isIgnoredName(name), name).toBe(false);
  });
  test("extensions are lower-cased, and a leading dot is no extension", () => {
    expect(extensionOf("A.B.MP4")).toBe(".mp4");
    expect(extensionOf("noext")).toBe("");
    expect(extensionOf(".profile")).toBe("");
  });
});
