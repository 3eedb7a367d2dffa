import { systemActor } from "../../src/services/people/actor.js";
import { afterEach, describe, expect, test } from "vitest";
import { ADMIN_ID } from "../support/app-harness.js";
import { startPublishHarness, type PublishHarness } from "../support/publish-harness.js";

let h: PublishHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("publishing from the bot", () => {
  test("a channel post forwarded while another question waits is not taken as its answer; the question still waits", async () => {
    h = await startPublishHarness();
    const a = h.admin;
    const channel = h.emu.channel({ id: -1002000000002, title: "Physics", botStatus: "member" });
    channel.post("Welcome to physics");
    const videoId = await (async () => {
      h.clip("Phy_L1.mp4");
      await h.scan();
      return h.videoId("Phy_L1.mp4");
    })();
    await h.app.services.catalog.addTags(videoId, ["revison"], systemActor("test"));
    await a.send("/tags");
    await a.waitForBotMessage((m) => m.text?.includes("1 tags") ?? false);
    await a.press("revison (1)");
    await a.waitForBotMessage((m) => m.text?.includes("#revison") ?? false);
    await a.press("✏️ Rename or merge");
    await a.waitForBotMessage((m) => m.text?.startsWith("Send the new name") ?? false);
    await a.forwardFromChannel(channel.id);
    await a.waitForBotMessage((m) => m.text === "To add this channel, send /channels and tap Add a channel first.");
    expect((await h.app.services.catalog.tagsAmong([videoId], 5)).map((t) => t.name)).toEqual(["revison"]);
    await a.send("revision");
    await a.waitForBotMessage((m) => m.text?.startsWith("Renamed to revision") ?? false);
    expect(h.emu.violations).toEqual([]);
  });

  test("/channels adds a channel only when the bot may post there, saying how to fix it otherwise; categories are then mapped", async () => {
    h = await startPublishHarness();
    const a = h.admin;
    const channel = h.emu.channel({ id: -1002000000001, title: "Maths <Students>", botStatus: "member" });
    channel.post("Welcome to maths");
    await h.app.services.categories.create("Algebra", "students", { kind: "system", name: "test" });
    await a.send("/channels");
    await a.waitForBotMessage((m) => m.text?.startsWith("📣 No channels yet") ?? false);
    await a.press("➕ Add a channel");
    await a.waitForBotMessage((m) => m.text?.startsWith("Add the bot to the channel") ?? false);
    await a.forwardFromChannel(channel.id);
    const refused = await a.waitForBotMessage((m) => m.text?.includes("is not an administrator of Maths <Students>") ?? false);
    expect(refused.text).toContain("Nothing was saved");
    expect(await h.app.services.channels.list()).toEqual([]);

    channel.setBotStatus("administrator", { canPostMessages: true });
    await a.send("@nosuchchannel");
    await a.waitForBotMessage((m) => m.text?.startsWith("Telegram does not show me that channel") ?? false);
    await a.forwardFromChannel(channel.id);
    await a.waitForBotMessage((m) => m.text?.startsWith("✅ I can post in Maths <Students>") ?? false);
    await a.press("students");
    await a.waitForBotMessage((m) => m.text?.startsWith("📣 Added Maths <Students> for students") ?? false);
    await a.press("🔗 Which category posts where");
    await a.waitForBotMessage((m) => m.text?.startsWith("🔗 Which category") ?? false);
    await a.press("Algebra → none");
    await a.waitForBotMessage((m) => m.text?.startsWith("Where do videos of Algebra") ?? false);
    await a.press("Maths <Students>");
    await a.waitForBotMessage((m) => m.buttons.flat().includes("Algebra → Maths <Students>"));
    const [info] = await h.app.services.channels.list();
    expect(info).toMatchObject({ chatId: -1002000000001, audience: "students", categories: [{ name: "Algebra" }] });
    const events = await h.app.services.audit.query(systemActor("test"), { channel: -1002000000001 });
    expect(events.map((e) => e.action).sort()).toEqual(["category.channel", "channel.add"]);
    expect(h.emu.violations).toEqual([]);
  });

  test("the card sends a video; /queue pauses, reorders and cancels; a tag change offers to update the caption, a category change to move the post", async () => {
    h = await startPublishHarness();
    const a = h.admin;
    const phy = await h.channel(-1003000000001, "Physics", "students", "phy_channel");
    const chem = await h.channel(-1003000000002, "Chemistry", "students");
    const physics = await h.category("Physics", "students", phy.rowId);
    await h.category("Chemistry", "students", chem.rowId);
    for (const n of [1, 2, 3]) h.clip(`Phy_L${n}.mp4`);
    await h.scan();
    const ids = [await h.videoId("Phy_L1.mp4"), await h.videoId("Phy_L2.mp4"), await h.videoId("Phy_L3.mp4")];
    for (const id of ids) await h.setCategory(id, physics);

    // Paused, the queue keeps items in order; L3 moves to the front and L2 is cancelled.
    await a.send("/queue");
    await a.waitForBotMessage((m) => m.text?.startsWith("📤 Upload queue") ?? false);
    await a.press("⏸ Pause");
    await a.waitForBotMessage((m) => m.text?.includes("paused") ?? false);
    await a.send("phy");
    await a.waitForBotMessage((m) => m.text?.includes("3 videos match") ?? false);
    await a.press("📤 Send all 3");
    await a.waitForBotMessage((m) => m.text?.startsWith("Send these 3 videos") ?? false);
    await a.press("✅ Send 3");
    await a.waitForBotMessage((m) => m.text?.startsWith("📤 3 videos queued") ?? false);
    await a.send("/queue");
    const queue = await a.waitForBotMessage((m) => m.text?.startsWith("📤 Upload queue") ?? false);
    expect(queue.text).toContain("1. Phy_L1.mp4 → Physics\n2. Phy_L2.mp4 → Physics\n3. Phy_L3.mp4 → Physics");
    await a.press("⏫ Phy_L3.mp4");
    await a.waitForBotMessage((m) => m.text?.includes("1. Phy_L3.mp4 → Physics\n2. Phy_L1.mp4") ?? false);
    const cancelId = (await h.uploadJob(ids[1] ?? 0))?.id ?? 0;
    await a.pressData(`q:x:${cancelId}`);
    await a.press("▶️ Resume");
    const notice = await a.waitForBotMessage((m) => m.text?.startsWith("📤 Posted 2 videos") ?? false);
    expect(notice.text?.indexOf("Phy_L3.mp4")).toBeLessThan(notice.text?.indexOf("Phy_L1.mp4") ?? 0);
    expect(phy.emulated.posts().map((p) => p.caption?.split("\n")[0])).toEqual(["Phy L3", "Phy L1"]);
    expect(await h.uploadJob(ids[1] ?? 0)).toMatchObject({ state: "cancelled" });

    // The card shows the post; tags change, and the published caption follows when asked.
    await a.send("Phy_L1");
    await a.waitForBotMessage((m) => m.text?.includes("1 video matches") ?? false);
    await a.press(/^1\. Phy_L1/);
    const card = await a.waitForBotMessage((m) => m.text?.startsWith("🎬 Phy_L1.mp4") ?? false);
    expect(card.text).toContain("📤 Posted in Physics");
    expect(card.buttons.flat()).toContain("📤 Send again to Physics");
    await a.press("🏷 Tags");
    await a.waitForBotMessage((m) => m.text?.includes("Tap a tag to remove it") ?? false);
    await a.send("revision, sci-fi");
    await a.waitForBotMessage((m) => m.text?.includes("Added: revision, sci-fi") ?? false);
    await a.press("✔️ Done");
    await a.waitForBotMessage((m) => m.text?.includes("no longer matches its tags and category") ?? false);
    await a.press("✏️ Update the published caption");
    await a.waitForBotMessage((m) => m.text === "✏️ 1 caption updated.");
    expect(phy.emulated.posts().find((p) => p.caption?.startsWith("Phy L1"))?.caption).toBe("Phy L1\n#Physics #revision #sci_fi");

    // A new category posts in its own channel, and the old post goes.
    await a.press(/^1\. Phy_L1/);
    await a.waitForBotMessage((m) => m.text?.startsWith("🎬 Phy_L1.mp4") ?? false);
    await a.press("📂 Category");
    await a.waitForBotMessage((m) => m.text?.includes("Choose the video's category") ?? false);
    await a.press("Chemistry (students)");
    await a.waitForBotMessage((m) => m.text?.includes("but its category now posts to Chemistry") ?? false);
    await a.press(/^📤 Post in Chemistry/);
    await a.waitForBotMessage((m) => m.text?.startsWith("📤 Queued for its new channel") ?? false);
    await chem.emulated.waitForPost((p) => p.caption === "Phy L1\n#Chemistry #revision #sci_fi");
    await h.waitFor(() => !(phy.emulated.posts().some((p) => p.caption?.startsWith("Phy L1") ?? false)), "the old post to be deleted");
    expect(phy.emulated.posts().map((p) => p.caption?.split("\n")[0])).toEqual(["Phy L3"]);

    // The audit trail tells the story, filtered by video, and exports it (the delete is audited after Telegram answered it).
    await h.waitFor(async () => (await h!.app.services.audit.query(systemActor("test"), { action: "publication.delete", videoId: ids[0] })).length > 0, "the delete audited");
    await a.send(`/audit video:${ids[0]}`);
    const trail = await a.waitForBotMessage((m) => m.text?.startsWith("🧾 Audit trail") ?? false);
    for (const action of ["upload.enqueue", "upload.sent", "publication.caption", "publication.delete", "video.category"]) expect(trail.text).toContain(action);
    await a.press("📄 Export CSV");
    const csv = await a.waitForBotMessage((m) => m.media?.kind === "document");
    expect(csv.media?.fileName).toMatch(/^vidlib-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(csv.caption).toMatch(/^\d+ entries \(video:\d+\)\.$/);
    expect(h.emu.violations).toEqual([]);
  });

  test("the caption template is edited in /settings: a bad one is refused with why, a good one is saved with a preview and used", async () => {
    h = await startPublishHarness();
    const a = h.admin;
    await a.send("/settings");
    await a.waitForBotMessage((m) => m.text?.startsWith("⚙️ Settings") ?? false);
    await a.press("✏️ Caption template");
    await a.waitForBotMessage((m) => m.text?.startsWith("Send the new caption template") ?? false);
    await a.send("{titel}");
    await a.waitForBotMessage((m) => m.text === "That template cannot be used: unknown placeholder: {titel}. Send another, or /cancel.");
    await a.send("{title} <{duration}>\n{hashtags}");
    const saved = await a.waitForBotMessage((m) => m.text?.startsWith("Saved.") ?? false);
    expect(saved.text).toContain("JEE Adv Phy ElectroStatics L04 <1:02:03>\n#JEE_Advanced #physics #electrostatics #sci_fi");
    const channel = await h.channel(-1007000000001, "Maths", "students");
    const maths = await h.category("Maths", "students", channel.rowId);
    h.clip("Algebra_L1.mp4");
    await h.scan();
    const id = await h.videoId("Algebra_L1.mp4");
    await h.setCategory(id, maths);
    await h.app.services.uploads.enqueue([id], "card", { kind: "user", id: ADMIN_ID, role: "owner" });
    const post = await channel.emulated.waitForPost((p) => p.media !== undefined);
    expect(post.caption).toBe("Algebra L1 <0:01>\n#Maths");
    const events = await h.app.services.audit.about("setting", "publish.caption_template");
    expect(events).toHaveLength(1);
  });
});
