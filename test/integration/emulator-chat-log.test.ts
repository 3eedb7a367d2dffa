import { Bot, InlineKeyboard } from "grammy";
import { afterEach, beforeEach, expect, test } from "vitest";
import { TelegramEmulator } from "../support/telegram/index.js";

let emu: TelegramEmulator;
let bot: Bot;

/** A bot with a menu, a toast, a progress bar edited many times, and a message it deletes. */
function progressBot(b: Bot): void {
  b.command("start", (ctx) => ctx.reply("Menu", { reply_markup: new InlineKeyboard().text("▶ Run", "run").text("🗑 Tidy", "tidy") }));
  b.callbackQuery("run", async (ctx) => {
    await ctx.answerCallbackQuery({ text: "Started" });
    const sent = await ctx.reply("Working… 0 %\nfile a.mp4");
    for (let p = 10; p <= 90; p += 10) await ctx.api.editMessageText(sent.chat.id, sent.message_id, `Working… ${p} %\nfile a.mp4`);
    await ctx.api.editMessageText(sent.chat.id, sent.message_id, "✅ Done\nfile a.mp4", { reply_markup: new InlineKeyboard().text("Again", "run") });
  });
  b.callbackQuery("tidy", async (ctx) => {
    await ctx.answerCallbackQuery({ text: "Not allowed", show_alert: true });
    await ctx.deleteMessage();
  });
  b.callbackQuery(/.*/, (ctx) => ctx.answerCallbackQuery({ text: "This menu expired." }));
}

beforeEach(async () => {
  emu = await TelegramEmulator.start({ profile: "local" });
  bot = new Bot(emu.token, { client: { apiRoot: emu.apiRoot } });
  progressBot(bot);
  await new Promise<void>((resolve) => void bot.start({ onStart: () => resolve() }));
});

afterEach(async () => {
  await bot.stop();
  expect(emu.violations).toEqual([]);
  await emu.stop();
});

test("a chat log shows sends, taps, toasts and every edit in order, a progress bar's edits collapsed, and deletions", async () => {
  const alice = emu.user({ id: 1001, firstName: "Alice" });
  const streamed: string[] = [];
  const log = alice.recordChat((block) => streamed.push(block));
  await alice.send("/start");
  await alice.waitForBotMessage((m) => m.text === "Menu");
  log.note("Run it");
  await alice.press("▶ Run");
  await alice.waitForBotMessage((m) => m.text?.startsWith("✅ Done") ?? false);
  await alice.press("🗑 Tidy");
  await emu.waitForRequest("deleteMessage");
  await emu.waitForIdle();
  await alice.pressData("gone", 1);
  const text = log.stop();

  expect(text).toBe([
    "» Alice: /start",
    "bot #2: Menu",
    "  [▶ Run] [🗑 Tidy]",
    "\n── Run it ──",
    "» Alice taps [▶ Run]",
    "   ↳ toast: Started",
    "bot #3: Working… 0 %",
    "        file a.mp4",
    // nine edits in a row: the first two and last two changes on one line each, the rest counted, the last version in full
    "  ⋯ ✎ #3: Working… 10 %",
    "  ⋯ ✎ #3: Working… 20 %",
    "  ⋯ 5 more edits",
    "  ⋯ ✎ #3: Working… 80 %",
    "  ⋯ ✎ #3: Working… 90 %",
    "bot ✎ edited #3: ✅ Done",
    "                 file a.mp4",
    "  [Again]",
    "» Alice taps [🗑 Tidy]",
    "   ⚠️ alert: Not allowed",
    "bot 🗑 deleted #2",
    "» Alice taps a button that is no longer shown",
    "   ↳ toast: This menu expired.",
  ].join("\n"));
  // streamed as it happened, in the same order
  expect(streamed.join("\n")).toBe(text);
});
