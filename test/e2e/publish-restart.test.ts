import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import type { DataSource } from "typeorm";
import { openDatabase } from "../../src/infra/database/database.js";
import { BotProcess } from "../support/bot-process.js";
import { queueLibrary } from "../support/queued-library.js";
import { makeTempDir } from "../support/temp-dir.js";
import { TelegramEmulator } from "../support/telegram/index.js";
import { HANG_GUARD_MS } from "../support/patience.js";

const ADMIN = 1001;
const CHANNELS = [-1004000000001, -1004000000002];
let tmp: ReturnType<typeof makeTempDir>;
let emu: TelegramEmulator;
let ds: DataSource;
const bots: BotProcess[] = [];

beforeEach(async () => {
  tmp = makeTempDir();
  emu = await TelegramEmulator.start({ profile: "local", botUsername: "vidlib_test_bot" });
});
afterEach(async () => {
  for (const bot of bots.splice(0)) bot.kill("SIGKILL");
  if (ds?.isInitialized) await ds.destroy();
  await emu.stop();
  tmp.cleanup();
});

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = HANG_GUARD_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** 50 real clips in two categories of two channels, all queued (as "Send all" would), in a fresh database. */
async function queuedLibrary(dataDir: string): Promise<void> {
  ({ dataSource: ds } = await openDatabase({ path: join(dataDir, "vidlib.sqlite") }));
  CHANNELS.forEach((id, i) => emu.channel({ id, title: `Channel ${i + 1}` }));
  await queueLibrary(ds, join(tmp.dir, "lib"), CHANNELS, 50, ADMIN);
}

const states = async (): Promise<Record<string, number>> =>
  Object.fromEntries((await ds.query<{ state: string; n: number }[]>(`SELECT state, count(*) AS n FROM upload_job GROUP BY state`)).map((r) => [r.state, r.n]));
const posts = () => CHANNELS.flatMap((id) => emu.chatMessages(id)).filter((m) => m.media !== undefined);

describe("the upload queue across a crash", () => {
  it("after a SIGKILL mid-run of 50 uploads, a restart loses nothing and posts nothing twice; the interrupted one waits for a person", async () => {
    const dataDir = join(tmp.dir, "data");
    await queuedLibrary(dataDir);
    const env = {
      TELEGRAM_BOT_TOKEN: emu.token, TELEGRAM_API_ROOT: emu.apiRoot, TELEGRAM_LOCAL_MODE: "true", ADMIN_IDS: String(ADMIN),
      DATA_DIR: dataDir, WATCH: "false", CHANNEL_POSTS_PER_MINUTE: "300", LOG_LEVEL: "info",
    };
    const admin = emu.user({ id: ADMIN, firstName: "Asha" });
    const first = new BotProcess(env, tmp.dir);
    bots.push(first);
    await until(() => posts().length >= 15, "15 posts").catch((e: unknown) => { throw new Error(`${String(e)}\n${first.output}`); });
    // The next send is held up on the way, and the process dies while it is in flight.
    const sent = emu.requests.filter((r) => r.method === "sendVideo").length;
    emu.faults.add({ method: "sendVideo", kind: "delay", ms: 1500 });
    await until(() => emu.requests.filter((r) => r.method === "sendVideo").length > sent, "a send in flight");
    first.kill("SIGKILL");
    await first.exited;
    expect((await states()).uploading).toBe(1);
    const [inFlight] = await ds.query<{ id: number; file_name: string }[]>(`SELECT j.id, v.file_name FROM upload_job j JOIN video v ON v.id = j.video_id WHERE j.state = 'uploading'`);
    // Telegram finishes the request the dead process made: the video is in the channel, unrecorded.
    await until(() => posts().some((p) => p.caption?.startsWith(inFlight?.file_name.replace(".mp4", "") ?? "?") ?? false), "the held-up post to land");

    const second = new BotProcess(env, tmp.dir);
    bots.push(second);
    await admin.send("/start");
    const warning = await admin.waitForBotMessage((m) => m.text?.startsWith("⚠️ 1 upload was interrupted") ?? false);
    expect(warning.text).toContain(inFlight?.file_name);
    await until(async () => (await states()).sent === 49, "the other 49 to be sent");
    expect(await states()).toEqual({ sent: 49, uncertain: 1 });

    // The person checks the channel, sees the post, and marks it sent: nothing is posted twice.
    await admin.send("/queue");
    await admin.waitForBotMessage((m) => m.text?.includes("needs a decision 1") ?? false);
    await admin.press("✔ Mark sent");
    await admin.waitForBotMessage((m) => m.text?.startsWith("📤 Upload queue") === true && !(m.text.includes("needs a decision")));
    expect(await states()).toEqual({ sent: 50 });
    const titles = posts().map((p) => p.caption?.split("\n")[0] ?? "");
    expect(titles).toHaveLength(50);
    expect(new Set(titles).size).toBe(50);
    // Each channel got its own category's videos, in queue order.
    expect(emu.chatMessages(CHANNELS[0] ?? 0).map((m) => Number(/\d+/.exec(m.caption ?? "")?.[0]) % 2)).toEqual(Array(25).fill(0));
    const channelTwo = emu.chatMessages(CHANNELS[1] ?? 0).map((m) => Number(/\d+/.exec(m.caption ?? "")?.[0]));
    expect(channelTwo.filter((n) => n !== Number(/\d+/.exec(inFlight?.file_name ?? "")?.[0]))).toEqual([...channelTwo].filter((n) => n !== Number(/\d+/.exec(inFlight?.file_name ?? "")?.[0])).sort((a, b) => a - b));
    second.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
  });
});
