import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createLogger } from "../../src/infra/logging/logger.js";
import { TelegramChannelPoster } from "../../src/infra/telegram/channel-poster.js";
import { TelegramClients } from "../../src/infra/telegram/telegram-clients.js";
import { CaptureStream } from "../support/capture-stream.js";
import { TelegramEmulator } from "../support/telegram/index.js";

const CHAT = 1001;
const CHANNEL = -1001000000001;
let emu: TelegramEmulator;
let dir: string;

beforeEach(async () => {
  emu = await TelegramEmulator.start({ profile: "local" });
  emu.user({ id: CHAT, firstName: "Asha" });
  dir = mkdtempSync(join(tmpdir(), "telegram-clients-"));
});
afterEach(async () => {
  await emu.stop();
  rmSync(dir, { recursive: true, force: true });
});

const clientsFor = (requestsPerSecond?: number): TelegramClients => new TelegramClients({
  endpoint: { token: emu.token, apiRoot: emu.apiRoot },
  logger: createLogger({ level: "silent", pretty: false, secrets: [emu.token], destination: new CaptureStream() }),
  ...(requestsPerSecond === undefined ? {} : { requestsPerSecond }),
});

describe("the Bot API clients of a process", () => {
  test("an ordinary call answered 429 is retried after retry_after and succeeds", async () => {
    const api = clientsFor().api();
    emu.faults.add({ method: "sendMessage", kind: "429", retryAfter: 1 });
    await expect(api.sendMessage(CHAT, "after the wait")).resolves.toMatchObject({ text: "after the wait" });
    expect(emu.requests.map((r) => [r.method, r.status])).toEqual([["sendMessage", 429], ["sendMessage", 200]]);
    expect(emu.chatMessages(CHAT).map((m) => m.text)).toEqual(["after the wait"]);
  });

  test("a transient failure (a gateway's 502, a dropped connection) is retried; a refusal is not", async () => {
    const api = clientsFor().api();
    emu.faults.add({ method: "sendMessage", kind: "5xx", status: 502 });
    emu.faults.add({ method: "getMe", kind: "drop" });
    await expect(api.sendMessage(CHAT, "through")).resolves.toMatchObject({ text: "through" });
    await expect(api.getMe()).resolves.toMatchObject({ is_bot: true });
    emu.faults.add({ method: "sendMessage", kind: "error", status: 400, description: "Bad Request: chat not found" });
    await expect(api.sendMessage(CHAT, "refused")).rejects.toMatchObject({ error_code: 400 });
    expect(emu.requests.map((r) => [r.method, r.status])).toEqual([
      ["sendMessage", 502], ["sendMessage", 200], ["getMe", 0], ["getMe", 200], ["sendMessage", 400],
    ]);
  });

  test("a channel upload answered 429 is not retried by the client: the poster reports it for the queue to pace", async () => {
    emu.channel({ id: CHANNEL, title: "Physics (students)" });
    const clients = clientsFor();
    const poster = new TelegramChannelPoster(clients.api({ retry: false }), { localMode: false, token: emu.token });
    const path = join(dir, "clip.mp4");
    writeFileSync(path, Buffer.alloc(2048, 1));
    emu.faults.add({ method: "sendVideo", kind: "429", retryAfter: 1 });
    const outcome = await poster.sendVideo(CHANNEL, { path, fileName: "clip.mp4", durationS: null, width: null, height: null, thumbnail: null },
      { text: "Tom & Jerry <live>", bold: [] });
    expect(outcome).toMatchObject({ ok: false, kind: "rate-limited", retryAfterS: 1 });
    await emu.waitForIdle();
    expect(emu.requests.map((r) => [r.method, r.status])).toEqual([["sendVideo", 429]]);
    // The same caption, sent again as the queue would, arrives literally: captions carry entities, never HTML.
    const sent = await poster.sendVideo(CHANNEL, { path, fileName: "clip.mp4", durationS: null, width: null, height: null, thumbnail: null },
      { text: "Tom & Jerry <live>", bold: [{ offset: 0, length: 3 }] });
    expect(sent.ok).toBe(true);
    expect(emu.chatMessages(CHANNEL).at(-1)).toMatchObject({ caption: "Tom & Jerry <live>" });
    expect(emu.violations).toEqual([]);
  });

  test("text is parsed as HTML unless the call says otherwise", async () => {
    const api = clientsFor().api();
    const bold = await api.sendMessage(CHAT, "<b>bold</b> &amp; plain");
    expect(bold).toMatchObject({ text: "bold & plain", entities: [{ type: "bold", offset: 0, length: 4 }] });
    const markdown = await api.sendMessage(CHAT, "*strong* <kept & more", { parse_mode: "MarkdownV2" });
    expect(markdown).toMatchObject({ text: "strong <kept & more", entities: [{ type: "bold", offset: 0, length: 6 }] });
    // Entities, even none, mean literal text: no parse mode is added to them.
    const literal = await api.sendMessage(CHAT, "a < b & c", { entities: [] });
    expect(literal.text).toBe("a < b & c");
    const edited = await api.editMessageText(CHAT, literal.message_id, "<i>now italic</i>");
    expect(edited).toMatchObject({ text: "now italic", entities: [{ type: "italic", offset: 0, length: 10 }] });
    expect(emu.requests.map((r) => r.params.parse_mode)).toEqual(["HTML", "MarkdownV2", undefined, "HTML"]);
    expect(emu.violations).toEqual([]);
  });

  test("every client of one factory waits on the same throttle", async () => {
    // One request per 1000 s: the second request, from another client, must wait behind the first.
    const clients = clientsFor(0.001);
    const chat = clients.api();
    const posting = clients.api({ retry: false });
    await chat.getMe();
    const scheduled = new Promise<void>((resolve) => clients.limiter.once("scheduled", () => resolve()));
    const waiting = posting.getMe().then(() => "sent", (e: unknown) => e);
    // A client with a throttle of its own would send at once, and the request would show below.
    await Promise.race([scheduled, waiting]);
    expect(clients.limiter.counts().RUNNING).toBe(1);
    expect(emu.requests.map((r) => r.method)).toEqual(["getMe"]);
    await clients.limiter.stop({ dropWaitingJobs: true });
    expect(await waiting).not.toBe("sent");
    expect(emu.requests.map((r) => r.method)).toEqual(["getMe"]);
  });
});
