import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { join } from "node:path";
import { BotProcess } from "../support/bot-process.js";
import { makeTempDir } from "../support/temp-dir.js";
import { TelegramEmulator } from "../support/telegram/index.js";

const ADMIN = 1001;

describe("the bot as a process", () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let emu: TelegramEmulator;
  const running: BotProcess[] = [];

  const env = () => ({
    TELEGRAM_BOT_TOKEN: emu.token, TELEGRAM_API_ROOT: emu.apiRoot, TELEGRAM_LOCAL_MODE: "true",
    ADMIN_IDS: String(ADMIN), DATA_DIR: join(tmp.dir, "data"),
  });
  const launch = (vars: Record<string, string>) => {
    const bot = new BotProcess(vars, tmp.dir);
    running.push(bot);
    return bot;
  };

  beforeEach(async () => {
    tmp = makeTempDir();
    emu = await TelegramEmulator.start({ profile: "local", botUsername: "vidlib_test_bot" });
  });
  afterEach(async () => {
    for (const bot of running.splice(0)) bot.kill("SIGKILL");
    await emu.stop();
    tmp.cleanup();
  });

  test("without a token it names the problem and exits 2, without a stack trace", async () => {
    const bot = launch({ ADMIN_IDS: "x" });
    expect(await bot.exited).toEqual({ code: 2, signal: null });
    expect(bot.output).toContain("TELEGRAM_BOT_TOKEN: required");
    expect(bot.output).toContain("ADMIN_IDS: comma-separated numeric Telegram user ids");
    expect(bot.output).not.toMatch(/\bat .+\.js:\d+/);
  });

  test("a token the Bot API rejects stops it with a clear message and exit 1", async () => {
    const bot = launch({ ...env(), TELEGRAM_BOT_TOKEN: "42:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" });
    expect((await bot.exited).code).toBe(1);
    expect(bot.output).toContain("rejected TELEGRAM_BOT_TOKEN");
    expect(bot.output).not.toContain("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  });

  test("SIGKILL in the middle of a dialogue: after a restart it continues where it was", async () => {
    const admin = emu.user({ id: ADMIN, firstName: "Asha" });
    const first = launch(env());
    await first.waitForOutput(/"vidlib is running"/);
    await admin.send("/newcategory");
    await admin.waitForBotMessage((m) => m.text?.includes("What is it called?") ?? false);
    await admin.send("Organic Chemistry");
    await admin.waitForBotMessage((m) => m.text?.includes("Choose an audience") ?? false);
    first.kill("SIGKILL");
    expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });

    const second = launch(env());
    await second.waitForOutput(/"vidlib is running"/);
    await admin.press("students");
    await admin.waitForBotMessage((m) => m.text === "Category “Organic Chemistry” created for students.");
    second.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
    expect(emu.violations).toEqual([]);
  });

  test("an update being handled when the process dies is handled again after the restart, once", async () => {
    const admin = emu.user({ id: ADMIN, firstName: "Asha" });
    const first = launch(env());
    await first.waitForOutput(/"vidlib is running"/);
    await admin.send("/newcategory");
    await admin.waitForBotMessage((m) => m.text?.includes("What is it called?") ?? false);
    // The reply to the name never comes back, so the process is surely in the middle of that update.
    emu.faults.add({ method: "sendMessage", kind: "hang" });
    await admin.send("Astrophysics");
    await emu.waitForRequest("sendMessage");
    first.kill("SIGKILL");
    await first.exited;

    const second = launch(env());
    await second.waitForOutput(/"vidlib is running"/);
    expect(second.output).toContain("replaying an update interrupted by a restart");
    await admin.waitForBotMessage((m) => m.text?.includes("Choose an audience") ?? false);
    await admin.press("staff");
    await admin.waitForBotMessage((m) => m.text === "Category “Astrophysics” created for staff.");
    const questions = admin.messages().filter((m) => m.text?.includes("Choose an audience") ?? false);
    expect(questions).toHaveLength(1);
    second.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
    expect(emu.violations).toEqual([]);
  });

  test("SIGTERM stops polling, lets the reply in flight finish, closes the database and exits 0", async () => {
    const admin = emu.user({ id: ADMIN, firstName: "Asha" });
    const bot = launch(env());
    await bot.waitForOutput(/"vidlib is running"/);
    emu.faults.add({ method: "sendMessage", kind: "delay", ms: 1500 });
    await admin.send("/help");
    await emu.waitForRequest("sendMessage");
    bot.kill("SIGTERM");
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(admin.messages().some((m) => m.from === "bot" && (m.text?.includes("Commands") ?? false))).toBe(true);
    expect(bot.output).toMatch(/"clean":true,"msg":"vidlib stopped"/);
    expect(bot.output).not.toContain(emu.token);
  });
});
