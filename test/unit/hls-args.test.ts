import { describe, expect, test } from "vitest";
import { argvFor } from "../../src/services/conversion/ffmpeg-spec.js";
import { hlsSpec, ladderFor, parseMasterPlaylist } from "../../src/services/export/hls-args.js";

describe("the HLS ladder", () => {
  test("never upscales: a rung is kept only when the source is at least that tall", () => {
    expect(ladderFor(2160).map((r) => r.name)).toEqual(["360p", "720p", "1080p"]);
    expect(ladderFor(1080).map((r) => r.name)).toEqual(["360p", "720p", "1080p"]);
    expect(ladderFor(1079).map((r) => r.name)).toEqual(["360p", "720p"]);
    expect(ladderFor(480).map((r) => r.name)).toEqual(["360p"]);
    expect(ladderFor(241)).toEqual([{ name: "240p", height: 240, videoKbps: 533, audioKbps: 64 }]);
  });

  test("one ffmpeg run: split and scaled per rung, keyframes on segment boundaries, VOD playlists and a master", () => {
    const argv = argvFor(hlsSpec("/lib/a <&>.ts", "/exports/.partial-1", ladderFor(720), true));
    const line = argv.join(" ");
    expect(argv).toContain("[0:v:0]split=2[s0][s1];[s0]scale=-2:360[v0];[s1]scale=-2:720[v1]");
    expect(line).toContain("-map [v0] -map 0:a:0 -b:v:0 800k");
    expect(line).toContain("-map [v1] -map 0:a:0 -b:v:1 2800k");
    expect(line).toContain("-profile:v high -pix_fmt yuv420p");
    expect(line).toContain("-force_key_frames expr:gte(t,n_forced*6)");
    expect(line).toContain("-hls_playlist_type vod");
    expect(argv).toContain("v:0,a:0,name:360p v:1,a:1,name:720p");
    expect(argv.at(-1)).toBe("/exports/.partial-1/%v/index.m3u8");
    expect(argvFor(hlsSpec("/a.mp4", "/x", ladderFor(360), false))).toContain("v:0,name:360p");
  });

  test("master playlists are parsed, and a broken one is refused", () => {
    const text = "#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-STREAM-INF:BANDWIDTH=1020800,RESOLUTION=640x360,CODECS=\"avc1.64001e,mp4a.40.2\"\n360p/index.m3u8\n";
    expect(parseMasterPlaylist(text)).toEqual([{ uri: "360p/index.m3u8", bandwidth: 1020800, width: 640, height: 360 }]);
    expect(() => parseMasterPlaylist("not a playlist")).toThrow(/#EXTM3U/u);
    expect(() => parseMasterPlaylist("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n")).toThrow(/incomplete/u);
  });
});
