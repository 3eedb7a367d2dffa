import { afterEach, describe, expect, test } from "vitest";
import { systemActor } from "../../src/services/people/actor.js";
import { startPublishHarness, type PublishHarness } from "../support/publish-harness.js";
import { Publication } from "../../src/entities/publication.js";

const EDITOR_ID = 2002;
const STAFF_CHAT = -1009000000001;
const STUDENTS_CHAT = -1009000000002;

let h: PublishHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("review before publishing, against the emulator", () => {
  test("a draft goes to the staff review channel; Approve copies it to the channel (no second upload); Reject tells the uploader why", async () => {
    h = await startPublishHarness();
    const { services } = h.app;
    const a = h.admin;
    const editor = h.emu.user({ id: EDITOR_ID, firstName: "Ravi", username: "ravi" });
    await services.roles.setRole(systemActor("test"), EDITOR_ID, "editor");
    const staff = await h.channel(STAFF_CHAT, "Staff review", "staff");
    const students = await h.channel(STUDENTS_CHAT, "Physics <Students>", "students");
    const physics = await h.category("Physics", "students", students.rowId);
    h.clip("Phy_L1.mp4");
    h.clip("Phy_L2.mp4");
    await h.scan();
    const [l1, l2] = [await h.videoId("Phy_L1.mp4"), await h.videoId("Phy_L2.mp4")];
    for (const id of [l1, l2]) await h.setCategory(id, physics);

    // The admin turns "review first" on for the category and chooses the staff channel as the review chat.
    await a.send("/categories");
    await a.waitForBotMessage((m) => m.text?.startsWith("📂 <b>Categories") === true || m.text?.startsWith("📂 Categories") === true);
    await a.press(/^Physics — students/);
    await a.waitForBotMessage((m) => m.buttons.flat().includes("🔍 Review first: off → turn on"));
    await a.press("🔍 Review first: off → turn on");
    await a.waitForBotMessage((m) => m.text?.includes("Review first: on") ?? false);
    await a.send("/settings");
    await a.waitForBotMessage((m) => m.text?.startsWith("⚙️") ?? false);
    await a.press("🔍 Review chat");
    await a.waitForBotMessage((m) => m.buttons.flat().includes("📣 Staff review"));
    // Back changes nothing, so it says nothing; the settings come back.
    expect((await a.press("← Settings")).text).toBeUndefined();
    await a.waitForBotMessage((m) => m.buttons.flat().includes("🔍 Review chat"));
    await a.press("🔍 Review chat");
    await a.waitForBotMessage((m) => m.buttons.flat().includes("📣 Staff review"));
    await a.press("📣 Staff review");
    await a.waitForBotMessage((m) => m.text?.includes("go to: Staff review") ?? false);

    // The editor sends L1 from its card: a draft appears in the review channel, nothing in the students' channel.
    await editor.send("Phy L1");
    await editor.waitForBotMessage((m) => m.text?.startsWith("🔎") ?? false);
    await editor.press(/^1\. Phy_L1/);
    await editor.waitForBotMessage((m) => m.buttons.flat().includes("📤 Send to Physics <Students>"));
    await editor.press("📤 Send to Physics <Students>");
    const draft = await staff.emulated.waitForPost((p) => p.buttons.flat().some((b) => b.startsWith("✅ Approve")));
    expect(draft.media?.kind).toBe("video");
    expect(draft.caption).toBe("Phy L1\n#Physics");
    expect(draft.caption).toContain("#Physics");
    expect(draft.buttons).toEqual([["✅ Approve for Physics <Students>", "❌ Reject"]]);
    expect(students.emulated.posts()).toHaveLength(0);
    await h.waitFor(async () => (await h?.uploadJob(l1))?.state === "review", "the item to wait for review");

    // /queue lists it for the admin with Approve and Reject; the editor sees the queue without controls.
    await a.send("/queue");
    const queue = await a.waitForBotMessage((m) => m.text?.startsWith("📤 Upload queue") ?? false);
    expect(queue.text).toContain("awaiting review 1");
    expect(queue.text).toContain("Phy_L1.mp4 → Physics <Students>: draft waiting for review");
    expect(queue.buttons.flat()).toEqual(expect.arrayContaining(["❌ Reject"]));

    // The editor may not approve (a forged press on the draft); the admin approves in the review channel.
    const refused = await editor.pressInChat(STAFF_CHAT, /^✅ Approve/);
    expect(refused.text).toMatch(/^🔒 Your role \(editor\) cannot do that/);
    const sendsBefore = h.emu.requests.filter((r) => r.method === "sendVideo" && r.status === 200).length;
    const approved = await a.pressInChat(STAFF_CHAT, /^✅ Approve/);
    expect(approved.text).toBe("Approved: it is posted in Physics <Students> in a moment");
    const post = await students.emulated.waitForPost(() => true);
    expect(post.media?.kind).toBe("video");
    expect(post.caption).toBe(draft.caption);
    expect(post.buttons).toEqual([]);
    await h.waitFor(() => h?.emu.requests.some((r) => r.method === "copyMessage" && r.status === 200) ?? false, "the copy's answer");
    const copies = h.emu.requests.filter((r) => r.method === "copyMessage");
    expect(copies.map((r) => [Number(r.params.from_chat_id), Number(r.params.chat_id), Number(r.params.message_id)])).toEqual([[STAFF_CHAT, STUDENTS_CHAT, draft.id]]);
    expect(h.emu.requests.filter((r) => r.method === "sendVideo" && r.status === 200).length).toBe(sendsBefore);
    // The copy's answer comes before vidlib records the post: wait for the record.
    await h.waitFor(async () => (await h!.app.dataSource.getRepository(Publication).countBy({ videoId: l1 })) > 0, "the post recorded");
    const publication = await h.app.dataSource.getRepository(Publication).findOne({ select: { messageId: true, reviewChatId: true, reviewMessageId: true }, where: { videoId: l1 } });
    expect(publication).toEqual({ messageId: post.id, reviewChatId: STAFF_CHAT, reviewMessageId: draft.id });
    await h.waitFor(() => staff.emulated.posts().some((p) => p.id === draft.id && (p.caption ?? "").startsWith("✅ Approved and posted in Physics <Students>")), "the draft to say where it went");
    expect(staff.emulated.posts().find((p) => p.id === draft.id)?.buttons).toEqual([]);

    // L2 is rejected with a reason; the editor who queued it is told, and nothing is posted.
    await services.uploads.enqueue([l2], "card", { kind: "user", id: EDITOR_ID, role: "editor" });
    const draft2 = await staff.emulated.waitForPost((p) => p.id !== draft.id && p.buttons.flat().includes("❌ Reject"));
    await h.waitFor(async () => (await h?.uploadJob(l2))?.state === "review", "the second item to wait for review");
    const asked = await a.pressInChat(STAFF_CHAT, "❌ Reject");
    expect(asked.text).toBe("Send the reason in your chat with me");
    await a.waitForBotMessage((m) => m.text?.startsWith("Why is it rejected?") ?? false);
    await a.send("The audio is missing <fix & resend>");
    await a.waitForBotMessage((m) => m.text?.startsWith("❌ Phy_L2.mp4 was rejected and stays in the library.") ?? false);
    const told = await editor.waitForBotMessage((m) => m.text?.includes("was not approved") ?? false);
    expect(told.text).toContain("Reason: The audio is missing <fix & resend>");
    expect((await h.uploadJob(l2))?.state).toBe("rejected");
    expect(staff.emulated.posts().find((p) => p.id === draft2.id)?.caption).toBe("❌ Rejected by Asha: The audio is missing <fix & resend>");
    expect(students.emulated.posts()).toHaveLength(1);

    // The decided drafts have no buttons left; an old Approve pressed anyway (a stale /queue) changes nothing.
    expect(staff.emulated.posts().filter((p) => p.buttons.length > 0)).toEqual([]);
    const sentJob = await h.uploadJob(l1);
    expect((await a.pressData(`r:a:${sentJob?.id ?? 0}`)).text).toBe("Someone already decided about this draft");
    expect(students.emulated.posts()).toHaveLength(1);
    // A rejected video can be queued again.
    expect((await services.uploads.enqueue([l2], "card", { kind: "user", id: EDITOR_ID, role: "editor" })).queued).toEqual([l2]);

    const actions = (await services.audit.query(systemActor("test"), { action: "upload" })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["upload.draft", "upload.approve", "upload.sent", "upload.reject"]));
    const sent = (await services.audit.query(systemActor("test"), { action: "upload.sent", videoId: l1 }))[0];
    expect(JSON.parse(sent?.after ?? "{}")).toMatchObject({ draft: { chat: STAFF_CHAT, messageId: draft.id }, approvedBy: "1001", messageId: post.id });
    expect(h.emu.violations).toEqual([]);
  });
});
