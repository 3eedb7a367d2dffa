import { afterEach, describe, expect, test } from "vitest";
import { systemActor } from "../../src/services/people/actor.js";
import type { AuditEvent } from "../../src/entities/audit-event.js";
import { Video } from "../../src/entities/video.js";
import { ADMIN_ID } from "../support/app-harness.js";
import { ShiftedClock, startPublishHarness, type PublishHarness } from "../support/publish-harness.js";
import type { FaultSpec } from "../support/telegram/index.js";

let h: PublishHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const OWNER = { kind: "user", id: ADMIN_ID, role: "owner" } as const;
const PHY = -1002000000001;
const CHEM = -1002000000002;
const STAFF = -1002000000003;

interface Setup {
  readonly ids: { readonly physics: number; readonly chemistry: number; readonly staff: number };
  readonly cats: { readonly physics: number; readonly chemistry: number; readonly staff: number };
  readonly rows: Record<number, number>;
}

/** Three channels, three categories, one clip in each; `heavy` makes the physics clip many megabytes. */
async function library(p: PublishHarness, heavy = false): Promise<Setup> {
  const phy = await p.channel(PHY, "Physics · Students", "students", "phy_students");
  const chem = await p.channel(CHEM, "Chemistry · Students", "students");
  const staff = await p.channel(STAFF, "Staff Room", "staff");
  const cats = {
    physics: await p.category("JEE Physics", "students", phy.rowId),
    chemistry: await p.category("NEET Chemistry", "students", chem.rowId),
    staff: await p.category("Staff Training", "staff", staff.rowId),
  };
  p.clip("Phy/Phy_L04.mp4", heavy ? { heavy: true, seconds: 2, size: "640x360", rate: 25 } : {});
  p.clip("Chem/Organic <L1> & more.mp4");
  p.clip("Staff/Grading rubric.mp4");
  await p.scan();
  const ids = { physics: await p.videoId("Phy_L04.mp4"), chemistry: await p.videoId("Organic <L1> & more.mp4"), staff: await p.videoId("Grading rubric.mp4") };
  await p.setCategory(ids.physics, cats.physics);
  await p.setCategory(ids.chemistry, cats.chemistry);
  await p.setCategory(ids.staff, cats.staff);
  return { ids, cats, rows: { [PHY]: phy.rowId, [CHEM]: chem.rowId, [STAFF]: staff.rowId } };
}

const postsIn = (p: PublishHarness, chatId: number) => p.emu.chatMessages(chatId).filter((m) => m.from === "bot" && m.media !== undefined);
const requestsTo = (p: PublishHarness, method: string, chatId: number) => p.emu.requests.filter((r) => r.method === method && Number(r.params.chat_id) === chatId);

async function audits(p: PublishHarness, action: string, videoId?: number): Promise<AuditEvent[]> {
  return p.app.services.audit.query(systemActor("test"), { action, ...(videoId === undefined ? {} : { videoId }) }, null, 100);
}

/** The row names its video, its channel (chat id and row id) and who did it. */
function expectNamed(row: AuditEvent | undefined, videoId: number, chatId: number, rowId: number, actor: string): void {
  expect(row).toBeDefined();
  expect(row).toMatchObject({ targetType: "video", targetId: String(videoId), actorId: actor });
  expect(JSON.parse(row?.after ?? "{}")).toMatchObject({ channel: chatId, channelId: rowId });
}

async function waitState(p: PublishHarness, videoId: number, state: string): Promise<void> {
  await p.waitFor(async () => (await p.uploadJob(videoId))?.state === state, `the upload of video ${videoId} to be ${state}`);
}


/** vidlib cannot look at the channel (forwarding its posts is refused), so each uncertain item waits for a person. */
function channelUnreadable(p: PublishHarness): void {
  p.emu.faults.add({ method: "forwardMessage", kind: "error", status: 400, description: "Bad Request: message has protected content and can't be forwarded" }, 1000);
}

describe("a post whose answer is lost, when the channel cannot be looked at", () => {
  test("dropped after processing, timed out after processing, dropped while the body arrived (local mode): each waits for a person, posted at most once", async () => {
    h = await startPublishHarness({}, undefined, (c) => ({ ...c, publish: { ...c.publish, sendTimeoutS: 2 } }));
    const { ids, rows } = await library(h);
    channelUnreadable(h);
    const cases: { kind: FaultSpec["kind"]; videoId: number; chat: number; name: string; posted: number }[] = [
      { kind: "drop-after-processing", videoId: ids.physics, chat: PHY, name: "Phy_L04.mp4", posted: 1 },
      { kind: "hang-after-processing", videoId: ids.chemistry, chat: CHEM, name: "Organic <L1> & more.mp4", posted: 1 },
      // Local mode sends a tiny request: once connected, it may all have arrived, so this is uncertain too.
      { kind: "drop-during-body", videoId: ids.staff, chat: STAFF, name: "Grading rubric.mp4", posted: 0 },
    ];
    const sends = (): number => h?.emu.requests.filter((r) => r.method === "sendVideo").length ?? 0;
    for (const c of cases) {
      const before = sends();
      h.emu.faults.add({ method: "sendVideo", kind: c.kind } as FaultSpec);
      await h.app.services.uploads.enqueue([c.videoId], "card", OWNER);
      await waitState(h, c.videoId, "uncertain");
      const notice = await h.admin.waitForBotMessage((m) => (m.text?.includes("may have been sent") ?? false) && (m.text?.includes(c.name) ?? false));
      expect(notice.text).toMatch(/^⚠️ 1 upload may have been sent/);
      expect(notice.text).toContain("Resend, or Mark sent");
      expect(notice.text).not.toContain("Posted");
      expect(postsIn(h, c.chat)).toHaveLength(c.posted);
      // One request (a body cut short is recorded without its parameters).
      expect(sends()).toBe(before + 1);
      const [row] = await audits(h, "upload.uncertain", c.videoId);
      expectNamed(row, c.videoId, c.chat, rows[c.chat] ?? 0, "uploader");
      expect(JSON.parse(row?.after ?? "{}")).toMatchObject({ queuedBy: String(ADMIN_ID) });
      expect((await audits(h, "upload.sent", c.videoId))).toEqual([]);
    }
    expect((await h.uploadJob(ids.chemistry))?.reason).toContain("no answer came in time");

    // /queue asks for the decision; the physics post is there, so it is marked sent; nothing was posted for staff, so it is sent again.
    await h.admin.send("/queue");
    const queue = await h.admin.waitForBotMessage((m) => m.text?.startsWith("📤 Upload queue") ?? false);
    expect(queue.text).toContain("needs a decision 3");
    expect(queue.text).toContain("Phy_L04.mp4 → Physics · Students: may have been sent");
    await h.admin.pressData(`q:ms:${(await h.uploadJob(ids.physics))?.id ?? 0}`);
    await waitState(h, ids.physics, "sent");
    await h.admin.press(/^↻ Resend Grading/);
    await waitState(h, ids.staff, "sent");
    await h.admin.waitForBotMessage((m) => m.text?.startsWith("📤 Posted 1 video:") ?? false);
    expect(postsIn(h, STAFF)).toHaveLength(1);
    expect(postsIn(h, PHY)).toHaveLength(1);
    expect(postsIn(h, CHEM)).toHaveLength(1);
    expect(requestsTo(h, "sendVideo", PHY)).toHaveLength(1);
    expect(requestsTo(h, "sendVideo", CHEM)).toHaveLength(1);
    expect(await h.uploadJob(ids.chemistry)).toMatchObject({ state: "uncertain" });
    expectNamed((await audits(h, "upload.mark_sent", ids.physics))[0], ids.physics, PHY, rows[PHY] ?? 0, String(ADMIN_ID));
    expectNamed((await audits(h, "upload.resend", ids.staff))[0], ids.staff, STAFF, rows[STAFF] ?? 0, String(ADMIN_ID));
  });

  test("an approved draft whose copy is made but whose answer is lost waits for a person: one post in the channel", async () => {
    h = await startPublishHarness();
    const { ids, cats, rows } = await library(h);
    channelUnreadable(h);
    await h.app.services.categories.setReviewFirst(cats.physics, true, OWNER);
    await h.app.services.uploads.enqueue([ids.physics], "card", OWNER);
    await waitState(h, ids.physics, "review");
    const job = await h.uploadJob(ids.physics);
    h.emu.faults.add({ method: "copyMessage", kind: "drop-after-processing" });
    expect((await h.app.services.reviews.approve(job?.id ?? 0, OWNER)).kind).toBe("approved");
    await waitState(h, ids.physics, "uncertain");
    const notice = await h.admin.waitForBotMessage((m) => (m.text?.includes("may have been sent") ?? false) && (m.text?.includes("Phy_L04.mp4") ?? false));
    expect(notice.text).not.toContain("Posted");
    expect(postsIn(h, PHY)).toHaveLength(1);
    expect(requestsTo(h, "copyMessage", PHY)).toHaveLength(1);
    expectNamed((await audits(h, "upload.uncertain", ids.physics))[0], ids.physics, PHY, rows[PHY] ?? 0, "uploader");
    expectNamed((await audits(h, "upload.approve", ids.physics))[0], ids.physics, PHY, rows[PHY] ?? 0, String(ADMIN_ID));
    expectNamed((await audits(h, "upload.draft", ids.physics))[0], ids.physics, PHY, rows[PHY] ?? 0, "uploader");
    expect(await h.app.services.uploads.resolveUncertain(job?.id ?? 0, "sent", OWNER)).toBe("done");
    expectNamed((await audits(h, "upload.mark_sent", ids.physics))[0], ids.physics, PHY, rows[PHY] ?? 0, String(ADMIN_ID));
    expect(postsIn(h, PHY)).toHaveLength(1);
  });

  test("uploading the bytes (not local mode): cut while the file was still going up, or refused, is retried; lost after the upload, it waits for a person", async () => {
    const clock = new ShiftedClock();
    h = await startPublishHarness({ TELEGRAM_LOCAL_MODE: "false" }, clock);
    const { ids } = await library(h, true);
    channelUnreadable(h);
    const big = await h.app.dataSource.getRepository(Video).findOne({ select: { sizeBytes: true }, where: { id: ids.physics } });
    expect(big?.sizeBytes).toBeGreaterThan(12 * 1024 * 1024);

    // Cut at the first bytes of a big upload: the file was never read to its end, Telegram cannot have it.
    h.emu.faults.add({ method: "sendVideo", kind: "drop-during-body" });
    await h.app.services.uploads.enqueue([ids.physics], "card", OWNER);
    await h.waitFor(async () => {
      const job = await h?.uploadJob(ids.physics);
      return job?.state === "queued" && job.attempts === 1 && job.not_before !== 0;
    }, "a retry of the cut upload", 20_000);
    expect((await h.uploadJob(ids.physics))?.reason).toContain("before the upload was complete");
    expect(postsIn(h, PHY)).toEqual([]);
    clock.advance(5_000);
    await waitState(h, ids.physics, "sent");
    expect(postsIn(h, PHY)).toHaveLength(1);
    const sends = h.emu.requests.filter((r) => r.method === "sendVideo");
    expect(sends.map((r) => r.description ?? "answered")).toEqual(["injected drop-during-body", "answered"]);
    expect(Number(sends[1]?.params.chat_id)).toBe(PHY);

    // Telegram unreachable: nothing can have been posted, so it is retried on the schedule.
    await h.emu.refuseConnections();
    await h.app.services.uploads.enqueue([ids.staff], "card", OWNER);
    await h.waitFor(async () => {
      const job = await h?.uploadJob(ids.staff);
      return job?.state === "queued" && job.attempts === 1 && job.not_before !== 0;
    }, "a retry of the refused upload", 20_000);
    expect((await h.uploadJob(ids.staff))?.reason).toContain("could not be reached");
    await h.emu.acceptConnections();
    clock.advance(5_000);
    await waitState(h, ids.staff, "sent");
    expect(postsIn(h, STAFF)).toHaveLength(1);

    // The whole file went up and the post was made, then the connection dropped: uncertain, not sent twice.
    h.emu.faults.add({ method: "sendVideo", kind: "drop-after-processing" });
    await h.app.services.uploads.enqueue([ids.chemistry], "card", OWNER);
    await waitState(h, ids.chemistry, "uncertain");
    clock.advance(60_000);
    await h.admin.waitForBotMessage((m) => (m.text?.includes("may have been sent") ?? false) && (m.text?.includes("Organic &lt;L1&gt;") || m.text?.includes("Organic <L1>") || false));
    expect(postsIn(h, CHEM)).toHaveLength(1);
    expect(requestsTo(h, "sendVideo", CHEM)).toHaveLength(1);
    expect(await h.uploadJob(ids.chemistry)).toMatchObject({ state: "uncertain" });
  });
});
