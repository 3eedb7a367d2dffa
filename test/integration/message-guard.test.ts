import { afterEach, beforeEach, expect, test } from "vitest";
import { telegramApi } from "../../src/infra/telegram/api-client.js";
import { TelegramMessageGuard } from "../../src/infra/telegram/message-guard.js";
import { createLogger } from "../../src/infra/logging/logger.js";
import { CaptureStream } from "../support/capture-stream.js";
import { TelegramEmulator } from "../support/telegram/index.js";

let emu: TelegramEmulator;
beforeEach(async () => {
  emu = await TelegramEmulator.start({ profile: "local" });
});
afterEach(async () => {
  expect(emu.violations).toEqual([]);
  await emu.stop();
});

test("an over-limit HTML text still arrives, cut on lines, well-formed, with a warning; identical edits are skipped", async () => {
  const logs = new CaptureStream();
  const logger = createLogger({ level: "debug", pretty: false, secrets: [emu.token], destination: logs });
  const api = new TelegramMessageGuard(logger).install(telegramApi({ token: emu.token, apiRoot: emu.apiRoot }));
  const user = emu.user({ id: 1001, firstName: "Asha" });
  await user.send("/start");
  const long = `<b>Report</b>\n<blockquote>${Array.from({ length: 300 }, (_, i) => `item ${i} &amp; &lt;name&gt; ${"w".repeat(20)}`).join("\n")}</blockquote>`;
  const sent = await api.sendMessage(1001, long, { parse_mode: "HTML" });
  expect(sent.text?.length).toBeLessThanOrEqual(4096);
  expect(sent.text).toMatch(/\n… and \d+ more lines$/u);
  expect(logs.text).toContain("a text over Telegram's limit was shortened");
  await api.editMessageText(1001, sent.message_id, "<i>now short</i>", { parse_mode: "HTML" });
  await api.editMessageText(1001, sent.message_id, "<i>now short</i>", { parse_mode: "HTML" });
  // A forgotten message (another process sent it): Telegram's "not modified" is success.
  const other = new TelegramMessageGuard(logger).install(telegramApi({ token: emu.token, apiRoot: emu.apiRoot }));
  await expect(other.editMessageText(1001, sent.message_id, "<i>now short</i>", { parse_mode: "HTML" })).resolves.toBe(true);
  const edits = emu.requests.filter((r) => r.method === "editMessageText").map((r) => r.status);
  expect(edits).toEqual([200, 400]);
});

test("two identical edits of one message at once (a button's redraw and the card job's) reach Telegram once; different ones both land in order", async () => {
  const logger = createLogger({ level: "debug", pretty: false, secrets: [emu.token], destination: new CaptureStream() });
  const api = new TelegramMessageGuard(logger).install(telegramApi({ token: emu.token, apiRoot: emu.apiRoot }));
  const user = emu.user({ id: 1001, firstName: "Asha" });
  await user.send("/start");
  const sent = await api.sendMessage(1001, "card", { parse_mode: "HTML" });
  await Promise.all([
    api.editMessageText(1001, sent.message_id, "<b>Category: Physics</b>", { parse_mode: "HTML" }),
    api.editMessageText(1001, sent.message_id, "<b>Category: Physics</b>", { parse_mode: "HTML" }),
  ]);
  await Promise.all([
    api.editMessageText(1001, sent.message_id, "first", { parse_mode: "HTML" }),
    api.editMessageText(1001, sent.message_id, "second", { parse_mode: "HTML" }),
  ]);
  expect(emu.requests.filter((r) => r.method === "editMessageText").map((r) => r.status)).toEqual([200, 200, 200]);
  expect(emu.chatMessages(1001).find((m) => m.id === sent.message_id)?.text).toBe("second");
});

test("a button's answer over 200 characters (a long name in it) is cut at a whole character, and the press is answered", async () => {
  const logs = new CaptureStream();
  const logger = createLogger({ level: "debug", pretty: false, secrets: [emu.token], destination: logs });
  const api = new TelegramMessageGuard(logger).install(telegramApi({ token: emu.token, apiRoot: emu.apiRoot }));
  const user = emu.user({ id: 1001, firstName: "Asha" });
  await user.send("/start");
  await api.sendMessage(1001, "menu", { reply_markup: { inline_keyboard: [[{ text: "Go", callback_data: "go" }]] } });
  const pressed = user.press("Go");
  const update = emu.pendingUpdates().at(-1)?.callback_query as { id?: string } | undefined;
  // 198 letters and then an emoji (two UTF-16 units) that would straddle the limit.
  await api.answerCallbackQuery(update?.id ?? "", { text: `Added ${"a".repeat(192)}🎓${"b".repeat(50)}` });
  const answer = (await pressed).text ?? "";
  expect(answer).toBe(`Added ${"a".repeat(192)}…`);
  expect(answer.length).toBeLessThanOrEqual(200);
  expect(logs.text).toContain("a button's answer over Telegram's limit was shortened");
});
