import { run, type RunnerHandle } from "@grammyjs/runner";
import { Bot, InlineKeyboard } from "grammy";
import { afterEach, expect, test } from "vitest";
import { TelegramEmulator } from "../support/telegram/index.js";
import { answerEveryButton } from "../../src/bot/filters/answer-every-button.js";
import type { BotContext } from "../../src/bot/context.js";

let emu: TelegramEmulator | undefined;
let runner: RunnerHandle | undefined;
afterEach(async () => {
  await runner?.stop();
  await emu?.stop();
});

test("a press that nothing answers is answered once, saying the menu expired; answered presses are not answered twice", async () => {
  emu = await TelegramEmulator.start();
  const bot = new Bot<BotContext>(emu.token, { client: { apiRoot: emu.apiRoot } });
  bot.use(answerEveryButton);
  bot.command("start", (ctx) => ctx.reply("Pick", { reply_markup: new InlineKeyboard().text("Swallowed", "sw").text("Handled", "ok").text("Broken", "boom") }));
  bot.callbackQuery("ok", (ctx) => ctx.answerCallbackQuery({ text: "Done" }));
  bot.callbackQuery("sw", () => undefined);
  bot.callbackQuery("boom", () => { throw new Error("a bug"); });
  bot.catch(() => undefined);
  runner = run(bot);
  const user = emu.user({ id: 5, firstName: "Asha" });
  await user.send("/start");
  await user.waitForBotMessage((m) => m.text === "Pick");
  expect((await user.press("Swallowed")).text).toBe("This menu expired. Please start again.");
  expect((await user.press("Handled")).text).toBe("Done");
  expect((await user.press("Broken")).text).toBe("This menu expired. Please start again.");
  await emu.waitForIdle();
  expect(emu.requests.filter((r) => r.method === "answerCallbackQuery").map((r) => r.status)).toEqual([200, 200, 200]);
  expect(emu.violations).toEqual([]);
});
