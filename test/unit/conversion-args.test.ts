import { describe, expect, it } from "vitest";
import { compressionTarget, MIN_AUDIO_KBPS, MIN_VIDEO_KBPS, tightened } from "../../src/services/conversion/budget.js";
import { compressSpecs, remuxSpec, transcodeSpec } from "../../src/services/conversion/conversion-args.js";
import { argvFor, errorTail, parseProgressLine } from "../../src/services/conversion/ffmpeg-spec.js";
import { durationsAgree, isPlayableMp4, outputNameFor, planConversion, type SourceFacts } from "../../src/services/conversion/plan.js";
import { comparisonTime, labelDuration, pairPictureSpec, safeLabel } from "../../src/services/dupes/picture-args.js";

const MIB = 1024 * 1024;
const source = (over: Partial<SourceFacts> = {}): SourceFacts => ({
  path: "/lib/a.ts", extension: ".ts", status: "indexed", mediaKind: "video", container: "mpegts", videoCodec: "h264", pixelFormat: "yuv420p",
  audioCodec: "aac", durationS: 60, width: 1280, height: 720, ...over,
});

describe("planning a conversion from the probe", () => {
  it("remuxes H.264 yuv420p video; audio is copied when AAC and encoded to AAC otherwise (MP3, MP2, AC3)", () => {
    expect(planConversion(source())).toEqual({ kind: "remux", audio: true, audioToAac: false });
    expect(planConversion(source({ audioCodec: "mp3" }))).toEqual({ kind: "remux", audio: true, audioToAac: true });
    expect(planConversion(source({ audioCodec: "ac3" }))).toEqual({ kind: "remux", audio: true, audioToAac: true });
    expect(planConversion(source({ audioCodec: null }))).toEqual({ kind: "remux", audio: false, audioToAac: false });
  });

  it("re-encodes other video codecs, pixel formats and audio codecs, saying why", () => {
    expect(planConversion(source({ videoCodec: "mpeg2video" }))).toMatchObject({ kind: "transcode", why: "video is mpeg2video, not H.264" });
    expect(planConversion(source({ videoCodec: "hevc", extension: ".mp4", container: "mov,mp4,m4a,3gp,3g2,mj2" }))).toMatchObject({ kind: "transcode" });
    expect(planConversion(source({ pixelFormat: "yuv422p10le" }))).toMatchObject({ kind: "transcode", why: "pixel format is yuv422p10le, not yuv420p" });
  });

  it("leaves playable MP4s alone and refuses what cannot be converted", () => {
    const mp4 = source({ extension: ".mp4", container: "mov,mp4,m4a,3gp,3g2,mj2" });
    expect(isPlayableMp4(mp4)).toBe(true);
    expect(planConversion(mp4).kind).toBe("not-needed");
    expect(planConversion(source({ status: "unreadable" })).kind).toBe("impossible");
    expect(planConversion(source({ status: "missing" })).kind).toBe("impossible");
    expect(planConversion(source({ videoCodec: null })).kind).toBe("impossible");
  });

  it("names the MP4 beside the source without taking a used name", () => {
    expect(outputNameFor("L01.ts", () => false)).toBe("L01.mp4");
    expect(outputNameFor("L01.mp4", () => false)).toBe("L01 (converted).mp4");
    const taken = new Set(["l01.mp4", "l01 (converted).mp4"]);
    expect(outputNameFor("L01.ts", (n) => taken.has(n.toLowerCase()))).toBe("L01 (converted 2).mp4");
    expect(outputNameFor("no extension", () => false)).toBe("no extension.mp4");
  });

  it("accepts durations within 1 s or 1 %, whichever is larger", () => {
    expect(durationsAgree(60, 60.9)).toBe(true);
    expect(durationsAgree(60, 61.1)).toBe(false);
    expect(durationsAgree(3600, 3635)).toBe(true);
    expect(durationsAgree(3600, 3637)).toBe(false);
  });
});

describe("ffmpeg argument lists", () => {
  it("remux: stream copy of the first video and audio, faststart MP4, nothing re-encoded", () => {
    const argv = argvFor(remuxSpec("/in <&>.ts", "/out.mp4", true));
    expect(argv).toEqual(["-hide_banner", "-nostdin", "-loglevel", "warning", "-stats", "-i", "/in <&>.ts", "-y",
      "-map", "0:v:0", "-map", "0:a:0", "-map_metadata", "0", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", "/out.mp4"]);
    expect(argvFor(remuxSpec("/a.ts", "/b.mp4", false))).not.toContain("0:a:0");
    const aac = argvFor(remuxSpec("/a.ts", "/b.mp4", true, true));
    expect(aac.join(" ")).toContain("-c:v copy -c:a aac -b:a 128k -ac 2 -movflags +faststart");
  });

  it("transcode: H.264 High yuv420p at the preset, even dimensions, AAC stereo, faststart", () => {
    const argv = argvFor(transcodeSpec("/a.ts", "/b.mp4", true, "medium", 21));
    const pairs = (flag: string): string | undefined => argv[argv.indexOf(flag) + 1];
    expect(pairs("-c:v")).toBe("libx264");
    expect(pairs("-profile:v")).toBe("high");
    expect(pairs("-pix_fmt")).toBe("yuv420p");
    expect(pairs("-preset")).toBe("medium");
    expect(pairs("-crf")).toBe("21");
    expect(pairs("-vf")).toBe("scale=trunc(iw/2)*2:trunc(ih/2)*2");
    expect(pairs("-c:a")).toBe("aac");
    expect(pairs("-movflags")).toBe("+faststart");
    expect(argv.at(-1)).toBe("/b.mp4");
  });

  it("compression: two passes at the target bitrate with the same frames; pass 1 writes nothing", () => {
    const [p1, p2] = compressSpecs("/a.ts", "/b.mp4", true, { videoKbps: 700, audioKbps: 64, maxHeight: 480 }, "veryfast", "/tmp/job-1-pass");
    const a1 = argvFor(p1);
    const a2 = argvFor(p2);
    expect(a1.slice(-4)).toEqual(["-an", "-f", "null", "-"]);
    expect(a1[a1.indexOf("-pass") + 1]).toBe("1");
    expect(a2[a2.indexOf("-pass") + 1]).toBe("2");
    for (const argv of [a1, a2]) {
      expect(argv[argv.indexOf("-b:v") + 1]).toBe("700k");
      expect(argv[argv.indexOf("-passlogfile") + 1]).toBe("/tmp/job-1-pass");
      expect(argv[argv.indexOf("-fps_mode") + 1]).toBe("passthrough");
      expect(argv[argv.indexOf("-vf") + 1]).toBe("scale=-2:'min(480,trunc(ih/2)*2)'");
    }
    expect(a2[a2.indexOf("-b:a") + 1]).toBe("64k");
  });

  it("comparison picture: a frame of each input from the same time, side by side, labels kept to safe characters", () => {
    const spec = pairPictureSpec({ path: "/a.ts", atS: 6, label: "A .ts 12.3 MB | 1:02 | 1280x720" }, { path: "/b.mp4", atS: 6, label: "B 'quote' ; [x]" }, "/p.jpg", true);
    expect(spec.complexFilter).toContain("hstack=inputs=2");
    expect(spec.complexFilter).toContain("[0:v]trim=start=6.000,setpts=PTS-STARTPTS,scale=-2:360");
    expect(spec.complexFilter).toContain("text='A .ts 12.3 MB | 102 | 1280x720'");
    expect(spec.complexFilter).toContain("text='B quote  x'");
    expect(pairPictureSpec(spec.inputs[0] as never, spec.inputs[1] as never, "/p.jpg", false).complexFilter).not.toContain("drawtext");
    expect(safeLabel("é'\\:;,[]")).toBe("");
    expect(labelDuration(3723)).toBe("1h02m03s");
    expect(labelDuration(125)).toBe("2m05s");
    expect(comparisonTime(null)).toBe(0);
    expect(comparisonTime(20)).toBe(2);
    expect(comparisonTime(3600)).toBe(30);
  });

  it("reads ffmpeg's progress lines and keeps only meaningful error lines", () => {
    expect(parseProgressLine("frame=  250 fps=120 q=-1.0 size=    1024kB time=00:01:02.50 bitrate= 134.2kbits/s speed=3.1x")).toEqual({ timeS: 62.5, speed: 3.1 });
    expect(parseProgressLine("size=N/A time=01:00:00.00 bitrate=N/A speed=N/A")).toEqual({ timeS: 3600, speed: null });
    expect(parseProgressLine("frame=0 time=-577014:32:22.77 speed=0x")).toEqual({ timeS: 0, speed: null });
    expect(parseProgressLine("[mpegts @ 0x1] Packet corrupt")).toBeNull();
    expect(errorTail(["Input #0, mpegts", "frame=1 time=00:00:01.00 speed=1x", "", "[h264 @ 0x] error while decoding", "Conversion failed!"]))
      .toEqual(["[h264 @ 0x] error while decoding", "Conversion failed!"]);
  });
});

describe("the size budget for compression", () => {
  it("gives audio its share first and the rest to video, with a height the bitrate can carry", () => {
    const fit = compressionTarget(3600, 2000 * MIB, true);
    expect(fit).toMatchObject({ ok: true, target: { audioKbps: 96, maxHeight: 1080 } });
    const cloud = compressionTarget(600, 50 * MIB, true);
    expect(cloud.ok && cloud.target.videoKbps).toBeGreaterThan(500);
    expect(cloud.ok && cloud.target.videoKbps + cloud.target.audioKbps).toBeLessThanOrEqual(Math.floor(50 * MIB * 8 / 600 / 1000));
    expect(cloud.ok && cloud.target.maxHeight).toBe(360);
    expect(compressionTarget(600, 100 * MIB, true)).toMatchObject({ ok: true, target: { maxHeight: 720 } });
  });

  it("refuses with the size it would need when even the lowest quality cannot fit", () => {
    const none = compressionTarget(3 * 3600, 50 * MIB, true);
    expect(none.ok).toBe(false);
    expect(!none.ok && none.reason).toContain(`${MIN_VIDEO_KBPS} kbit/s video, ${MIN_AUDIO_KBPS} kbit/s audio`);
    expect(!none.ok && none.reason).toMatch(/needs about \d+ MB, over the 50 MB upload limit/);
    expect(compressionTarget(0, 50 * MIB, true).ok).toBe(false);
  });

  it("tightens after an overshoot, down to the floor", () => {
    const t = tightened({ videoKbps: 1000, audioKbps: 64, maxHeight: 480 }, 110, 100);
    expect(t?.videoKbps).toBeLessThan(1000 * 100 / 110);
    expect(tightened({ videoKbps: 160, audioKbps: 48, maxHeight: 360 }, 200, 100)).toBeNull();
  });
});
