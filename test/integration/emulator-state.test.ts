import { Api, GrammyError, InputFile, InputMediaBuilder } from "grammy";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { TelegramEmulator, type EmulatedUser } from "../support/telegram/index.js";

let emu: TelegramEmulator;
let api: Api;
let alice: EmulatedUser;
const CHAT = 1001;
const CHANNEL = -1001000000001;

beforeEach(async () => {
  emu = await TelegramEmulator.start({ botUsername: "vidlib_test_bot" });
  api = new Api(emu.token, { apiRoot: emu.apiRoot });
  alice = emu.user({ id: CHAT, firstName: "Alice", username: "alice" });
});
afterEach(async () => emu.stop());

describe("messages and their changes", () => {
  test("message ids count per chat; views show what a person sees", async () => {
    emu.channel({ id: CHANNEL, title: "Physics" });
    await alice.send("hi");
    const first = await api.sendMessage(CHAT, "one");
    const post = await api.sendMessage(CHANNEL, "post");
    const second = await api.sendMessage(CHAT, "two", { reply_parameters: { message_id: first.message_id } });
    expect([first.message_id, second.message_id, post.message_id]).toEqual([2, 3, 1]);
    expect(second.reply_to_message).toMatchObject({ message_id: 2, text: "one" });
    expect(alice.messages()).toEqual([
      { id: 1, from: "user", text: "hi", buttons: [] },
      { id: 2, from: "bot", text: "one", buttons: [] },
      { id: 3, from: "bot", text: "two", buttons: [], replyToId: 2 },
    ]);
  });

  test("captions and media can be edited; deleting removes the message from the chat", async () => {
    const sent = await api.sendVideo(CHAT, new InputFile(Buffer.from("v1"), "v1.mp4"), { caption: "first" });
    await api.editMessageCaption(CHAT, sent.message_id, { caption: "<i>second</i>", parse_mode: "HTML" });
    expect(alice.messages()[0]).toMatchObject({ caption: "second", entities: [{ type: "italic", offset: 0, length: 6 }], edited: true });
    const replaced = await api.editMessageMedia(CHAT, sent.message_id, InputMediaBuilder.video(new InputFile(Buffer.from("v2"), "v2.mp4"), { caption: "third" }));
    expect(replaced).toMatchObject({ caption: "third", video: { file_name: "v2.mp4" } });
    const text = await api.sendMessage(CHAT, "plain");
    await expect(api.editMessageCaption(CHAT, text.message_id, { caption: "x" })).rejects.toMatchObject({
      description: "Bad Request: there is no caption in the message to edit",
    });
    await api.deleteMessages(CHAT, [sent.message_id, text.message_id]);
    expect(alice.messages()).toEqual([]);
    expect(emu.violations).toEqual([]);
  });

  test("a user's own messages cannot be edited by the bot", async () => {
    const mine = await alice.send("mine");
    await expect(api.editMessageText(CHAT, mine.id, "theirs")).rejects.toMatchObject({ description: "Bad Request: message can't be edited" });
  });

  test("forward and copy, with forward_origin only on forwards", async () => {
    const channel = emu.channel({ id: CHANNEL, title: "Physics", username: "physics" });
    const post = channel.post({ caption: "Lecture", media: { kind: "video", fileName: "l.mp4", duration: 5 } });
    const forwarded = await api.forwardMessage(CHAT, CHANNEL, post.id);
    expect(forwarded.forward_origin).toMatchObject({ type: "channel", message_id: post.id, chat: { id: CHANNEL, username: "physics" } });
    const copied = await api.copyMessage(CHAT, CHANNEL, post.id, { caption: "Copied" });
    expect(alice.messages().map((m) => [m.caption, m.forwardedFrom?.messageId, m.media?.fileId])).toEqual([
      ["Lecture", post.id, post.media?.fileId],
      ["Copied", undefined, post.media?.fileId],
    ]);
    expect(copied.message_id).toBe(2);
    await expect(api.copyMessage(CHAT, CHANNEL, 99)).rejects.toMatchObject({ description: "Bad Request: message to copy not found" });
  });

  test("an album", async () => {
    const album = await api.sendMediaGroup(CHAT, [
      InputMediaBuilder.photo("https://example.com/a.jpg", { caption: "A" }),
      InputMediaBuilder.video(new InputFile(Buffer.from("b"), "b.mp4")),
    ]);
    expect(album.map((m) => m.message_id)).toEqual([1, 2]);
    expect(alice.messages().map((m) => [m.media?.kind, m.caption])).toEqual([
      ["photo", "A"],
      ["video", undefined],
    ]);
  });

  test("reply keyboards belong to the chat until removed", async () => {
    await api.sendMessage(CHAT, "choose", { reply_markup: { keyboard: [[{ text: "Yes" }, { text: "No" }]], one_time_keyboard: true } });
    expect(alice.replyKeyboard()).toEqual([["Yes", "No"]]);
    await api.sendMessage(CHAT, "thanks", { reply_markup: { remove_keyboard: true } });
    expect(alice.replyKeyboard()).toBeUndefined();
  });

  test("a user can send media", async () => {
    const sent = await alice.sendMedia("video", { fileName: "holiday.mp4", size: 10_000, duration: 30, caption: " Look " });
    const [update] = await api.getUpdates();
    expect(update?.message).toMatchObject({ message_id: sent.id, caption: "Look", video: { file_name: "holiday.mp4", file_size: 10_000, duration: 30 } });
    const file = await api.getFile(update?.message?.video?.file_id ?? "");
    expect(file.file_size).toBe(10_000);
  });
});

describe("methods without behaviour", () => {
  test("are validated, answered true and listed", async () => {
    await expect(api.pinChatMessage(CHAT, 1)).resolves.toBe(true);
    const error = await api.raw.pinChatMessage({ chat_id: CHAT } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect(emu.unimplemented.map((r) => [r.method, r.status])).toEqual([
      ["pinChatMessage", 200],
      ["pinChatMessage", 400],
    ]);
  });

  test("webhook info and logOut/close", async () => {
    await api.setWebhook("https://example.com/hook");
    expect(await api.getWebhookInfo()).toEqual({ url: "https://example.com/hook", has_custom_certificate: false, pending_update_count: 0 });
    await expect(api.logOut()).resolves.toBe(true);
    await expect(api.close()).resolves.toBe(true);
  });
});
