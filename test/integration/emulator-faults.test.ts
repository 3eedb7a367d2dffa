import { Api, GrammyError, HttpError, InputFile } from "grammy";
import { afterEach, describe, expect, test } from "vitest";
import { TelegramEmulator, type EmulatorOptions } from "../support/telegram/index.js";

const CHAT = 1001;
let emu: TelegramEmulator | undefined;

afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

async function start(options: EmulatorOptions = {}, timeoutSeconds?: number): Promise<{ emu: TelegramEmulator; api: Api }> {
  emu = await TelegramEmulator.start(options);
  emu.user({ id: CHAT, firstName: "Alice" });
  emu.user({ id: 2002, firstName: "Bob" });
  return { emu, api: new Api(emu.token, { apiRoot: emu.apiRoot, ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }) }) };
}

async function outcome(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => "ok",
    (e: unknown) => e,
  );
}

describe("fault injection", () => {
  test("429 with retry_after, once by default", async () => {
    const { emu, api } = await start();
    const fault = emu.faults.add({ method: "sendMessage", kind: "429", retryAfter: 3 });
    const error = await outcome(api.sendMessage(CHAT, "x"));
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 429, description: "Too Many Requests: retry after 3", parameters: { retry_after: 3 } });
    expect(fault).toMatchObject({ hits: 1, remaining: 0 });
    await expect(api.sendMessage(CHAT, "x")).resolves.toBeDefined();
    expect(emu.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(emu.violations).toEqual([]);
    expect(emu.errors).toEqual([]);
  });

  test("5xx answers like Telegram's gateway: JSON by default, HTML on request", async () => {
    const { emu, api } = await start();
    emu.faults.add({ method: "sendMessage", kind: "5xx" });
    expect(await outcome(api.sendMessage(CHAT, "x"))).toMatchObject({ error_code: 502, description: "Bad Gateway" });
    emu.faults.add({ method: "sendMessage", kind: "5xx", status: 503, body: "html" });
    const raw = await fetch(`${emu.apiRoot}/bot${emu.token}/sendMessage?chat_id=${CHAT}&text=x`);
    expect(raw.status).toBe(503);
    expect(await raw.text()).toContain("<title>503 Service Unavailable</title>");
    expect(emu.chatMessages(CHAT)).toEqual([]);
  });

  test("delay answers normally after the given time; waitForIdle waits for it", async () => {
    const { emu, api } = await start();
    emu.faults.add({ method: "sendMessage", kind: "delay", ms: 300 });
    const started = Date.now();
    const sending = api.sendMessage(CHAT, "late");
    const request = await emu.waitForRequest("sendMessage");
    expect(request.status).toBe(0);
    await emu.waitForIdle();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(request.status).toBe(200);
    await sending;
    expect(emu.chatMessages(CHAT).map((m) => m.text)).toEqual(["late"]);
  });

  test("hang never answers: the client times out, and stop() releases the rest", async () => {
    const { emu, api } = await start({}, 1);
    emu.faults.add({ method: "sendMessage", kind: "hang" }, 2);
    const started = Date.now();
    expect(await outcome(api.sendMessage(CHAT, "x"))).toBeInstanceOf(HttpError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const patient = new Api(emu.token, { apiRoot: emu.apiRoot, timeoutSeconds: 60 });
    const pending = outcome(patient.sendMessage(CHAT, "y"));
    await emu.waitForRequest((r) => r.method === "sendMessage" && r.params.text === "y");
    const stopping = Date.now();
    await emu.stop();
    expect(await pending).toBeInstanceOf(HttpError);
    // Ended by the stop, not by the client's 60 s timeout.
    expect(Date.now() - stopping).toBeLessThan(60_000);
    expect(emu.chatMessages(CHAT)).toEqual([]);
  });

  test("drop destroys the connection without an answer", async () => {
    const { emu, api } = await start();
    emu.faults.add({ method: "sendMessage", kind: "drop" });
    expect(await outcome(api.sendMessage(CHAT, "x"))).toBeInstanceOf(HttpError);
    expect(emu.requests.at(-1)).toMatchObject({ method: "sendMessage", status: 0, description: "injected drop" });
    await expect(api.sendMessage(CHAT, "again")).resolves.toMatchObject({ text: "again" });
  });

  test("drop-after-processing posts the message, then cuts the connection before the answer", async () => {
    const { emu, api } = await start();
    emu.faults.add({ method: "sendMessage", kind: "drop-after-processing" });
    expect(await outcome(api.sendMessage(CHAT, "posted anyway"))).toBeInstanceOf(HttpError);
    expect(emu.chatMessages(CHAT).map((m) => m.text)).toEqual(["posted anyway"]);
    expect(emu.requests.at(-1)).toMatchObject({ method: "sendMessage", status: 0, description: "injected drop-after-processing" });
    await expect(api.sendMessage(CHAT, "again")).resolves.toMatchObject({ text: "again" });
  });

  test("hang-after-processing posts the message and never answers: the client's timeout ends it", async () => {
    const { emu, api } = await start({}, 1);
    emu.faults.add({ method: "sendMessage", kind: "hang-after-processing" });
    const error = await outcome(api.sendMessage(CHAT, "posted, unanswered"));
    expect(error).toBeInstanceOf(HttpError);
    expect(((error as HttpError).error as Error).message).toMatch(/timed out/);
    expect(emu.chatMessages(CHAT).map((m) => m.text)).toEqual(["posted, unanswered"]);
    expect(emu.requests.at(-1)).toMatchObject({ method: "sendMessage", status: 0, description: "injected hang-after-processing" });
  });

  test("drop-during-body cuts the connection while the upload is still arriving: nothing is posted", async () => {
    const { emu, api } = await start();
    emu.faults.add({ method: "sendDocument", kind: "drop-during-body" });
    let pulled = 0;
    const CHUNKS = 256; // 16 MiB: far more than the sockets on both sides buffer
    function* slices(): Generator<Uint8Array> {
      for (; pulled < CHUNKS; pulled++) yield new Uint8Array(64 * 1024);
    }
    expect(await outcome(api.sendDocument(CHAT, new InputFile(slices(), "big.bin")))).toBeInstanceOf(HttpError);
    expect(pulled).toBeLessThan(CHUNKS);
    expect(emu.chatMessages(CHAT)).toEqual([]);
    expect(emu.requests.at(-1)).toMatchObject({ method: "sendDocument", status: 0, description: "injected drop-during-body" });
    // a small JSON request is cut the same way, unprocessed
    emu.faults.add({ method: "sendMessage", kind: "drop-during-body" });
    expect(await outcome(api.sendMessage(CHAT, "never read"))).toBeInstanceOf(HttpError);
    expect(emu.chatMessages(CHAT)).toEqual([]);
    await expect(api.sendMessage(CHAT, "again")).resolves.toMatchObject({ text: "again" });
  });

  test("refuseConnections: the port refuses connections (nothing recorded) until acceptConnections", async () => {
    const { emu, api } = await start();
    await api.getMe();
    await emu.refuseConnections();
    const error = await outcome(api.sendMessage(CHAT, "nobody listens"));
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).error).toMatchObject({ code: "ECONNREFUSED" });
    expect(emu.requests.map((r) => r.method)).toEqual(["getMe"]);
    await emu.acceptConnections();
    await expect(api.sendMessage(CHAT, "back")).resolves.toMatchObject({ text: "back" });
    expect(emu.chatMessages(CHAT).map((m) => m.text)).toEqual(["back"]);
  });

  test("'*' hits every method but getUpdates; times and remove() work", async () => {
    const { emu, api } = await start();
    const fault = emu.faults.add({ method: "*", kind: "429" }, 5);
    await expect(api.getUpdates()).resolves.toEqual([]);
    expect(await outcome(api.getMe())).toMatchObject({ error_code: 429 });
    expect(await outcome(api.sendMessage(CHAT, "x"))).toMatchObject({ error_code: 429 });
    expect(fault).toMatchObject({ hits: 2, remaining: 3 });
    fault.remove();
    await expect(api.getMe()).resolves.toBeDefined();
    expect(emu.faults.list()).toEqual([]);
  });
});

describe("rate limits", () => {
  test("per chat per minute: over the limit gets 429 with a real retry_after", async () => {
    const { emu, api } = await start({ rateLimits: { perChatPerMinute: 3 } });
    for (let i = 0; i < 3; i++) await api.sendMessage(CHAT, `m${i}`);
    const error = await outcome(api.sendMessage(CHAT, "too many"));
    expect(error).toMatchObject({ error_code: 429 });
    const retryAfter = (error as GrammyError).parameters.retry_after ?? 0;
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    await expect(api.sendMessage(2002, "other chat")).resolves.toBeDefined();
    expect(emu.rateLimitedCount).toBe(1);
    expect(emu.errors.map((e) => e.code)).toEqual([429]);
  });

  test("global per second", async () => {
    const { emu, api } = await start({ rateLimits: { globalPerSecond: 2 } });
    await api.sendMessage(CHAT, "1");
    await api.sendMessage(2002, "2");
    expect(await outcome(api.sendMessage(CHAT, "3"))).toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });
    await api.sendChatAction(CHAT, "typing"); // chat actions do not count
    await new Promise((r) => setTimeout(r, 1050));
    await expect(api.sendMessage(CHAT, "4")).resolves.toBeDefined();
    expect(emu.rateLimitedCount).toBe(1);
  });
});
