import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ADMIN_ID, startAppHarness, type AppHarness } from "../support/app-harness.js";
import { DEFAULT_RETRY } from "../../src/infra/telegram/retry.js";

// The clients retry transient failures: a failure reaches the error boundary once every attempt has failed.
const EVERY_ATTEMPT = DEFAULT_RETRY.maxRetryAttempts + 1;

describe("the error boundary", () => {
  let h: AppHarness;
  beforeEach(async () => { h = await startAppHarness(); });
  afterEach(async () => { await h.stop(); });

  test("Telegram refusing a reply is logged as such and the user is told briefly", async () => {
    h.emu.faults.add({ method: "sendMessage", kind: "5xx", status: 502 }, EVERY_ATTEMPT);
    const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
    await admin.send("/help");
    const reply = await admin.waitForBotMessage(() => true);
    expect(reply.text).toBe("Sorry, something went wrong. It has been logged; please try again.");
    const line = h.logs.lines().find((l) => l.msg === "Telegram refused a request");
    expect(line).toMatchObject({ method: "sendMessage", code: 502, userId: ADMIN_ID });
    expect(h.emu.violations).toEqual([]);
  });

  test("a 429 on a reply is retried after retry_after and the reply arrives; nothing reaches the error boundary", async () => {
    h.emu.faults.add({ method: "sendMessage", kind: "429", retryAfter: 1 });
    const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
    await admin.send("/help");
    const reply = await admin.waitForBotMessage(() => true);
    expect(reply.text).toContain("Commands");
    await h.emu.waitForIdle();
    expect(h.emu.requests.filter((r) => r.method === "sendMessage").map((r) => r.status)).toEqual([429, 200]);
    expect(h.logs.lines().filter((l) => l.msg === "Telegram refused a request")).toEqual([]);
    expect(h.emu.violations).toEqual([]);
  });

  test("a dropped connection is logged as a network failure, without the token", async () => {
    h.emu.faults.add({ method: "sendMessage", kind: "drop" }, EVERY_ATTEMPT);
    const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
    await admin.send("/help");
    await admin.waitForBotMessage((m) => m.text?.startsWith("Sorry") ?? false);
    const line = h.logs.lines().find((l) => l.msg === "network failure talking to Telegram");
    expect(line).toBeDefined();
    expect(JSON.stringify(line)).toContain("<redacted>");
    expect(h.logs.text).not.toContain(h.emu.token);
  });
});
