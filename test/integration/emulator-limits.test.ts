import { type Api, InlineKeyboard } from "grammy";
import type { InlineQueryResult } from "grammy/types";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type TelegramEmulator, type EmulatedUser, type JsonObject } from "../support/telegram/index.js";
import { startEmulatorWithAlice, failureOf } from "../support/emulator-fixture.js";

let emu: TelegramEmulator;
let api: Api;
let alice: EmulatedUser;
const CHAT = 1001;

beforeEach(async () => {
  ({ emu, api, alice } = await startEmulatorWithAlice());
});
afterEach(async () => emu.stop());

/** The id of the update the driver just queued, read from the bot's side. */
function lastQueryId(kind: "callback_query" | "inline_query"): string {
  const update = emu.pendingUpdates().at(-1);
  const query = update?.[kind] as JsonObject | undefined;
  return typeof query?.id === "string" ? query.id : "";
}

const article = (id: string): InlineQueryResult => ({
  type: "article",
  id,
  title: `Result ${id}`,
  input_message_content: { message_text: `text ${id}` },
});

describe("keyboards", () => {
  test("callback_data is measured in bytes: 64 pass, 65 fail", async () => {
    const ok64 = "é".repeat(32);
    await api.sendMessage(CHAT, "ok", { reply_markup: new InlineKeyboard().text("A", ok64) });
    const bad65 = "é".repeat(32) + "a";
    expect(bad65).toHaveLength(33);
    expect(await failureOf(api.sendMessage(CHAT, "x", { reply_markup: new InlineKeyboard().text("A", bad65) }))).toBe(
      "Bad Request: BUTTON_DATA_INVALID",
    );
    expect(await failureOf(api.sendMessage(CHAT, "x", { reply_markup: new InlineKeyboard().text("A", "") }))).toBe(
      "Bad Request: BUTTON_DATA_INVALID",
    );
    expect(emu.violations).toHaveLength(2);
  });

  test("at most 100 buttons", async () => {
    const keyboard = (n: number) => ({ inline_keyboard: Array.from({ length: n }, (_, i) => [{ text: `b${i}`, callback_data: `d${i}` }]) });
    await api.sendMessage(CHAT, "100", { reply_markup: keyboard(100) });
    expect(await failureOf(api.sendMessage(CHAT, "101", { reply_markup: keyboard(101) }))).toBe("Bad Request: reply markup is too long");
  });

  test("an inline button without an action is refused", async () => {
    const description = await failureOf(api.sendMessage(CHAT, "x", { reply_markup: { inline_keyboard: [[{ text: "just text" } as never]] } }));
    expect(description).toBe("Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  });
});

describe("inline queries", () => {
  test("more than 50 results are refused; 50 pass and the user sees them", async () => {
    const pending = alice.inline("physics");
    const queryId = lastQueryId("inline_query");
    const many = Array.from({ length: 51 }, (_, i) => article(String(i)));
    expect(await failureOf(api.answerInlineQuery(queryId, many))).toBe("Bad Request: RESULTS_TOO_MUCH");
    await api.answerInlineQuery(queryId, many.slice(0, 50), { next_offset: "50", cache_time: 0, is_personal: true });
    const answer = await pending;
    expect(answer.results).toHaveLength(50);
    expect(answer).toMatchObject({ nextOffset: "50", cacheTime: 0, isPersonal: true });
  });

  test("next_offset and ids are limited to 64 bytes, ids must be unique", async () => {
    void alice.inline("q").catch(() => undefined);
    const queryId = lastQueryId("inline_query");
    expect(await failureOf(api.answerInlineQuery(queryId, [article("1")], { next_offset: "o".repeat(65) }))).toBe("Bad Request: NEXT_OFFSET_INVALID");
    expect(await failureOf(api.answerInlineQuery(queryId, [article("é".repeat(33))]))).toBe("Bad Request: RESULT_ID_INVALID");
    expect(await failureOf(api.answerInlineQuery(queryId, [article("1"), article("1")]))).toBe("Bad Request: RESULT_ID_DUPLICATE");
    expect(emu.violations).toHaveLength(3);
  });

  test("a result's message text is parsed and limited too", async () => {
    void alice.inline("q").catch(() => undefined);
    const queryId = lastQueryId("inline_query");
    const bad: InlineQueryResult = { type: "article", id: "1", title: "t", input_message_content: { message_text: "<b>x", parse_mode: "HTML" } };
    expect(await failureOf(api.answerInlineQuery(queryId, [bad]))).toBe(
      'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"',
    );
  });

  test("an inline query can be answered only once", async () => {
    const pending = alice.inline("once");
    const queryId = lastQueryId("inline_query");
    await api.answerInlineQuery(queryId, []);
    await pending;
    expect(await failureOf(api.answerInlineQuery(queryId, []))).toBe(
      "Bad Request: query is too old and response timeout expired or query ID is invalid",
    );
    expect(emu.violations).toEqual([]);
    expect(emu.errors.map((e) => e.method)).toEqual(["answerInlineQuery"]);
  });
});

describe("errors a correct bot can meet", () => {
  test("a callback query answered twice", async () => {
    const sent = await api.sendMessage(CHAT, "menu", { reply_markup: new InlineKeyboard().text("Go", "go") });
    const pressed = alice.press("Go");
    const queryId = lastQueryId("callback_query");
    const update = emu.pendingUpdates().at(-1)?.callback_query as JsonObject;
    expect(update).toMatchObject({ data: "go", message: { message_id: sent.message_id, text: "menu" }, from: { id: CHAT } });
    await api.answerCallbackQuery(queryId, { text: "done", show_alert: true });
    expect(await pressed).toEqual({ text: "done", showAlert: true });
    expect(await failureOf(api.answerCallbackQuery(queryId))).toBe(
      "Bad Request: query is too old and response timeout expired or query ID is invalid",
    );
    expect(emu.errors).toHaveLength(1);
    expect(emu.violations).toEqual([]);
  });

  test("a callback answer over 200 characters is refused and leaves the query open", async () => {
    await api.sendMessage(CHAT, "menu", { reply_markup: new InlineKeyboard().text("Go", "go") });
    const pressed = alice.press("Go");
    const queryId = lastQueryId("callback_query");
    expect(await failureOf(api.answerCallbackQuery(queryId, { text: "x".repeat(201) }))).toBe("Bad Request: MESSAGE_TOO_LONG");
    expect(emu.violations.map((v) => v.method)).toEqual(["answerCallbackQuery"]);
    await api.answerCallbackQuery(queryId, { text: "y".repeat(200) });
    expect((await pressed).text).toBe("y".repeat(200));
  });

  test("an unanswered callback fails the press with the transcript", async () => {
    await api.sendMessage(CHAT, "menu", { reply_markup: new InlineKeyboard().text("Go", "go") });
    await expect(alice.press("Go", { timeoutMs: 100 })).rejects.toThrow(/answerCallbackQuery.*\n(.|\n)*bot: menu\n {2}\[Go\]/);
    await expect(alice.press("Nope")).rejects.toThrow(/no button Nope/);
  });

  test("message is not modified", async () => {
    const markup = new InlineKeyboard().text("A", "a");
    const sent = await api.sendMessage(CHAT, "<b>same</b>", { parse_mode: "HTML", reply_markup: markup });
    expect(await failureOf(api.editMessageText(CHAT, sent.message_id, "<b>same</b>", { parse_mode: "HTML", reply_markup: markup }))).toBe(
      "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
    );
    // same text but without the bold entity is a modification
    await api.editMessageText(CHAT, sent.message_id, "same", { reply_markup: markup });
    expect(await failureOf(api.editMessageReplyMarkup(CHAT, sent.message_id, { reply_markup: markup }))).toContain("message is not modified");
    await api.editMessageReplyMarkup(CHAT, sent.message_id);
    expect(alice.messages()).toMatchObject([{ id: sent.message_id, text: "same", buttons: [], edited: true }]);
    expect(emu.violations).toEqual([]);
  });

  test("missing messages and chats", async () => {
    expect(await failureOf(api.editMessageText(CHAT, 999, "x"))).toBe("Bad Request: message to edit not found");
    expect(await failureOf(api.deleteMessage(CHAT, 999))).toBe("Bad Request: message to delete not found");
    expect(await failureOf(api.sendMessage(4242, "x"))).toBe("Bad Request: chat not found");
    expect(await failureOf(api.sendMessage(CHAT, "x", { reply_parameters: { message_id: 77 } }))).toBe(
      "Bad Request: message to be replied not found",
    );
    const sent = await api.sendMessage(CHAT, "to delete");
    await api.deleteMessage(CHAT, sent.message_id);
    expect(alice.messages()).toEqual([]);
    expect(emu.errors).toHaveLength(4);
    expect(emu.violations).toEqual([]);
  });

  test("a user who blocked the bot", async () => {
    alice.block();
    expect(await failureOf(api.sendMessage(CHAT, "hello?"))).toBe("Forbidden: bot was blocked by the user");
    expect(emu.pendingUpdates().at(-1)?.my_chat_member).toMatchObject({
      chat: { id: CHAT, type: "private" },
      old_chat_member: { status: "member" },
      new_chat_member: { status: "kicked", user: { id: emu.bot.id, is_bot: true } },
    });
    await alice.send("/start"); // writing to the bot unblocks it
    await expect(api.sendMessage(CHAT, "welcome back")).resolves.toBeDefined();
  });

  test("channels: membership and admin rights", async () => {
    const absent = emu.channel({ id: -1001000000001, title: "Physics (students)", username: "phys_students", botStatus: "left" });
    const member = emu.channel({ id: -1001000000002, title: "Chemistry", botStatus: "member" });
    const noPost = emu.channel({ id: -1001000000003, title: "Maths", botStatus: "administrator", canPostMessages: false });
    const admin = emu.channel({ id: -1001000000004, title: "Biology", username: "bio", botStatus: "administrator" });
    expect(await failureOf(api.sendMessage(absent.id, "x"))).toBe("Forbidden: bot is not a member of the channel chat");
    expect(await failureOf(api.sendMessage(member.id, "x"))).toBe("Bad Request: need administrator rights in the channel chat");
    expect(await failureOf(api.sendMessage(noPost.id, "x"))).toBe("Bad Request: need administrator rights in the channel chat");
    const post = await api.sendMessage("@bio", "lecture 1");
    expect(post).toMatchObject({ chat: { id: admin.id, type: "channel", title: "Biology" }, sender_chat: { id: admin.id } });
    expect(post.from).toBeUndefined();
    expect(emu.chatMessages(admin.id)).toMatchObject([{ from: "bot", text: "lecture 1" }]);
    expect(emu.violations).toEqual([]);
  });

  test("getChat, getChatMember and getChatAdministrators", async () => {
    const bob = emu.user({ id: 2002, firstName: "Bob" });
    const channel = emu.channel({ id: -1001000000009, title: "Staff", members: { [CHAT]: "creator", [bob.id]: "member" } });
    expect(await api.getChat(channel.id)).toMatchObject({ id: channel.id, type: "channel", title: "Staff" });
    expect(await api.getChatMember(channel.id, bob.id)).toEqual({ status: "member", user: { id: 2002, is_bot: false, first_name: "Bob" } });
    expect((await api.getChatMember(channel.id, emu.bot.id)).status).toBe("administrator");
    const admins = await api.getChatAdministrators(channel.id);
    expect(admins.map((a) => [a.user.id, a.status])).toEqual([[CHAT, "creator"], [emu.bot.id, "administrator"]]);
    channel.setMember(bob.id, "left");
    expect((await api.getChatMember(channel.id, bob.id)).status).toBe("left");
    channel.setBotStatus("member");
    expect(await failureOf(api.getChatMember(channel.id, bob.id))).toBe("Bad Request: member list is inaccessible");
  });

  test("setMyCommands is stored per scope and validated", async () => {
    await api.setMyCommands([{ command: "start", description: "Start" }, { command: "help", description: "Help" }]);
    await api.setMyCommands([{ command: "admin", description: "Admin" }], { scope: { type: "chat", chat_id: CHAT } });
    expect(emu.commands()).toEqual([{ command: "start", description: "Start" }, { command: "help", description: "Help" }]);
    expect(emu.commands({ scope: { type: "chat", chat_id: CHAT } })).toEqual([{ command: "admin", description: "Admin" }]);
    expect(await api.getMyCommands()).toHaveLength(2);
    expect(await failureOf(api.setMyCommands([{ command: "/Start", description: "x" }]))).toBe("Bad Request: BOT_COMMAND_INVALID");
    await api.deleteMyCommands();
    expect(emu.commands()).toEqual([]);
  });

  test("sendChatAction is recorded, unknown actions are refused", async () => {
    await api.sendChatAction(CHAT, "upload_video");
    expect(alice.chatActions()).toEqual(["upload_video"]);
    expect(await failureOf(api.sendChatAction(CHAT, "dancing" as never))).toBe("Bad Request: wrong parameter action in request");
  });
});
