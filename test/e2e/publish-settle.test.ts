import { afterEach, describe, expect, test } from "vitest";
import { systemActor } from "../../src/services/people/actor.js";
import type { AuditEvent } from "../../src/entities/audit-event.js";
import { SETTLE_QUIET_MS } from "../../src/services/publish/settlement.js";
import { ADMIN_ID } from "../support/app-harness.js";
import { ShiftedClock, startPublishHarness, type PublishHarness } from "../support/publish-harness.js";
import type { EmulatedChannel } from "../support/telegram/index.js";
import { Publication } from "../../src/entities/publication.js";

let h: PublishHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const OWNER = { kind: "user", id: ADMIN_ID, role: "owner" } as const;
const PHY = -1002000000001;

/** One channel, one category, `n` clips in it: Phy_L01.mp4 … */
async function library(p: PublishHarness, n: number): Promise<{ ids: number[]; rowId: number; channel: EmulatedChannel }> {
  const phy = await p.channel(PHY, "Physics · Students", "students", "phy_students");
  const cat = await p.category("JEE Physics", "students", phy.rowId);
  for (let i = 1; i <= n; i++) p.clip(`Phy/Phy_L0${i}.mp4`);
  await p.scan();
  const ids: number[] = [];
  for (let i = 1; i <= n; i++) {
    const id = await p.videoId(`Phy_L0${i}.mp4`);
    await p.setCategory(id, cat);
    ids.push(id);
  }
  return { ids, rowId: phy.rowId, channel: phy.emulated };
}

const postsIn = (p: PublishHarness) => p.emu.chatMessages(PHY).filter((m) => m.media !== undefined);
const forwardsLeft = (p: PublishHarness) => p.admin.messages().filter((m) => m.forwardedFrom !== undefined || m.media !== undefined);
const sendsTo = (p: PublishHarness) => p.emu.requests.filter((r) => r.method === "sendVideo" && Number(r.params.chat_id) === PHY);

async function audits(p: PublishHarness, action: string, videoId: number): Promise<AuditEvent[]> {
  return p.app.services.audit.query(systemActor("test"), { action, videoId }, null, 100);
}
async function waitState(p: PublishHarness, videoId: number, state: string): Promise<void> {
  await p.waitFor(async () => (await p.uploadJob(videoId))?.state === state, `the upload of video ${videoId} to be ${state}`);
}
async function messageIdOf(p: PublishHarness, videoId: number): Promise<number | null> {
  const row = await p.app.dataSource.getRepository(Publication).findOne({ select: { messageId: true }, where: { videoId } });
  return row?.messageId ?? null;
}
/** A first post, sent normally, so vidlib knows its last post in the channel. */
async function firstPost(p: PublishHarness, videoId: number): Promise<void> {
  await p.app.services.uploads.enqueue([videoId], "card", OWNER);
  await waitState(p, videoId, "sent");
}

/** A second post lost before Telegram posted it (local mode), with the first look done and finding nothing yet. */
async function lostBeforePosting(): Promise<{ p: PublishHarness; clock: ShiftedClock; second: number }> {
  const clock = new ShiftedClock();
  const p = await startPublishHarness({}, clock);
  const { ids } = await library(p, 2);
  const [first = 0, second = 0] = ids;
  await firstPost(p, first);
  // Local mode: a body cut short may all have arrived, so this is uncertain; Telegram never processed it.
  p.emu.faults.add({ method: "sendVideo", kind: "drop-during-body" });
  await p.app.services.uploads.enqueue([second], "card", OWNER);
  await waitState(p, second, "uncertain");
  await p.waitFor(async () => {
    const job = await p.app.services.uploads.job((await p.uploadJob(second))?.id ?? 0);
    return job?.settleAt !== undefined && job.settleAt !== null && job.uncertainAt !== null && job.settleAt > job.uncertainAt;
  }, "the first look to find nothing yet");
  return { p, clock, second };
}

describe("an upload that may have been sent is settled by looking at the channel", () => {
  test("dropped after Telegram posted it: found in the channel, recorded with its message id, posted once, no forward left", async () => {
    h = await startPublishHarness();
    const { ids, rowId } = await library(h, 2);
    const [first = 0, second = 0] = ids;
    await firstPost(h, first);
    h.emu.faults.add({ method: "sendVideo", kind: "drop-after-processing" });
    await h.app.services.uploads.enqueue([second], "card", OWNER);
    await waitState(h, second, "sent");
    const posts = postsIn(h);
    expect(posts).toHaveLength(2);
    expect(sendsTo(h)).toHaveLength(2);
    expect(await messageIdOf(h, second)).toBe(posts[1]?.id);
    expect(forwardsLeft(h)).toEqual([]);
    expect(h.emu.requests.filter((r) => r.method === "forwardMessage").length).toBeGreaterThan(0);
    const [row] = await audits(h, "upload.settled", second);
    expect(row).toMatchObject({ targetType: "video", targetId: String(second), actorId: "uploader" });
    expect(JSON.parse(row?.after ?? "{}")).toMatchObject({ channel: PHY, channelId: rowId, outcome: "sent", messageId: posts[1]?.id });
    expect(await audits(h, "upload.uncertain", second)).toHaveLength(1);
    const notice = await h.admin.waitForBotMessage((m) => m.text?.includes("checked in the channel") ?? false);
    expect(notice.text).toContain("Phy_L02.mp4");
    expect(notice.text).toContain("it was posted");
    expect(notice.text).not.toContain("Resend");
    expect(h.emu.violations).toEqual([]);
  });

  test("lost before Telegram posted it: absent after the quiet time, sent again once by the queue", async () => {
    const lost = await lostBeforePosting();
    h = lost.p;
    const { clock, second } = lost;
    expect(postsIn(h)).toHaveLength(1);
    expect(await h.uploadJob(second)).toMatchObject({ state: "uncertain" });
    clock.advance(SETTLE_QUIET_MS);
    await waitState(h, second, "sent");
    expect(postsIn(h)).toHaveLength(2);
    expect(sendsTo(h).filter((r) => r.status === 200)).toHaveLength(2);
    expect(forwardsLeft(h)).toEqual([]);
    const [row] = await audits(h, "upload.settled", second);
    expect(JSON.parse(row?.after ?? "{}")).toMatchObject({ channel: PHY, outcome: "not-sent" });
    // The item's state is written before its audit entry: wait for the entry.
    await h.waitFor(async () => (await audits(h!, "upload.sent", second)).length > 0, "the send audited");
    expect(await audits(h, "upload.sent", second)).toHaveLength(1);
  });

  test("someone else posted after vidlib's last post: the lost post is still found after it", async () => {
    h = await startPublishHarness();
    const { ids, channel } = await library(h, 2);
    const [first = 0, second = 0] = ids;
    await firstPost(h, first);
    expect(h.emu.chatMessages(PHY)).toHaveLength(1);
    channel.post("Class moved to 5 pm");
    h.emu.faults.add({ method: "sendVideo", kind: "drop-after-processing" });
    await h.app.services.uploads.enqueue([second], "card", OWNER);
    await waitState(h, second, "sent");
    const all = h.emu.chatMessages(PHY);
    expect(all).toHaveLength(3);
    expect(await messageIdOf(h, second)).toBe(all[2]?.id);
    expect(forwardsLeft(h)).toEqual([]);
  });

  test("someone else posted and the post is not there yet: it cannot decide early, and a person decides when the channel cannot be read", async () => {
    const clock = new ShiftedClock();
    h = await startPublishHarness({}, clock);
    const { ids, channel } = await library(h, 3);
    const [first = 0, second = 0, third = 0] = ids;
    await firstPost(h, first);
    // Someone else's video with another caption: not vidlib's post, so it is looked past.
    channel.post({ caption: "Phy L02 (notes)", media: { kind: "video" } });
    h.emu.faults.add({ method: "sendVideo", kind: "drop-during-body" });
    await h.app.services.uploads.enqueue([second], "card", OWNER);
    await waitState(h, second, "uncertain");
    // Forwarding refused (the bot lost a right, or the content is protected): vidlib cannot tell, a person decides.
    h.emu.faults.add({ method: "forwardMessage", kind: "error", status: 400, description: "Bad Request: message has protected content and can't be forwarded" }, 100);
    clock.advance(SETTLE_QUIET_MS);
    const notice = await h.admin.waitForBotMessage((m) => (m.text?.includes("may have been sent") ?? false) && (m.text?.includes("Phy_L02.mp4") ?? false));
    expect(notice.text).toContain("Resend, or Mark sent");
    const job = await h.app.services.uploads.job((await h.uploadJob(second))?.id ?? 0);
    expect(job).toMatchObject({ state: "uncertain", settleAt: null });
    expect(job?.reason).toContain("protected content");
    expect(await audits(h, "upload.settled", second)).toEqual([]);
    expect(postsIn(h)).toHaveLength(2);
    // The queue goes on meanwhile; the person's Resend posts it once.
    await h.app.services.uploads.enqueue([third], "card", OWNER);
    await waitState(h, third, "sent");
    await h.admin.send("/queue");
    await h.admin.waitForBotMessage((m) => m.text?.startsWith("📤 Upload queue") ?? false);
    await h.admin.press(/^↻ Resend Phy_L02/);
    await waitState(h, second, "sent");
    expect(sendsTo(h).filter((r) => r.status === 200)).toHaveLength(3);
  });

  test("forwarding refused right after the lost answer: the item stays uncertain for a person, nothing posted twice", async () => {
    h = await startPublishHarness();
    const { ids } = await library(h, 2);
    const [first = 0, second = 0] = ids;
    await firstPost(h, first);
    h.emu.faults.add({ method: "forwardMessage", kind: "error", status: 403, description: "Forbidden: bot was kicked from the channel chat" });
    h.emu.faults.add({ method: "sendVideo", kind: "drop-after-processing" });
    await h.app.services.uploads.enqueue([second], "card", OWNER);
    const notice = await h.admin.waitForBotMessage((m) => (m.text?.includes("may have been sent") ?? false) && (m.text?.includes("Phy_L02.mp4") ?? false));
    expect(notice.text).toContain("Resend, or Mark sent");
    expect(notice.text).toContain("kicked");
    expect(await h.uploadJob(second)).toMatchObject({ state: "uncertain" });
    expect(postsIn(h)).toHaveLength(2);
    expect(sendsTo(h)).toHaveLength(2);
    expect(await audits(h, "upload.settled", second)).toEqual([]);
  });
  test("the category moved to another channel while the item waited: the look is left to a person, nothing posted anywhere", async () => {
    const lost = await lostBeforePosting();
    h = lost.p;
    const { clock, second } = lost;
    const other = await h.channel(-1002000000002, "Physics 2 · Students", "students", "phy2_students");
    const [category] = await h.app.services.categories.list();
    expect(await h.app.services.channels.map(category!, other.rowId, OWNER)).toBe("ok");
    clock.advance(SETTLE_QUIET_MS);
    const notice = await h.admin.waitForBotMessage((m) => (m.text?.includes("may have been sent") ?? false) && (m.text?.includes("mapped to another channel") ?? false));
    expect(notice.text).toContain("Phy_L02.mp4");
    expect(await h.uploadJob(second)).toMatchObject({ state: "uncertain" });
    expect(postsIn(h)).toHaveLength(1);
    expect(h.emu.chatMessages(-1002000000002)).toEqual([]);
    expect(await audits(h, "upload.settled", second)).toEqual([]);
  });
});
