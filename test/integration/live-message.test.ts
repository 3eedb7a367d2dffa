import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { Api } from "grammy";
import { LiveMessage } from "../../src/infra/telegram/live-message.js";
import { htmlByDefault } from "../../src/infra/telegram/parse-mode.js";
import { createLogger } from "../../src/infra/logging/logger.js";
import { CaptureStream } from "../support/capture-stream.js";
import { TelegramEmulator } from "../support/telegram/index.js";

let emu: TelegramEmulator;
beforeEach(async () => { emu = await TelegramEmulator.start({ profile: "local" }); });
afterEach(async () => { vi.useRealTimers(); await emu.stop(); });

test("edits at most once per interval, never with unchanged text, and always shows the final text", async () => {
  const user = emu.user({ id: 7, firstName: "Asha" });
  await user.send("/scan");
  // Parsed as HTML, as vidlib's clients parse text by default (the throttle is left out: its timers would be faked too).
  const api = new Api(emu.token, { apiRoot: emu.apiRoot });
  api.config.use(htmlByDefault);
  const sent = await api.sendMessage(7, "start");
  let now = 0;
  const live = new LiveMessage(api, 7, createLogger({ level: "silent", pretty: false, secrets: [], destination: new CaptureStream() }), 3000, () => now);
  vi.useFakeTimers();
  live.attach(sent.message_id, "start");
  const edits = () => emu.requests.filter((r) => r.method === "editMessageText").length;

  live.update("step 1");
  live.update("step 2");
  await vi.advanceTimersByTimeAsync(2999);
  expect(edits()).toBe(0);
  now = 3000;
  await vi.advanceTimersByTimeAsync(1);
  vi.useRealTimers();
  await emu.waitForIdle();
  expect(edits()).toBe(1);
  expect(user.messages().at(-1)?.text).toBe("step 2");

  live.update("step 2");
  await live.finish("done <b>bold</b>");
  await emu.waitForIdle();
  expect(edits()).toBe(2);
  expect(user.messages().at(-1)?.text).toBe("done bold");
  live.update("too late");
  expect(emu.errors.filter((e) => e.message.includes("not modified"))).toEqual([]);
  expect(emu.violations).toEqual([]);
});
