import { afterEach, describe, expect, test } from "vitest";
import { startApp } from "../../src/app.js";
import { SecondPrimaryError } from "../../src/app.js";
import { createLogger } from "../../src/infra/logger.js";
import { CaptureStream } from "../support/capture-stream.js";
import { ADMIN_ID, startAppHarness, type AppHarness } from "../support/app-harness.js";

let h: AppHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("one primary per database", () => {
  test("a second primary on the same database refuses to start and says which one runs; the first keeps working; after a graceful stop a new one starts", async () => {
    h = await startAppHarness();
    const logs = new CaptureStream();
    const logger = createLogger({ ...h.config.log, pretty: false, secrets: [h.config.telegram.token], destination: logs });
    // What a starting bot asks Telegram first (who am I, its command menus): a refused one asks nothing.
    const setup = (): number => h!.emu.requests.filter((r) => r.method === "getMe" || r.method === "setMyCommands" || r.method === "deleteWebhook").length;
    const before = setup();
    expect(before).toBeGreaterThan(0);
    const second = startApp(h.config, logger, new AbortController().signal);
    await expect(second).rejects.toBeInstanceOf(SecondPrimaryError);
    await expect(second).rejects.toThrow(/another vidlib primary is running on this database: primary on .* \(process \d+, last heard from .*\)\. Only one may poll Telegram/);
    // The refused one never spoke to Telegram, so it never polled: the running one is still the only consumer, and still answers.
    await h.emu.user({ id: ADMIN_ID, firstName: "Asha" }).send("/status");
    await h.emu.user({ id: ADMIN_ID, firstName: "Asha" }).waitForBotMessage((m) => m.text?.startsWith("📚 Library") ?? false);
    expect(setup()).toBe(before);
    expect(await h.app.dataSource.query(`SELECT role, stopped_at FROM process_presence`)).toEqual([{ role: "primary", stopped_at: null }]);

    // A graceful stop leaves room for the next primary on the same database.
    await h.app.shutdown();
    const next = await startApp(h.config, logger, new AbortController().signal);
    expect(next).not.toBeNull();
    await next!.shutdown();
  });
});
