import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { BotProcess } from "../support/bot-process.js";
import { makeTempDir } from "../support/temp-dir.js";
import { TelegramEmulator } from "../support/telegram/index.js";
import { telegramApi } from "../../src/infra/telegram/api-client.js";

// The README promises the token is never written anywhere. Every kind of failure is provoked here,
// through every client vidlib makes, and then every byte of output and every file is searched.
const ADMIN = 1001;
const CLI = fileURLToPath(new URL("../../bin/vidlib.js", import.meta.url));

/** A port on this machine where nothing listens: connecting is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** Every file below a folder, read whole (the SQLite database, its WAL, logs, working files). */
function filesBelow(dir: string): { path: string; bytes: Buffer }[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, bytes: readFileSync(path) }));
}

function expectNoToken(token: string, texts: readonly string[], dir: string): void {
  const secretPart = token.split(":")[1] ?? token;
  for (const text of texts) {
    expect(text).not.toContain(token);
    expect(text).not.toContain(secretPart);
  }
  const files = filesBelow(dir);
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) expect({ path: file.path, leaks: file.bytes.includes(secretPart) }).toEqual({ path: file.path, leaks: false });
}

describe("the bot token never leaves the process", () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let emu: TelegramEmulator;
  const running: BotProcess[] = [];

  beforeEach(async () => {
    tmp = makeTempDir();
    emu = await TelegramEmulator.start({ profile: "local", botUsername: "vidlib_test_bot" });
  });
  afterEach(async () => {
    for (const bot of running.splice(0)) bot.kill("SIGKILL");
    await emu.stop();
    tmp.cleanup();
  });

  const launch = (vars: Record<string, string>): BotProcess => {
    const bot = new BotProcess({
      TELEGRAM_BOT_TOKEN: emu.token, TELEGRAM_API_ROOT: emu.apiRoot, TELEGRAM_LOCAL_MODE: "true",
      ADMIN_IDS: String(ADMIN), DATA_DIR: join(tmp.dir, "data"), ...vars,
    }, tmp.dir);
    running.push(bot);
    return bot;
  };

  test("grammY's network errors carry no token, however they are printed", async () => {
    const api = telegramApi({ token: emu.token, apiRoot: emu.apiRoot });
    emu.faults.add({ method: "getMe", kind: "drop" });
    emu.faults.add({ method: "getMe", kind: "5xx", body: "html" });
    const refused = telegramApi({ token: emu.token, apiRoot: `http://127.0.0.1:${await closedPort()}` });
    const unresolvable = telegramApi({ token: emu.token, apiRoot: "http://vidlib-telegram.invalid" });
    const tls = telegramApi({ token: emu.token, apiRoot: emu.apiRoot.replace("http://", "https://") });
    const failures = await Promise.all([api.getMe(), api.getMe(), refused.getMe(), unresolvable.getMe(), tls.getMe()].map((p) => p.then(() => null, (e: unknown) => e)));
    const kinds = failures.map((e) => (e as { error?: { code?: string; type?: string } } | null)?.error);
    expect(kinds.map((k) => k?.code ?? k?.type)).toEqual(["ECONNRESET", "invalid-json", "ECONNREFUSED", "ENOTFOUND", expect.stringMatching(/^(ERR_SSL|EPROTO)/u)]);
    for (const failure of failures) {
      const printed = `${inspect(failure, { depth: 10 })} ${String(failure)} ${JSON.stringify(failure)}`;
      expect(printed).toMatch(/Network request for 'getMe' failed/u);
      expect(printed).not.toContain(emu.token);
    }
  });

  test("a polling bot whose every kind of request fails writes the token nowhere", async () => {
    const admin = emu.user({ id: ADMIN, firstName: "Asha" });
    const bot = launch({});
    await bot.waitForOutput(/"vidlib is running"/);
    // Long polls dropped, answered by a gateway's HTML page, refused as JSON; replies dropped and garbled.
    const faults = [
      emu.faults.add({ method: "getUpdates", kind: "drop" }, 2),
      emu.faults.add({ method: "getUpdates", kind: "5xx", body: "html" }, 2),
      emu.faults.add({ method: "getUpdates", kind: "5xx", status: 504 }),
      emu.faults.add({ method: "sendMessage", kind: "drop" }),
      emu.faults.add({ method: "sendMessage", kind: "5xx", body: "html" }),
    ];
    await admin.send("/status");
    await admin.send("/help");
    await admin.send("/start");
    // The bot recovers: a later message is answered once every fault has been hit.
    await admin.waitForBotMessage((m) => m.text?.includes("Commands") ?? false);
    for (const fault of faults) await waitUntil(() => fault.remaining === 0);
    await admin.send("/help");
    await waitUntil(() => admin.messages().filter((m) => m.from === "bot" && (m.text?.includes("Commands") ?? false)).length >= 2);
    expect(bot.output).toMatch(/polling Telegram failed; retrying/u);
    bot.kill("SIGTERM");
    await bot.exited;
    expectNoToken(emu.token, [bot.output], join(tmp.dir, "data"));
  });

  test("a Bot API that cannot be reached, resolved or spoken to over TLS: start-up, doctor and the CLI stay clean", async () => {
    const roots = [`http://127.0.0.1:${await closedPort()}`, "http://vidlib-telegram.invalid:8081", emu.apiRoot.replace("http://", "https://")];
    const outputs: string[] = [];
    for (const root of roots) {
      const bot = launch({ TELEGRAM_API_ROOT: root });
      await bot.waitForOutput(/cannot reach the Bot API; retrying/u);
      bot.kill("SIGTERM");
      await bot.exited;
      outputs.push(bot.output);
      outputs.push(await runCliProcess(["doctor"], { TELEGRAM_BOT_TOKEN: emu.token, TELEGRAM_API_ROOT: root, ADMIN_IDS: String(ADMIN), DATA_DIR: join(tmp.dir, "data") }, tmp.dir));
    }
    expect(outputs.join("\n")).toMatch(/Network request for 'getMe' failed/u);
    expectNoToken(emu.token, outputs, join(tmp.dir, "data"));
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
}

/** `vidlib …` as its own process, as a person or cron runs it; everything it printed. */
function runCliProcess(args: string[], env: Record<string, string>, cwd: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => { out += c.toString(); });
    child.stderr.on("data", (c: Buffer) => { out += c.toString(); });
    child.once("exit", () => resolve(out));
  });
}
