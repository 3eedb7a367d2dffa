import { describe, expect, it } from "vitest";
import { conversionLine, videoCard } from "../../src/bot/views/video-card.js";
import type { CardConversion, VideoDetails } from "../../src/services/catalog/catalog-store.js";

const video = (conversion: CardConversion | null, converted: VideoDetails["converted"] = null): VideoDetails => ({
  id: 7, fileName: "L1 <&>.ts", relativePath: "Phy/L1 <&>.ts", sizeBytes: 1000, durationS: 120, width: 1280, height: 720, videoCodec: "h264",
  audioCodec: "aac", status: "indexed", mediaKind: "video", statusReason: null, telegramFileId: null, category: null, tags: [], extension: ".ts", conversion, converted, publishing: { upload: null, posts: [], route: null },
});
const job = (over: Partial<NonNullable<CardConversion["job"]>>): CardConversion => ({ needed: true, job: { id: 3, state: "running", progress: 0.42, speed: 3.1, etaS: 80, reason: null, ...over } });
const buttons = (v: VideoDetails): string[] => videoCard(v, { id: 1, role: "owner" }).keyboard.inline_keyboard.flat().map((b) => b.text);

describe("the card's conversion line and buttons", () => {
  it("an audio-only recording says why it is not converted, exported or posted, and offers none of those buttons", () => {
    const route = { id: 4, title: "Physics" };
    const audio: VideoDetails = { ...video({ needed: true, job: null }), fileName: "talk.m4a", width: null, height: null, videoCodec: null, mediaKind: "audio",
      publishing: { upload: null, posts: [], route } };
    const card = videoCard(audio, { id: 1, role: "owner" });
    expect(card.text).toContain("🎧 <b>talk.m4a</b>");
    expect(card.text).toContain("2:00 · aac");
    expect(card.text).toContain("🎧 Audio only — not converted, exported or posted to channels (channels get videos)");
    expect(card.text).not.toContain("needs converting");
    expect(buttons(audio)).toEqual(["🏷 Tags", "📂 Category", "🕘 History"]);
    expect(buttons({ ...audio, mediaKind: "video" })).toContain("📤 Send to Physics");
  });

  it("shows progress, speed and ETA while converting, with a Cancel button", () => {
    const v = video(job({}));
    expect(conversionLine(v)).toBe("🔄 converting 42 % · 3.1× realtime · ETA 1:20");
    expect(buttons(v)).toContain("✖ Cancel conversion");
    expect(conversionLine(video(job({ progress: 0, speed: null, etaS: null })))).toBe("🔄 converting 0 %");
  });

  it("offers Convert when needed, Try again after a failure (with the reason, escaped), and the MP4 once there", () => {
    expect(conversionLine(video({ needed: true, job: null }))).toContain("needs converting");
    expect(buttons(video({ needed: true, job: null }))).toContain("🔄 Convert to MP4");
    const failed = video(job({ state: "failed", reason: "ffmpeg failed: <bad> & worse" }));
    expect(conversionLine(failed)).toBe("❌ conversion failed: ffmpeg failed: &lt;bad&gt; &amp; worse");
    expect(buttons(failed)).toContain("🔄 Try converting again");
    const done = video(job({ state: "done" }), { id: 8, fileName: "L1 <&>.mp4" });
    expect(conversionLine(done)).toBe("🎞 MP4: L1 &lt;&amp;&gt;.mp4");
    expect(buttons(done)).toEqual(["🏷 Tags", "📂 Category", "🕘 History", "📡 HLS export", "🎞 Open the MP4"]);
    expect(conversionLine(video(null))).toBeNull();
  });
});
