import { run, type RunnerHandle } from "@grammyjs/runner";
import { Api, Bot, InlineKeyboard } from "grammy";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { TelegramEmulator } from "../support/telegram/index.js";

const CHANNEL = -1001000000001;

/** A tiny library bot: enough behaviour to exercise every driver call. */
function libraryBot(bot: Bot): void {
  bot.command("start", (ctx) =>
    ctx.reply(`Welcome, <b>${ctx.from?.first_name ?? "?"}</b>! Pick an audience.`, {
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard().text("Students", "aud:students").text("Staff", "aud:staff").row().url("Site", "https://example.com"),
    }),
  );
  bot.callbackQuery(/^aud:(.+)$/, async (ctx) => {
    await ctx.answerCallbackQuery({ text: `Chose ${ctx.match[1] ?? ""}` });
    await ctx.editMessageText(`Audience: ${ctx.match[1] ?? ""}`);
  });
  bot.callbackQuery(/.*/, (ctx) => ctx.answerCallbackQuery({ text: "This menu expired.", show_alert: true }));
  bot.on("inline_query", (ctx) =>
    ctx.answerInlineQuery(
      [{ type: "article", id: "1", title: `About ${ctx.inlineQuery.query}`, input_message_content: { message_text: ctx.inlineQuery.query } }],
      { cache_time: 0, is_personal: true, next_offset: "" },
    ),
  );
  bot.on("message:forward_origin", async (ctx) => {
    const origin = ctx.message.forward_origin;
    const from = origin.type === "channel" ? `${origin.chat.title} #${origin.message_id}` : origin.type;
    await ctx.reply(`Forwarded from ${from}`);
    if (ctx.message.video !== undefined) await ctx.copyMessage(CHANNEL, { caption: "Republished" });
  });
  bot.command("publish", async (ctx) => {
    await ctx.api.sendMessage(CHANNEL, "New lecture");
    await ctx.reply("Published.");
  });
}

describe("a grammY bot started with bot.start()", () => {
  let emu: TelegramEmulator;
  let bot: Bot;

  beforeEach(async () => {
    emu = await TelegramEmulator.start({ profile: "local", botUsername: "vidlib_test_bot" });
    bot = new Bot(emu.token, { client: { apiRoot: emu.apiRoot } });
    libraryBot(bot);
    await new Promise<void>((resolve) => void bot.start({ onStart: () => resolve() }));
  });

  afterEach(async () => {
    await bot.stop();
    expect(emu.violations).toEqual([]);
    await emu.stop();
  });

  test("welcome, press a button, see the edit", async () => {
    const alice = emu.user({ id: 1001, firstName: "Alice", username: "alice" });
    await alice.send("/start");
    const welcome = await alice.waitForBotMessage((m) => m.text?.includes("Welcome") ?? false);
    expect(welcome).toMatchObject({ from: "bot", text: "Welcome, Alice! Pick an audience.", buttons: [["Students", "Staff"], ["Site"]] });
    expect(welcome.entities).toEqual([{ type: "bold", offset: 9, length: 5 }]);
    expect(await alice.press("Students")).toEqual({ text: "Chose students", showAlert: false });
    const edited = await alice.waitForBotMessage((m) => m.text === "Audience: students");
    expect(edited).toMatchObject({ id: welcome.id, edited: true, buttons: [] });
    expect(alice.messages().map((m) => [m.from, m.text])).toEqual([
      ["user", "/start"],
      ["bot", "Audience: students"],
    ]);
    expect(alice.transcript()).toBe("alice: /start\nbot: Audience: students (edited)");
    expect(emu.requests.some((r) => r.method === "getUpdates")).toBe(true);
  });

  test("a forged callback gets the expiry answer; a URL button cannot be pressed", async () => {
    const alice = emu.user({ id: 1001, firstName: "Alice" });
    await alice.send("/start");
    const welcome = await alice.waitForBotMessage(() => true);
    expect(await alice.pressData("cat:old:99", welcome.id)).toEqual({ text: "This menu expired.", showAlert: true });
    await expect(alice.press("Site")).rejects.toThrow(/has no callback_data/);
  });

  test("inline mode round trip", async () => {
    const alice = emu.user({ id: 1001, firstName: "Alice" });
    const answer = await alice.inline("physics", { offset: "" });
    expect(answer).toMatchObject({ nextOffset: "", cacheTime: 0, isPersonal: true });
    expect(answer.results).toEqual([
      { type: "article", id: "1", title: "About physics", input_message_content: { message_text: "physics" } },
    ]);
  });

  test("a forwarded channel video is recognised and copied back into the channel", async () => {
    const channel = emu.channel({ id: CHANNEL, title: "Physics (students)", username: "phys_students" });
    const post = channel.post({ caption: "Lecture 1", media: { kind: "video", fileName: "l1.mp4", duration: 90 } });
    const alice = emu.user({ id: 1001, firstName: "Alice" });
    await alice.forwardFromChannel(channel.id, post.id);
    await alice.waitForBotMessage((m) => m.text === `Forwarded from Physics (students) #${post.id}`);
    const copy = await channel.waitForPost((p) => p.caption === "Republished");
    expect(copy.media).toMatchObject({ kind: "video", fileName: "l1.mp4", duration: 90, fileId: post.media?.fileId });
    expect(channel.posts().map((p) => [p.from, p.caption])).toEqual([
      ["user", "Lecture 1"],
      ["bot", "Republished"],
    ]);
  });

  test("a command that posts into a channel", async () => {
    const channel = emu.channel({ id: CHANNEL, title: "Physics (students)" });
    const alice = emu.user({ id: 1001, firstName: "Alice" });
    await alice.send("/publish");
    await alice.waitForBotMessage((m) => m.text === "Published.");
    expect(emu.chatMessages(channel.id).map((m) => m.text)).toEqual(["New lecture"]);
  });

  test("a wait that times out says what the chat looks like", async () => {
    const alice = emu.user({ id: 1001, firstName: "Alice", username: "alice" });
    await alice.send("/start");
    await alice.waitForBotMessage(() => true);
    const error = await alice.waitForBotMessage((m) => m.text === "never", { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(String(error)).toContain("alice waited 200 ms for a matching bot message. Chat now:\nalice: /start\nbot: Welcome, Alice!");
    expect(String(error)).toContain("  [Students] [Staff]\n  [Site]");
  });

  test("successive waits return successive messages", async () => {
    const alice = emu.user({ id: 1001, firstName: "Alice" });
    const api = new Api(emu.token, { apiRoot: emu.apiRoot });
    await alice.send("hello"); // no handler: silence
    await api.sendMessage(alice.chatId, "first");
    await api.sendMessage(alice.chatId, "second");
    expect((await alice.waitForBotMessage(() => true)).text).toBe("first");
    expect((await alice.waitForBotMessage(() => true)).text).toBe("second");
  });
});

describe("a grammY bot run by @grammyjs/runner", () => {
  let emu: TelegramEmulator;
  let runner: RunnerHandle;

  beforeEach(async () => {
    emu = await TelegramEmulator.start();
    const bot = new Bot(emu.token, { client: { apiRoot: emu.apiRoot } });
    libraryBot(bot);
    await bot.init();
    runner = run(bot);
  });

  afterEach(async () => {
    if (runner.isRunning()) await runner.stop();
    await emu.stop();
  });

  test("several users at once", async () => {
    const users = [1, 2, 3].map((i) => emu.user({ id: 1000 + i, firstName: `User${i}` }));
    await Promise.all(users.map((u) => u.send("/start")));
    const welcomes = await Promise.all(users.map((u) => u.waitForBotMessage((m) => m.text?.startsWith("Welcome") ?? false)));
    expect(welcomes.map((m) => m.text)).toEqual([1, 2, 3].map((i) => `Welcome, User${i}! Pick an audience.`));
    const answers = await Promise.all(users.map((u) => u.press("Staff")));
    expect(answers.map((a) => a.text)).toEqual(["Chose staff", "Chose staff", "Chose staff"]);
    await Promise.all(users.map((u) => u.waitForBotMessage((m) => m.text === "Audience: staff")));
    expect(emu.violations).toEqual([]);
  });
});
