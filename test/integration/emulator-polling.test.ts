import { type Api, GrammyError } from "grammy";
import type { Update } from "grammy/types";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type TelegramEmulator, type EmulatedUser } from "../support/telegram/index.js";
import { startEmulatorWithAlice } from "../support/emulator-fixture.js";

let emu: TelegramEmulator;
let api: Api;
let alice: EmulatedUser;
const CHAT = 1001;

beforeEach(async () => {
  ({ emu, api, alice } = await startEmulatorWithAlice());
});
afterEach(async () => emu.stop());

const texts = (updates: Update[]) => updates.map((u) => u.message?.text);

describe("getUpdates", () => {
  test("offsets confirm updates; limit caps the batch", async () => {
    await alice.send("one");
    await alice.send("two");
    await alice.send("three");
    const all = await api.getUpdates();
    expect(texts(all)).toEqual(["one", "two", "three"]);
    expect(texts(await api.getUpdates({ limit: 2 }))).toEqual(["one", "two"]);
    const second = all[1]?.update_id ?? 0;
    expect(texts(await api.getUpdates({ offset: second }))).toEqual(["two", "three"]);
    // confirmed updates are gone for good, even without an offset
    expect(texts(await api.getUpdates())).toEqual(["two", "three"]);
    expect(texts(await api.getUpdates({ offset: -1 }))).toEqual(["three"]);
    expect(await api.getUpdates({ offset: (all[2]?.update_id ?? 0) + 1 })).toEqual([]);
    expect(emu.pendingUpdates()).toEqual([]);
  });

  test("a long poll is held until an update arrives", async () => {
    const started = Date.now();
    const poll = api.getUpdates({ timeout: 10 });
    await emu.waitForRequest("getUpdates");
    await new Promise((r) => setTimeout(r, 150));
    await alice.send("wake up");
    const updates = await poll;
    expect(texts(updates)).toEqual(["wake up"]);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(150);
    // Answered by the update, not by the poll's 10 s timeout.
    expect(elapsed).toBeLessThan(10_000);
  });

  test("a long poll without updates ends after its timeout with []", async () => {
    const started = Date.now();
    expect(await api.getUpdates({ timeout: 1 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  test("a second getUpdates terminates the pending one with 409 Conflict", async () => {
    const first = api.getUpdates({ timeout: 10 }).then(
      () => "resolved",
      (e: unknown) => (e instanceof GrammyError ? `${e.error_code} ${e.description}` : String(e)),
    );
    await emu.waitForRequest("getUpdates");
    expect(await api.getUpdates({ timeout: 0 })).toEqual([]);
    expect(await first).toBe("409 Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
    await new Promise((r) => setTimeout(r, 100)); // a conflict is recorded once the old client is known to be still there
    expect(emu.violations.map((v) => v.message)).toEqual([
      "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    ]);
  });

  test("a client that gives up a long poll leaves no trace and no conflict", async () => {
    const controller = new AbortController();
    // grammY types its signal parameter with the abort-controller polyfill's AbortSignal
    const signal = controller.signal as unknown as Parameters<Api["getUpdates"]>[1];
    const aborted = api.getUpdates({ timeout: 30 }, signal).catch((e: unknown) => e);
    await emu.waitForRequest("getUpdates");
    controller.abort();
    await aborted;
    await new Promise((r) => setTimeout(r, 50));
    await alice.send("after abort");
    expect(texts(await api.getUpdates({ timeout: 1 }))).toEqual(["after abort"]);
    expect(emu.violations).toEqual([]);
  });

  test("allowed_updates filters and is remembered", async () => {
    await alice.send("a message");
    const press = alice.pressData("data").catch(() => undefined);
    const updates = await api.getUpdates({ allowed_updates: ["callback_query"] });
    expect(updates.map((u) => Object.keys(u).filter((k) => k !== "update_id"))).toEqual([["callback_query"]]);
    await alice.send("dropped too");
    expect(await api.getUpdates()).toHaveLength(1); // still only the callback
    await emu.stop();
    await press;
  });

  test("getUpdates while a webhook is set is a conflict", async () => {
    await api.setWebhook("https://example.com/hook");
    await expect(api.getUpdates()).rejects.toMatchObject({ error_code: 409 });
    await api.deleteWebhook({ drop_pending_updates: true });
    await expect(api.getUpdates()).resolves.toEqual([]);
  });
});

describe("update shapes", () => {
  test("a command carries a bot_command entity; a forwarded channel post carries forward_origin", async () => {
    const channel = emu.channel({ id: -1001000000001, title: "Physics (students)", username: "phys_students" });
    const post = channel.post({ caption: "Lecture 1", media: { kind: "video", fileName: "lecture1.mp4", duration: 3600 } });
    await alice.send("/start@vidlib_test_bot now");
    await alice.forwardFromChannel(channel.id, post.id);
    const updates = await api.getUpdates();
    expect(updates.map((u) => Object.keys(u)[1])).toEqual(["channel_post", "message", "message"]);
    expect(updates[1]?.message).toMatchObject({
      text: "/start@vidlib_test_bot now",
      entities: [{ type: "bot_command", offset: 0, length: 22 }],
      chat: { id: CHAT, type: "private", first_name: "Alice", username: "alice" },
      from: { id: CHAT, is_bot: false, first_name: "Alice" },
    });
    expect(updates[2]?.message).toMatchObject({
      caption: "Lecture 1",
      video: { duration: 3600, file_name: "lecture1.mp4" },
      forward_origin: { type: "channel", message_id: post.id, chat: { id: channel.id, type: "channel", title: "Physics (students)" } },
    });
    expect(alice.transcript()).toBe(`alice: /start@vidlib_test_bot now\nalice: (forwarded from ${channel.id}/${post.id}) [video lecture1.mp4 3600s] Lecture 1`);
  });

  test("a stale callback on a deleted message reaches the bot as an inaccessible message", async () => {
    const sent = await api.sendMessage(CHAT, "old menu");
    await api.deleteMessage(CHAT, sent.message_id);
    void alice.pressData("cat:old:99", sent.message_id).catch(() => undefined);
    const [update] = await api.getUpdates();
    expect(update?.callback_query).toMatchObject({
      data: "cat:old:99",
      message: { message_id: sent.message_id, date: 0, chat: { id: CHAT } },
    });
  });

  test("an inline query and a change of the bot's channel status", async () => {
    const channel = emu.channel({ id: -1001000000002, title: "Staff", botStatus: "member" });
    void alice.inline("physics", { offset: "10" }).catch(() => undefined);
    channel.setBotStatus("administrator", { canPostMessages: true });
    const [inline, member] = await api.getUpdates();
    expect(inline?.inline_query).toMatchObject({ query: "physics", offset: "10", from: { id: CHAT }, chat_type: "sender" });
    expect(member?.my_chat_member).toMatchObject({
      chat: { id: channel.id, type: "channel" },
      old_chat_member: { status: "member" },
      new_chat_member: { status: "administrator", can_post_messages: true },
    });
  });
});
