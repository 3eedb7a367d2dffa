import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { ADMIN_ID, startLibraryHarness, type LibraryHarness } from "../support/app-harness.js";
import { makeClip } from "../support/media.js";
import { userActor } from "../../src/services/people/actor.js";
import { Video } from "../../src/entities/video.js";

let h: LibraryHarness;
const owner = userActor(ADMIN_ID, "owner");
const row = (relativePath: string) => h.app.dataSource.getRepository(Video).findOne({
  select: { id: true, status: true, statusReason: true, mediaKind: true, durationS: true, audioCodec: true, videoCodec: true }, where: { relativePath } });

beforeEach(async () => {
  h = await startLibraryHarness();
  // Real recordings with sound and no picture, in the containers a library holds: MPEG-TS (MP3) and MP4 (AAC).
  makeClip(join(h.library, "Talks", "Thermo talk.ts"), { seconds: 2, video: "none", audio: "mp3", tag: "talk ts" });
  makeClip(join(h.library, "Talks", "Optics talk.mp4"), { seconds: 3, video: "none", audio: "aac", tag: "talk mp4" });
  mkdirSync(join(h.library, "Copies"));
  copyFileSync(join(h.library, "Talks", "Optics talk.mp4"), join(h.library, "Copies", "Optics talk.mp4"));
  makeClip(join(h.library, "Talks", "Thermo talk.mp4"), { seconds: 2, video: "none", audio: "aac", tag: "talk ts as mp4" });
  await h.scan();
});
afterEach(async () => {
  await h.stop();
});

describe("an audio-only recording", () => {
  test("is indexed as audio with its duration and codec, not as unreadable", async () => {
    expect(await row("Talks/Thermo talk.ts")).toMatchObject({ status: "indexed", statusReason: null, mediaKind: "audio", audioCodec: "mp3", videoCodec: null });
    const mp4 = await row("Talks/Optics talk.mp4");
    expect(mp4).toMatchObject({ status: "indexed", mediaKind: "audio", audioCodec: "aac", videoCodec: null });
    expect(mp4?.durationS).toBeCloseTo(3, 0);
  });

  test("is left out of conversion (asked and automatic), channel posting, HLS export and /dupes, each with its reason", async () => {
    const ts = (await row("Talks/Thermo talk.ts"))?.id ?? 0;
    const mp4 = (await row("Talks/Optics talk.mp4"))?.id ?? 0;
    const { conversions, uploads, exports, dupes, settings } = h.app.services;
    expect(await conversions.request([ts], "card", owner)).toMatchObject({ queued: [], impossible: [{ id: ts, why: "it is audio only: there is no picture to convert" }] });
    await settings.setAutoConvert(true, owner);
    await h.app.dataSource.createQueryBuilder().update(Video).set({ createdAt: Date.now() + 60_000 }).execute();
    expect(await conversions.enqueueAutomatic()).toBe(0);
    const posted = await uploads.enqueue([ts, mp4], "bulk", owner);
    expect(posted.queued).toEqual([]);
    expect(posted.unroutable).toEqual([ts, mp4].map((id) => ({ id, why: "it is audio only: channels get videos, so it is not posted" })));
    expect(await exports.request(owner, [mp4], "video")).toEqual({ queued: [], skipped: [{ videoId: mp4, why: "it is audio only: there is no picture to stream" }] });
    // An exact copy and a .ts/.mp4 name pair of audio files: neither is offered as a video duplicate.
    expect((await dupes.find()).pairs).toEqual([]);
  });

  test("is found by search, and its card says it is audio only without Convert, Send or HLS buttons", async () => {
    const a = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
    await a.send("Thermo talk");
    await a.waitForBotMessage((m) => m.text?.includes("2 videos match") ?? false);
    await a.press(/^\d\. Thermo talk\.ts/);
    const card = await a.waitForBotMessage((m) => m.text?.startsWith("🎧 Thermo talk.ts") ?? false);
    expect(card.text).toContain("Status: ✅ indexed");
    expect(card.text).toContain("🎧 Audio only — not converted, exported or posted to channels (channels get videos)");
    expect(card.text).toMatch(/0:02 · mp3/);
    expect(card.buttons.flat().filter((b) => /Convert|Send|HLS/.test(b))).toEqual([]);
  });
});
