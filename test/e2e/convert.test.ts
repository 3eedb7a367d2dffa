import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ADMIN_ID, startLibraryHarness, type LibraryHarness } from "../support/app-harness.js";
import { makeClip } from "../support/media.js";
import { systemActor } from "../../src/services/people/actor.js";
import { Video } from "../../src/entities/video.js";
import { ConversionJob } from "../../src/entities/conversion-job.js";

let h: LibraryHarness;
let lib: { dir: string };
const admin = () => h.emu.user({ id: ADMIN_ID, firstName: "Asha" });

const scan = (): Promise<void> => h.scan();

beforeEach(async () => {
  h = await startLibraryHarness();
  lib = { dir: h.library };
});
afterEach(async () => {
  await h.stop();
});

describe("converting from the bot", () => {
  test("the card offers Convert, shows the job, and then the MP4; the admins are told; /convert shows the queue", async () => {
    makeClip(join(lib.dir, "Chem", "Organic <L1> & more.ts"), { seconds: 3 });
    makeClip(join(lib.dir, "Chem", "Ready.mp4"), { seconds: 1 });
    await scan();
    const a = admin();
    await a.send("organic");
    await a.waitForBotMessage((m) => m.text?.includes("1 video matches") ?? false);
    await a.press(/^1\. Organic/);
    const card = await a.waitForBotMessage((m) => m.text?.startsWith("🎬 Organic <L1> & more.ts") ?? false);
    expect(card.text).toContain("needs converting to MP4");
    expect(card.buttons.flat()).toContain("🔄 Convert to MP4");
    const answer = await a.press("🔄 Convert to MP4");
    expect(answer.text).toBe("Queued for conversion");
    const notice = await a.waitForBotMessage((m) => m.text?.startsWith("✅ Converted") ?? false);
    expect(notice.text).toContain("Organic <L1> & more.ts → Organic <L1> & more.mp4");
    expect(notice.text).toContain("stream copy, no video re-encode");
    expect(existsSync(join(lib.dir, "Chem", "Organic <L1> & more.mp4"))).toBe(true);
    // The card worker redraws the card in place once the job is done.
    const done = await a.waitForBotMessage((m) => m.id === card.id && (m.text?.includes("🎞 MP4: Organic <L1> & more.mp4") ?? false));
    expect(done.buttons.flat()).toContain("🎞 Open the MP4");
    expect(done.buttons.flat()).not.toContain("🔄 Convert to MP4");
    await a.press("🎞 Open the MP4");
    const mp4Card = await a.waitForBotMessage((m) => m.text?.startsWith("🎬 Organic <L1> & more.mp4") ?? false);
    expect(mp4Card.buttons.flat()).not.toContain("🔄 Convert to MP4");

    await a.send("/convert");
    const queue = await a.waitForBotMessage((m) => m.text?.startsWith("🔄 Conversions") ?? false);
    expect(queue.text).toContain("done 1");
    // A playable MP4 is not converted again; asking says so.
    await a.send("ready");
    await a.waitForBotMessage((m) => m.text?.includes("1 video matches") ?? false);
    await a.press("🔄 Convert all 1");
    await a.waitForBotMessage((m) => m.text?.startsWith("None of these 1 videos needs converting") ?? false);
  });

  test("Convert all queues in natural order; /settings changes are saved and audited", async () => {
    for (const n of [10, 2, 1]) makeClip(join(lib.dir, `Bio_L${n}.ts`), { seconds: 1, video: "mpeg2" });
    await h.app.services.settings.setConcurrency(1, systemActor("test"));
    await scan();
    const a = admin();
    await a.send("/settings");
    await a.waitForBotMessage((m) => m.text?.startsWith("⚙️ Settings") ?? false);
    await a.press("+ at a time");
    await a.waitForBotMessage((m) => m.text?.includes("Conversions at a time: 2 ") ?? false);
    expect(h.app.services.settings.current.convertConcurrency).toBe(2);
    await a.press("Auto-convert: off → turn on");
    await a.waitForBotMessage((m) => m.text?.includes("converted automatically: yes") ?? false);
    const events = await h.app.services.audit.about("setting", "convert.concurrency");
    expect(events[0]?.after).toBe(JSON.stringify({ "convert.concurrency": 2 }));

    await a.send("bio");
    await a.waitForBotMessage((m) => m.text?.includes("3 videos match") ?? false);
    await a.press("🔄 Convert all 3");
    await a.waitForBotMessage((m) => m.text?.startsWith("Convert 3 of these 3 videos") ?? false);
    await a.press("✅ Convert 3");
    await a.waitForBotMessage((m) => m.text?.includes("3 videos queued for conversion") ?? false);
    for (const n of [1, 2, 10]) await a.waitForBotMessage((m) => m.text?.startsWith(`✅ Converted Bio_L${n}.ts`) ?? false);
    const requested = await h.app.dataSource.getRepository(ConversionJob).createQueryBuilder("j").innerJoin(Video, "v", "v.id = j.videoId")
      .select("v.fileName", "file_name").where("j.origin = 'bulk'").orderBy("j.id").getRawMany<{ file_name: string }>();
    expect(requested.map((r) => r.file_name)).toEqual(["Bio_L1.ts", "Bio_L2.ts", "Bio_L10.ts"]);
  });
});
