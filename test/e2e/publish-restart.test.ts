import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import type { DataSource } from "typeorm";
import { openDatabase } from "../../src/infra/database.js";
import { BotProcess } from "../support/bot-process.js";
import { makeClip } from "../support/media.js";
import { makeTempDir } from "../support/temp-dir.js";
import { TelegramEmulator } from "../support/telegram/index.js";

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

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** 50 real clips in two categories of two channels, all queued (as "Send all" would), in a fresh database. */
async function queuedLibrary(dataDir: string): Promise<void> {
  ({ dataSource: ds } = await openDatabase({ path: join(dataDir, "vidlib.sqlite") }));
  const clip = makeClip(join(tmp.dir, "lib", "source.mp4"));
  for (const [i, chatId] of CHANNELS.entries()) {
    emu.channel({ id: chatId, title: `Channel ${i + 1}` });
    await ds.query(`INSERT INTO channel (id, chat_id, title, username, audience, created_at) VALUES (?, ?, ?, NULL, 'students', 1)`, [i + 1, chatId, `Channel ${i + 1}`]);
    await ds.query(`INSERT INTO category (id, name, key, audience, created_at) VALUES (?, ?, ?, 'students', 1)`, [i + 1, `Course ${i + 1}`, `course ${i + 1}`]);
    await ds.query(`INSERT INTO category_channel (category_id, channel_id, actor_id, updated_at) VALUES (?, ?, 'test', 1)`, [i + 1, i + 1]);
  }
  for (let n = 1; n <= 50; n++) {
    const name = `Lecture ${String(n).padStart(2, "0")}.mp4`;
    const path = join(tmp.dir, "lib", name);
    copyFileSync(clip, path);
    const [row] = await ds.query<{ id: number }[]>(`INSERT INTO video (path, root, relative_path, file_name, extension, size_bytes, mtime_ms, status, category_id,
        duration_s, width, height, video_codec, audio_codec, pixel_format, container, created_at, updated_at)
      VALUES (?, ?, ?, ?, '.mp4', 1000, 1, 'indexed', ?, 1, 160, 90, 'h264', 'aac', 'yuv420p', 'mov,mp4,m4a,3gp,3g2,mj2', 1, 1) RETURNING id`,
    [path, join(tmp.dir, "lib"), name, name, (n % 2) + 1]);
    await ds.query(`INSERT INTO upload_job (video_id, state, seq, origin, actor_kind, actor_id, created_at, updated_at) VALUES (?, 'queued', ?, 'bulk', 'user', ?, 1, 1)`, [row?.id, n, String(ADMIN)]);
  }
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
    await until(() => posts().some((p) => p.caption?.startsWith(inFlight?.file_name.replace(".mp4", "") ?? "?") ?? false), "the held-up post to land", 5_000);

    const second = new BotProcess(env, tmp.dir);
    bots.push(second);
    await admin.send("/start");
    const warning = await admin.waitForBotMessage((m) => m.text?.startsWith("⚠️ 1 upload was interrupted") ?? false, { timeoutMs: 15_000 });
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
  }, 120_000);
});
