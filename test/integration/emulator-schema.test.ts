import { type Api, GrammyError } from "grammy";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type TelegramEmulator, type JsonObject } from "../support/telegram/index.js";
import { startEmulatorWithAlice } from "../support/emulator-fixture.js";

let emu: TelegramEmulator;
let api: Api;
const CHAT = 1001;

beforeEach(async () => {
  ({ emu, api } = await startEmulatorWithAlice());
});
afterEach(async () => emu.stop());

async function raw(path: string, init?: RequestInit): Promise<{ status: number; body: JsonObject }> {
  const res = await fetch(`${emu.apiRoot}${path}`, init);
  return { status: res.status, body: (await res.json()) as JsonObject };
}

function postJson(method: string, body: unknown): Promise<{ status: number; body: JsonObject }> {
  return raw(`/bot${emu.token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function grammyError(promise: Promise<unknown>): Promise<GrammyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GrammyError)) throw new Error(`expected a GrammyError, got ${String(error)}`);
  return error;
}

describe("routes", () => {
  test("a wrong token gets 401 Unauthorized", async () => {
    const res = await raw(`/bot123:wrong/getMe`);
    expect(res).toEqual({ status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } });
  });

  test("an unknown method gets 404 and is a violation", async () => {
    const res = await raw(`/bot${emu.token}/sendTelepathy`);
    expect(res).toEqual({ status: 404, body: { ok: false, error_code: 404, description: "Not Found: method not found" } });
    expect(emu.violations.map((v) => v.method)).toEqual(["sendTelepathy"]);
  });

  test("method names are case-insensitive and GET with a query string works", async () => {
    const res = await raw(`/bot${emu.token}/GETME`);
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    const sent = await raw(`/bot${emu.token}/sendmessage?chat_id=${CHAT}&text=hi%20there`);
    expect(sent.body).toMatchObject({ ok: true, result: { text: "hi there", chat: { id: CHAT } } });
    expect(emu.requests.at(-1)?.method).toBe("sendMessage");
  });

  test("form-urlencoded values are coerced: numbers, booleans and JSON objects", async () => {
    const form = new URLSearchParams({
      chat_id: String(CHAT),
      text: "form",
      disable_notification: "true",
      reply_markup: JSON.stringify({ inline_keyboard: [[{ text: "A", callback_data: "a" }]] }),
    });
    const res = await raw(`/bot${emu.token}/sendMessage`, { method: "POST", body: form });
    expect(res.body).toMatchObject({ ok: true, result: { reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] } } });
    expect(emu.requests.at(-1)?.params).toMatchObject({ chat_id: CHAT, disable_notification: true });
    expect(emu.violations).toEqual([]);
  });

  test("multipart/form-data without files is accepted like any other encoding", async () => {
    const form = new FormData();
    form.set("chat_id", String(CHAT));
    form.set("text", "multipart");
    const res = await raw(`/bot${emu.token}/sendMessage`, { method: "POST", body: form });
    expect(res.body).toMatchObject({ ok: true, result: { text: "multipart" } });
  });
});

describe("schema validation", () => {
  test("an unknown parameter is a violation with a 400", async () => {
    const res = await postJson("sendMessage", { chat_id: CHAT, text: "x", colour: "blue" });
    expect(res.status).toBe(400);
    expect(res.body.description).toBe('Bad Request: unknown parameter "colour" for method sendMessage');
    expect(emu.violations).toEqual([
      { method: "sendMessage", message: 'Bad Request: unknown parameter "colour" for method sendMessage', params: { chat_id: CHAT, text: "x", colour: "blue" } },
    ]);
  });

  test("a missing required parameter is refused", async () => {
    const error = await grammyError(api.raw.sendMessage({ chat_id: CHAT } as never));
    expect(error.description).toBe("Bad Request: message text is empty");
    const res = await postJson("getChat", {});
    expect(res.body.description).toBe("Bad Request: chat_id is empty");
    const other = await postJson("answerCallbackQuery", {});
    expect(other.body.description).toBe('Bad Request: parameter "callback_query_id" is required for method answerCallbackQuery');
  });

  test("a value of the wrong type is refused, in JSON and in form encoding", async () => {
    const json = await postJson("sendMessage", { chat_id: true, text: "x" });
    expect(json.body.description).toBe('Bad Request: parameter "chat_id" must be of type Integer or String');
    const limit = await raw(`/bot${emu.token}/getUpdates?limit=ten`);
    expect(limit.body.description).toBe('Bad Request: parameter "limit" must be of type Integer');
    const flag = await postJson("sendMessage", { chat_id: CHAT, text: "x", disable_notification: "yes" });
    expect(flag.body.description).toBe('Bad Request: parameter "disable_notification" must be of type Boolean');
    expect(emu.violations).toHaveLength(3);
  });

  test("broken JSON in an object parameter is refused", async () => {
    const res = await raw(`/bot${emu.token}/sendMessage?chat_id=${CHAT}&text=x&reply_markup=%7Bnot-json`);
    expect(res.body.description).toBe("Bad Request: can't parse reply_markup JSON object");
  });

  test("nested keyboards are checked field by field", async () => {
    const wrongType = await postJson("sendMessage", {
      chat_id: CHAT,
      text: "x",
      reply_markup: { inline_keyboard: [[{ text: "A", callback_data: 5 }]] },
    });
    expect(wrongType.body.description).toBe(
      'Bad Request: can\'t parse reply_markup: Field "reply_markup.inline_keyboard[0][0].callback_data" must be of type String',
    );
    const missing = await postJson("sendMessage", { chat_id: CHAT, text: "x", reply_markup: { inline_keyboard: [[{ callback_data: "a" }]] } });
    expect(missing.body.description).toBe('Bad Request: can\'t parse reply_markup: Can\'t find field "reply_markup.inline_keyboard[0][0].text"');
    const unknown = await postJson("sendMessage", {
      chat_id: CHAT,
      text: "x",
      reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a", colour: "red" }]] },
    });
    expect(unknown.body.description).toBe(
      'Bad Request: can\'t parse reply_markup: Unknown field "reply_markup.inline_keyboard[0][0].colour" in InlineKeyboardButton',
    );
    const notRows = await postJson("sendMessage", { chat_id: CHAT, text: "x", reply_markup: { inline_keyboard: [{ text: "A" }] } });
    expect(notRows.body.description).toContain('Field "reply_markup.inline_keyboard[0]" must be of type Array of InlineKeyboardButton');
    expect(emu.violations).toHaveLength(4);
  });

  test("unions are resolved by their discriminator", async () => {
    const queryUser = emu.user({ id: 2002, firstName: "Bob" });
    void queryUser.inline("q").catch(() => undefined);
    const [update] = emu.pendingUpdates();
    const inlineQuery = update?.inline_query as JsonObject | undefined;
    const queryId = typeof inlineQuery?.id === "string" ? inlineQuery.id : "";
    const res = await postJson("answerInlineQuery", {
      inline_query_id: queryId,
      results: [{ type: "articel", id: "1", title: "t", input_message_content: { message_text: "m" } }],
    });
    expect(res.body.description).toBe(
      'Bad Request: can\'t parse results: Field "results[0].type" has unsupported value "articel" for InlineQueryResult',
    );
    const structural = await postJson("answerInlineQuery", {
      inline_query_id: queryId,
      results: [{ type: "article", id: "1", title: "t", input_message_content: { message_txt: "m" } }],
    });
    expect(structural.body.description).toContain("results[0].input_message_content");
  });

  test("a grammY call with correct types passes without violations", async () => {
    await api.sendMessage(CHAT, "fine", {
      reply_markup: { inline_keyboard: [[{ text: "Go", callback_data: "go" }], [{ text: "Site", url: "https://example.com" }]] },
      link_preview_options: { is_disabled: true },
      disable_notification: true,
    });
    await api.setMyCommands([{ command: "start", description: "Start" }], { scope: { type: "all_private_chats" } });
    expect(emu.violations).toEqual([]);
  });

  test("responses themselves conform to the schema", async () => {
    const { loadApiSchema, checkValue } = await import("../support/telegram/index.js");
    const schema = loadApiSchema();
    const sent = await api.sendMessage(CHAT, "<b>x</b> /help", { parse_mode: "HTML" });
    const me = await api.getMe();
    const chat = await api.getChat(CHAT);
    const ctx = { schema, attachments: new Set<string>() };
    expect(checkValue(sent as unknown as JsonObject, ["Message"], "result", ctx)).toBeUndefined();
    expect(checkValue(me as unknown as JsonObject, ["User"], "result", ctx)).toBeUndefined();
    expect(checkValue(chat as unknown as JsonObject, ["ChatFullInfo"], "result", ctx)).toBeUndefined();
  });
});
