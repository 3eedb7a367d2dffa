import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ADMIN_ID, startAppHarness, startLibraryHarness, type AppHarness, type LibraryHarness } from "../support/app-harness.js";
import { makeClip } from "../support/media.js";
import { insertVideo } from "../support/videos.js";
import { until } from "../support/jobs-harness.js";
import { SEARCH_REFRESH } from "../../src/services/follow-up/kinds.js";
import { Job } from "../../src/entities/job.js";
import { In } from "typeorm";

// A card shown in a chat is redrawn in place whoever changes its video, and search follows: each change
// below is made by someone other than the person looking (a service call, a scan), never by the card's own buttons.
const other = { kind: "user" as const, id: 2002, role: "owner" as const };

describe("a shown card follows changes made elsewhere", () => {
  let h: AppHarness;
  const admin = () => h.emu.user({ id: ADMIN_ID, firstName: "Asha" });

  beforeEach(async () => { h = await startAppHarness(); });
  afterEach(async () => {
    expect(h.emu.violations).toEqual([]);
    await h.stop();
  });

  async function showCard(id: number, fileName: string): Promise<{ a: ReturnType<typeof admin>; cardId: number }> {
    const a = admin();
    await a.send("/start v" + String(id));
    const card = await a.waitForBotMessage((m) => m.text?.startsWith(`🎬 ${fileName}`) ?? false);
    // The bot handles one chat's updates in order: once this is answered, the card's handler has registered it.
    await a.send("zzqx");
    await a.waitForBotMessage((m) => m.text?.startsWith("No videos match “zzqx”") ?? false);
    return { a, cardId: card.id };
  }

  test("category set by someone else, then the category renamed: the card and search follow each", async () => {
    const physics = await h.app.services.categories.create("Physics", "students", other);
    if (!physics.ok) throw new Error("no category");
    const id = await insertVideo(h.app.dataSource, "Phy/Optics.mp4", { probed: true });
    const { a, cardId } = await showCard(id, "Optics.mp4");
    await h.app.services.catalog.setCategory(id, physics.category, other);
    await a.waitForBotMessage((m) => m.id === cardId && (m.text?.includes("Category: Physics (students)") ?? false));
    await h.app.services.categories.rename(physics.category.id, "Optical Sciences", other);
    const renamed = await a.waitForBotMessage((m) => m.id === cardId && (m.text?.includes("Category: Optical Sciences (students)") ?? false));
    expect(renamed.edited).toBe(true);
    await a.send("optical sciences");
    await a.waitForBotMessage((m) => m.text?.includes("1 video matches") ?? false);
  });

  test("a tag renamed and a bulk edit by someone else: the card and search follow each", async () => {
    const id = await insertVideo(h.app.dataSource, "Phy/Waves.mp4", { probed: true });
    const second = await insertVideo(h.app.dataSource, "Phy/Sound.mp4", { probed: true });
    await h.app.services.catalog.addTags(id, ["revison"], other);
    const { a, cardId } = await showCard(id, "Waves.mp4");
    const [tag] = (await h.app.services.catalog.video(id))?.tags ?? [];
    await h.app.services.catalog.renameTag(tag!.id, "revision", other);
    await a.waitForBotMessage((m) => m.id === cardId && (m.text?.includes("Tags: revision") ?? false));
    await h.app.services.bulk.tagAll([id, second], ["exam prep"], other);
    const bulk = await a.waitForBotMessage((m) => m.id === cardId && (m.text?.includes("exam prep") ?? false));
    expect(bulk.text).toContain("revision");
    await a.send("exam prep");
    await a.waitForBotMessage((m) => m.text?.includes("2 videos match") ?? false);
    await h.app.services.bulk.undoLast(other);
    const undone = await a.waitForBotMessage((m) => m.id === cardId && !(m.text?.includes("exam prep") ?? true));
    expect(undone.text).toContain("Tags: revision");
  });
});

describe("a shown card and search follow a scan", () => {
  let h: LibraryHarness;
  const admin = () => h.emu.user({ id: ADMIN_ID, firstName: "Asha" });

  beforeEach(async () => { h = await startLibraryHarness(); });
  afterEach(async () => {
    expect(h.emu.violations).toEqual([]);
    await h.stop();
  });

  test("a rescan that finds the file changed redraws its card; a renamed file is found by its new name", async () => {
    makeClip(join(h.library, "Phy", "Optics_L1.mp4"), { seconds: 1 });
    makeClip(join(h.library, "Phy", "Optics_L2.mp4"), { seconds: 1 });
    makeClip(join(h.library, "Phy", "Optics_L3.mp4"), { seconds: 1 });
    await h.scan();
    const a = admin();
    await a.send("optics l1");
    await a.waitForBotMessage((m) => m.text?.includes("1 video matches") ?? false);
    await a.press(/^1\. Optics_L1/);
    const card = await a.waitForBotMessage((m) => m.text?.startsWith("🎬 Optics_L1.mp4") ?? false);
    expect(card.text).toContain("0:01");
    await a.send("zzqx");
    await a.waitForBotMessage((m) => m.text?.startsWith("No videos match “zzqx”") ?? false);
    // Someone replaces the file with a longer recording: the next scan redraws the card with what it found.
    rmSync(join(h.library, "Phy", "Optics_L1.mp4"));
    makeClip(join(h.library, "Phy", "Optics_L1.mp4"), { seconds: 3 });
    await h.scan();
    const changed = await a.waitForBotMessage((m) => m.id === card.id && (m.text?.includes("0:03") ?? false));
    expect(changed.edited).toBe(true);
    // A renamed file keeps its row; search finds it by its new name only.
    renameSync(join(h.library, "Phy", "Optics_L2.mp4"), join(h.library, "Phy", "Lenses_L2.mp4"));
    await h.scan();
    // The scan enqueued the search documents' refresh; a search sent before that job ends may still see the old name.
    await until(async () => (await h.app.dataSource.getRepository(Job).countBy({ kind: SEARCH_REFRESH.name, state: In(["queued", "running"]) })) === 0, "the search refresh");
    await a.send("lenses");
    await a.waitForBotMessage((m) => m.text?.includes("1 video matches") ?? false);
    await a.send("optics l2");
    await a.waitForBotMessage((m) => m.text?.startsWith("No videos match “optics l2”") ?? false);
  });
});
