import { systemActor } from "../../src/services/people/actor.js";
import { afterEach, describe, expect, test } from "vitest";
import { Category } from "../../src/entities/category.js";
import { CategoryChannel } from "../../src/entities/category-channel.js";
import { Channel } from "../../src/entities/channel.js";
import { Publication } from "../../src/entities/publication.js";
import { UploadJob } from "../../src/entities/upload-job.js";
import { Video } from "../../src/entities/video.js";
import { ADMIN_ID } from "../support/app-harness.js";
import { dropGuardTrigger } from "../support/guard-triggers.js";
import { ShiftedClock, startPublishHarness, type PublishHarness } from "../support/publish-harness.js";

let h: PublishHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const STUDENTS_PHY = -1001000000001;
const STUDENTS_CHEM = -1001000000002;
const STAFF = -1001000000003;

/** Three channels, three categories, one clip in each category, scanned. */
interface Library {
  readonly ids: { readonly physics: number; readonly chemistry: number; readonly staff: number };
  readonly rows: { readonly physics: number; readonly chemistry: number; readonly staff: number; readonly phy: number; readonly chem: number; readonly staffChannel: number };
}

async function library(p: PublishHarness): Promise<Library> {
  const phy = await p.channel(STUDENTS_PHY, "Physics · Students", "students", "phy_students");
  const chem = await p.channel(STUDENTS_CHEM, "Chemistry · Students", "students");
  const staff = await p.channel(STAFF, "Staff Room", "staff");
  const cats = {
    physics: await p.category("JEE Physics", "students", phy.rowId),
    chemistry: await p.category("NEET Chemistry", "students", chem.rowId),
    staff: await p.category("Staff Training", "staff", staff.rowId),
  };
  p.clip("Phy/JEE-Adv_Phy-ElectroStatics_L04.mp4");
  p.clip("Chem/Organic <L1> & more.mp4");
  p.clip("Staff/Grading rubric 2026.mp4");
  await p.scan();
  const ids = {
    physics: await p.videoId("JEE-Adv_Phy-ElectroStatics_L04.mp4"),
    chemistry: await p.videoId("Organic <L1> & more.mp4"),
    staff: await p.videoId("Grading rubric 2026.mp4"),
  };
  await p.setCategory(ids.physics, cats.physics);
  await p.setCategory(ids.chemistry, cats.chemistry);
  await p.setCategory(ids.staff, cats.staff);
  return { ids, rows: { ...cats, phy: phy.rowId, chem: chem.rowId, staffChannel: staff.rowId } };
}

/** Points a category's mapping at another channel straight in the database, past the services' checks. */
const remap = (p: PublishHarness, categoryId: number, channelId: number) =>
  p.app.dataSource.getRepository(CategoryChannel).update({ categoryId }, { channelId });

const postsIn = (p: PublishHarness, chatId: number) => p.emu.chatMessages(chatId).filter((m) => m.from === "bot");

describe("publishing to channels", () => {
  test("every category posts to its own channel, with a streaming video, a thumbnail and its hashtags; the admins get one notice with links", async () => {
    h = await startPublishHarness();
    const { ids } = await library(h);
    const report = await h.app.services.uploads.enqueue([ids.physics, ids.chemistry, ids.staff], "bulk", { kind: "user", id: ADMIN_ID, role: "owner" });
    expect(report.queued).toHaveLength(3);
    const notice = await h.admin.waitForBotMessage((m) => m.text?.startsWith("📤 Posted 3 videos") ?? false);
    expect(notice.text).toContain("Organic <L1> & more.mp4 → Chemistry · Students");

    const [phy] = postsIn(h, STUDENTS_PHY);
    expect(phy?.caption).toBe("JEE Adv Phy ElectroStatics L04\n#JEE_Physics");
    expect(phy?.media).toMatchObject({ kind: "video", supportsStreaming: true, hasThumbnail: true, width: 160, height: 90, duration: 1 });
    expect(postsIn(h, STUDENTS_CHEM).map((m) => m.caption)).toEqual(["Organic <L1> & more\n#NEET_Chemistry"]);
    // The title is bold, as Telegram keeps it: the caption's entities mark exactly the title.
    const chem = postsIn(h, STUDENTS_CHEM)[0]!;
    expect(chem.entities?.filter((e) => e.type === "bold").map((e) => chem.caption?.slice(e.offset, e.offset + e.length))).toEqual(["Organic <L1> & more"]);
    expect(postsIn(h, STAFF).map((m) => m.caption)).toEqual(["Grading rubric 2026\n#Staff_Training"]);
    // Local mode: the server reads the file itself; nothing is uploaded over HTTP but the thumbnail.
    const sends = h.emu.requests.filter((r) => r.method === "sendVideo");
    expect(sends.every((r) => typeof r.params.video === "string" && r.params.video.startsWith("file:///"))).toBe(true);
    expect(h.emu.violations).toEqual([]);

    // Recorded: the post, the file id (for inline search), the audit entry with the link.
    const pubs = await h.app.dataSource.getRepository(Publication).find({ select: { chatId: true, messageId: true, fileId: true }, where: { videoId: ids.physics } });
    expect(pubs[0]).toMatchObject({ chatId: STUDENTS_PHY, messageId: phy?.id, fileId: phy?.media?.fileId });
    const video = await h.app.dataSource.getRepository(Video).findOne({ select: { telegramFileId: true }, where: { id: ids.physics } });
    expect(video?.telegramFileId).toBe(phy?.media?.fileId);
    const sent = await h.app.services.audit.query(systemActor("test"), { action: "upload.sent", videoId: ids.physics });
    expect(JSON.parse(sent[0]?.after ?? "{}")).toMatchObject({ channel: STUDENTS_PHY, link: `https://t.me/phy_students/${phy?.id}`, queuedBy: String(ADMIN_ID) });

    // Already posted: not again, unless forced.
    const again = await h.app.services.uploads.enqueue([ids.physics], "card", { kind: "user", id: ADMIN_ID, role: "owner" });
    expect(again.alreadySent).toEqual([{ id: ids.physics, channel: "Physics · Students" }]);
    expect(again.queued).toEqual([]);
  });

  test("a staff video can reach no students channel: not by mapping, not by a forged button, not by a changed database", async () => {
    h = await startPublishHarness();
    const { ids, rows } = await library(h);
    const staffCategory = await h.app.services.categories.byId(rows.staff);
    if (staffCategory === null) throw new Error("no staff category");
    // The service refuses the mapping…
    expect(await h.app.services.channels.map(staffCategory, rows.phy, { kind: "user", id: ADMIN_ID, role: "owner" })).toBe("mismatch");
    // …a forged button too, and the bot does not even offer students channels for a staff category…
    await h.admin.send("/channels");
    await h.admin.waitForBotMessage((m) => m.text?.startsWith("📣 <b>") === false && (m.text?.startsWith("📣 Channels") ?? false));
    await h.admin.press("🔗 Which category posts where");
    await h.admin.waitForBotMessage((m) => m.text?.startsWith("🔗 Which category") ?? false);
    await h.admin.press(/^Staff Training →/);
    const choices = await h.admin.waitForBotMessage((m) => m.text?.startsWith("Where do videos of Staff Training") ?? false);
    expect(choices.buttons.flat()).toEqual(["Staff Room", "No channel", "← Back"]);
    const forged = await h.admin.pressData(`ch:s:${rows.staff}:${rows.phy}`);
    expect(forged.text).toBe("That channel reaches another audience");
    // …and the database refuses it even when asked directly.
    await expect(remap(h, rows.staff, rows.phy)).rejects.toThrow(/audience mismatch/);
    await expect(h.app.dataSource.getRepository(Channel).update({ id: rows.staffChannel }, { audience: "students" })).rejects.toThrow(/audience mismatch/);
    await expect(h.app.dataSource.getRepository(Category).update({ id: rows.staff }, { audience: "students" })).rejects.toThrow(/audience mismatch/);

    // Last line of defence: with the database's guard removed and the map corrupted while the item waits,
    // the check immediately before the send stops it, and the admins are alerted at once.
    await h.app.services.uploads.setPaused(true, { kind: "user", id: ADMIN_ID, role: "owner" });
    expect((await h.app.services.uploads.enqueue([ids.staff], "card", { kind: "user", id: ADMIN_ID, role: "owner" })).queued).toEqual([ids.staff]);
    await dropGuardTrigger(h.app.dataSource, "category_channel_audience_update", "category_channel");
    await remap(h, rows.staff, rows.phy);
    await h.app.services.uploads.setPaused(false, { kind: "user", id: ADMIN_ID, role: "owner" });
    const alert = await h.admin.waitForBotMessage((m) => m.text?.startsWith("🚨 Not sent: Grading rubric 2026.mp4") ?? false);
    expect(alert.text).toContain("audience mismatch: Staff Training is for staff, but Physics · Students reaches students");
    expect(await h.uploadJob(ids.staff)).toMatchObject({ state: "failed" });
    expect(postsIn(h, STUDENTS_PHY)).toEqual([]);
    expect(h.emu.requests.filter((r) => r.method === "sendVideo")).toEqual([]);
    expect((await h.app.services.audit.query(systemActor("test"), { action: "upload.blocked" })).length).toBe(1);
  });

  test("a caption with a very long tag list stays within 1024 characters, keeping the first tags", async () => {
    h = await startPublishHarness();
    const { ids } = await library(h);
    const tags = Array.from({ length: 150 }, (_, i) => `chapter ${String(i).padStart(3, "0")} revision notes`);
    await h.app.services.catalog.addTags(ids.chemistry, tags, { kind: "user", id: ADMIN_ID, role: "owner" });
    await h.app.services.uploads.enqueue([ids.chemistry], "card", { kind: "user", id: ADMIN_ID, role: "owner" });
    const post = await h.emu.channel({ id: STUDENTS_CHEM, title: "Chemistry · Students" }).waitForPost((m) => m.media !== undefined);
    expect(post.caption?.length).toBeLessThanOrEqual(1024);
    expect(post.caption?.length).toBeGreaterThan(900);
    expect(post.caption).toContain("#chapter_000_revision_notes");
    expect(post.caption).not.toContain("#chapter_149_revision_notes");
    expect(post.entities?.filter((e) => e.type === "hashtag").length).toBeGreaterThan(20);
    expect(h.emu.violations).toEqual([]);
  });
});

describe("when Telegram fails", () => {
  test("5xx answers and refused connections are retried after 5, 15 and 45 s, then the item fails and the admins are told why", async () => {
    const clock = new ShiftedClock();
    h = await startPublishHarness({}, clock);
    const { ids } = await library(h);
    // Two 502s, then Telegram is unreachable for the last two attempts: none of them can have posted anything.
    h.emu.faults.add({ method: "sendVideo", kind: "5xx", status: 502 }, 2);
    const attempts = async (): Promise<number> => (await h?.uploadJob(ids.physics))?.attempts ?? 0;
    await h.app.services.uploads.enqueue([ids.physics], "card", { kind: "user", id: ADMIN_ID, role: "owner" });
    const schedule: number[] = [];
    for (const [i, delay] of [5_000, 15_000, 45_000].entries()) {
      const before = i + 1;
      await h.waitFor(async () => {
        const job = await h?.uploadJob(ids.physics);
        return job?.state === "queued" && job.not_before !== 0 && job.attempts === before;
      }, "a retry to be scheduled");
      const job = await h.uploadJob(ids.physics);
      schedule.push(Math.round(((job?.not_before ?? 0) - clock.now()) / 1000));
      if (i === 1) await h.emu.refuseConnections();
      // Not a moment before its time…
      clock.advance(delay - 2_000);
      await new Promise((r) => setTimeout(r, 600));
      expect(await attempts()).toBe(before);
      clock.advance(2_000);
    }
    await h.waitFor(async () => (await h?.uploadJob(ids.physics))?.state === "failed", "the item to fail");
    await h.emu.acceptConnections();
    expect(h.emu.requests.filter((r) => r.method === "sendVideo")).toHaveLength(2);
    expect(schedule).toEqual([5, 15, 45]);
    const notice = await h.admin.waitForBotMessage((m) => m.text?.startsWith("❌ 1 upload failed") ?? false);
    expect(notice.text).toContain("the connection to Telegram failed");
    expect(notice.text).toContain("gave up after 4 attempts");
    expect(await h.uploadJob(ids.physics)).toMatchObject({ state: "failed", attempts: 4 });
    expect(postsIn(h, STUDENTS_PHY)).toEqual([]);
    // "Retry failed" in /queue puts it back, and this time it goes through.
    await h.admin.send("/queue");
    await h.admin.waitForBotMessage((m) => m.text?.startsWith("📤 Upload queue") ?? false);
    await h.admin.press("🔁 Retry failed (1)");
    await h.admin.waitForBotMessage((m) => m.text?.startsWith("📤 Posted 1 video") ?? false);
    expect(postsIn(h, STUDENTS_PHY)).toHaveLength(1);
  });

  test("a 429 waits exactly retry_after without using up an attempt, while other channels keep posting; 400 and 403 fail at once", async () => {
    h = await startPublishHarness();
    const { ids } = await library(h);
    // Longer than the retry schedule's first step (5 s), so waiting for the schedule instead of retry_after would show as too short a pause.
    h.emu.faults.add({ method: "sendVideo", kind: "429", retryAfter: 7 });
    await h.app.services.uploads.enqueue([ids.physics], "card", { kind: "user", id: ADMIN_ID, role: "owner" });
    await h.waitFor(() => (h?.emu.requests.filter((r) => r.method === "sendVideo").length ?? 0) === 1, "the first, rate-limited, send");
    await h.app.services.uploads.enqueue([ids.chemistry], "card", { kind: "user", id: ADMIN_ID, role: "owner" });
    await h.waitFor(async () => (await h?.uploadJob(ids.physics))?.state === "sent", "the rate-limited post");
    const sends = h.emu.requests.filter((r) => r.method === "sendVideo");
    const toPhysics = sends.filter((r) => Number(r.params.chat_id) === STUDENTS_PHY);
    expect(toPhysics).toHaveLength(2);
    // retry_after, not the schedule's first step (5 s); only a lower bound, which a busy machine cannot break by being late.
    expect((toPhysics[1]?.at ?? 0) - (toPhysics[0]?.at ?? 0)).toBeGreaterThanOrEqual(7_000);
    // The chemistry post did not wait for the physics channel's pause.
    const chem = sends.find((r) => Number(r.params.chat_id) === STUDENTS_CHEM);
    expect((chem?.at ?? 0)).toBeLessThan(toPhysics[1]?.at ?? 0);
    expect(await h.uploadJob(ids.physics)).toMatchObject({ state: "sent", attempts: 1 });

    // Telegram answers 403 for the staff channel, and 400 in chemistry (the bot lost its admin rights): both fail on the first try.
    h.emu.faults.add({ method: "sendVideo", kind: "error", status: 403, description: "Forbidden: bot was kicked from the channel chat" });
    h.emu.channel({ id: STUDENTS_CHEM, title: "Chemistry · Students" }).setBotStatus("member");
    await h.app.services.uploads.enqueue([ids.staff], "card", { kind: "user", id: ADMIN_ID, role: "owner" });
    await h.waitFor(async () => (await h?.uploadJob(ids.staff))?.state === "failed", "the refused staff upload");
    await h.app.services.uploads.enqueue([ids.chemistry], "card", { kind: "user", id: ADMIN_ID, role: "owner" }, { force: true });
    // Notices that finish together arrive as one message: the two posts, then the failure.
    const notice = await h.admin.waitForBotMessage((m) => m.text?.includes("❌ 2 uploads failed") ?? false);
    expect(notice.text).toContain("Grading rubric 2026.mp4 → Staff Room: Telegram refused it: Forbidden: bot was kicked from the channel chat");
    expect(notice.text).toContain("Organic <L1> & more.mp4 → Chemistry · Students: Telegram refused it: Bad Request: need administrator rights in the channel chat");
    expect(h.emu.requests.filter((r) => r.method === "sendVideo" && Number(r.params.chat_id) === STAFF)).toHaveLength(1);
    expect(h.emu.requests.filter((r) => r.method === "sendVideo" && Number(r.params.chat_id) === STUDENTS_CHEM)).toHaveLength(2);
    expect(await h.uploadJob(ids.staff)).toMatchObject({ state: "failed", attempts: 1 });
    expect(await h.uploadJob(ids.chemistry)).toMatchObject({ state: "failed", attempts: 1 });
  });
});

describe("what is sent", () => {
  test("auto-publish queues a video when it gets a category; a .ts is converted first and its MP4 is posted, once", async () => {
    h = await startPublishHarness();
    const channel = await h.channel(-1006000000001, "Biology", "students");
    const biology = await h.category("Biology", "students", channel.rowId);
    await h.app.services.settings.setPublishAuto(true, { kind: "user", id: ADMIN_ID, role: "owner" });
    h.clip("Bio/Cell_Division_L2.ts", { video: "mpeg2", seconds: 2 });
    await h.scan();
    const ts = await h.videoId("Cell_Division_L2.ts");
    await h.setCategory(ts, biology);
    const post = await channel.emulated.waitForPost((p) => p.media !== undefined);
    expect(post.caption).toBe("Cell Division L2\n#Biology");
    expect(post.media).toMatchObject({ fileName: "Cell_Division_L2.mp4", supportsStreaming: true, hasThumbnail: true });
    await h.waitFor(async () => (await h?.uploadJob(ts))?.state === "sent", "the upload to be recorded");
    const [job] = await h.app.dataSource.getRepository(UploadJob).find({ where: { videoId: ts }, order: { id: "ASC" } });
    expect(job).toMatchObject({ origin: "auto", state: "sent", actorId: "auto-publish" });
    expect(job?.sendVideoId).toBe(await h.videoId("Cell_Division_L2.mp4"));
    // The MP4 inherited the category, which would have queued it too; it is the same lecture, so it is not posted again.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(channel.emulated.posts().filter((p) => p.media !== undefined)).toHaveLength(1);
    const conversions = await h.app.dataSource.query<{ origin: string; state: string }[]>(`SELECT origin, state FROM conversion_job`);
    expect(conversions).toEqual([{ origin: "upload", state: "done" }]);
  });

  test("a playable MP4 over the upload limit is compressed to fit before it is sent", async () => {
    h = await startPublishHarness({ UPLOAD_LIMIT_MB: "1" });
    const channel = await h.channel(-1006000000002, "Physics", "students");
    const physics = await h.category("Physics", "students", channel.rowId);
    h.clip("Big_Lecture.mp4", { seconds: 8, size: "640x360", pattern: "testsrc2", rate: 25 });
    await h.scan();
    const id = await h.videoId("Big_Lecture.mp4");
    await h.setCategory(id, physics);
    const row = await h.app.dataSource.getRepository(Video).findOne({ select: { sizeBytes: true }, where: { id } });
    expect(row?.sizeBytes).toBeGreaterThan(1024 * 1024);
    await h.app.services.uploads.enqueue([id], "card", { kind: "user", id: ADMIN_ID, role: "owner" });
    const post = await channel.emulated.waitForPost((p) => p.media !== undefined);
    expect(post.media?.fileName).toBe("Big_Lecture (converted).mp4");
    expect(post.media?.size).toBeLessThanOrEqual(1024 * 1024);
    expect(post.caption).toBe("Big Lecture\n#Physics");
  });
});

describe("the audit trail of publishing", () => {
  test("every publishing event names its video, its channel and who did it; refused cross-audience mappings are audited at every layer", async () => {
    h = await startPublishHarness();
    const { ids, rows } = await library(h);
    const owner = { kind: "user", id: ADMIN_ID, role: "owner" } as const;
    const { uploads, channels, audit } = h.app.services;
    const chatOf: Record<number, number> = { [rows.phy]: STUDENTS_PHY, [rows.chem]: STUDENTS_CHEM, [rows.staffChannel]: STAFF };

    // Sent; refused by Telegram and retried from /queue; moved to the front and cancelled.
    await uploads.enqueue([ids.physics], "card", owner);
    await h.waitFor(async () => (await h?.uploadJob(ids.physics))?.state === "sent", "the physics post");
    h.emu.faults.add({ method: "sendVideo", kind: "error", status: 403, description: "Forbidden: bot was kicked from the channel chat" });
    await uploads.enqueue([ids.staff], "card", owner);
    await h.waitFor(async () => (await h?.uploadJob(ids.staff))?.state === "failed", "the refused staff upload");
    await h.admin.send("/queue");
    await h.admin.waitForBotMessage((m) => m.text?.startsWith("📤 Upload queue") ?? false);
    await h.admin.press("🔁 Retry failed (1)");
    await h.waitFor(async () => (await h?.uploadJob(ids.staff))?.state === "sent", "the retried staff post");
    await uploads.setPaused(true, owner);
    await uploads.enqueue([ids.chemistry], "card", owner);
    const chemJob = (await h.uploadJob(ids.chemistry))?.id ?? 0;
    expect(await uploads.toFront(chemJob, owner)).toBe(true);
    expect(await uploads.cancel(chemJob, owner)).toBe("cancelled");
    await uploads.setPaused(false, owner);

    // A staff category mapped to a students channel: refused by the service, by a forged button, and by the
    // database when the service is handed a category that claims the other audience. Each attempt is audited.
    const staffCategory = await h.app.services.categories.byId(rows.staff);
    if (staffCategory === null) throw new Error("no staff category");
    expect(await channels.map(staffCategory, rows.phy, owner)).toBe("mismatch");
    expect((await h.admin.pressData(`ch:s:${rows.staff}:${rows.phy}`)).text).toBe("That channel reaches another audience");
    expect(await channels.map({ ...staffCategory, audience: "students" }, rows.phy, owner)).toBe("mismatch");
    const refused = await audit.query(systemActor("test"), { action: "category.channel_refused" }, null, 10);
    const after = (r: { after: string | null }): Record<string, unknown> => JSON.parse(r.after ?? "{}") as Record<string, unknown>;
    expect(refused.map((r) => [r.actorId, r.targetId, after(r).guard])).toEqual([
      [String(ADMIN_ID), String(rows.staff), "database"], [String(ADMIN_ID), String(rows.staff), "service"], [String(ADMIN_ID), String(rows.staff), "service"]]);
    for (const r of refused) expect(JSON.parse(r.after ?? "{}")).toMatchObject({ channel: STUDENTS_PHY, channelId: rows.phy, channelAudience: "students" });
    // The service's own check records the audiences it compared.
    expect(JSON.parse(refused[1]?.after ?? "{}")).toMatchObject({ category: "Staff Training", categoryAudience: "staff" });
    expect(await channels.mappings()).toEqual(new Map([[rows.physics, rows.phy], [rows.chemistry, rows.chem], [rows.staff, rows.staffChannel]]));

    // With the database's guard removed and the map corrupted, queueing is refused and audited too.
    await dropGuardTrigger(h.app.dataSource, "category_channel_audience_update", "category_channel");
    await remap(h, rows.staff, rows.phy);
    expect((await uploads.enqueue([ids.staff], "card", owner, { force: true })).unroutable).toHaveLength(1);

    const trail = [...await audit.query(systemActor("test"), { action: "upload" }, null, 100), ...await audit.query(systemActor("test"), { action: "publication" }, null, 100)];
    const actions = new Set(trail.map((r) => r.action));
    for (const action of ["upload.enqueue", "upload.sent", "upload.failed", "upload.retry_failed", "upload.front", "upload.cancel", "upload.blocked"]) expect(actions).toContain(action);
    for (const row of trail) {
      const named = JSON.parse(row.after ?? row.before ?? "{}") as { channel?: number; channelId?: number };
      expect({ action: row.action, type: row.targetType, video: Number(row.targetId) > 0, actor: row.actorId.length > 0, channel: named.channel })
        .toEqual({ action: row.action, type: "video", video: true, actor: true, channel: chatOf[named.channelId ?? 0] });
      expect(named.channel).toEqual(expect.any(Number));
    }
    const byAction = (action: string) => trail.filter((r) => r.action === action);
    expect(byAction("upload.retry_failed").map((r) => [r.actorId, r.targetId])).toEqual([[String(ADMIN_ID), String(ids.staff)]]);
    expect(byAction("upload.failed").map((r) => [r.actorId, r.targetId, after(r).channel])).toEqual([["uploader", String(ids.staff), STAFF]]);
    expect(byAction("upload.cancel").map((r) => [r.actorId, after(r).channel])).toEqual([[String(ADMIN_ID), STUDENTS_CHEM]]);
    expect(byAction("upload.blocked").map((r) => [r.actorId, r.targetId, after(r).channel])).toEqual([[String(ADMIN_ID), String(ids.staff), STUDENTS_PHY]]);
  });
});
