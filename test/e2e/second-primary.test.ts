import { afterEach, describe, expect, test } from "vitest";
import { hostname } from "node:os";
import { startApp } from "../../src/app.js";
import { SecondPrimaryError } from "../../src/app.js";
import { AnotherPrimaryError } from "../../src/infra/database/primary-lock.js";
import { ProcessPresence } from "../../src/entities/process-presence.js";
import { e2eDatabase } from "../support/e2e-database.js";
import { createLogger } from "../../src/infra/logging/logger.js";
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
    if (e2eDatabase === "postgres") {
      // The advisory lock refuses it before it touches the database, naming the running one from the registry.
      await expect(second).rejects.toBeInstanceOf(AnotherPrimaryError);
      await expect(second).rejects.toThrow(new RegExp(`another vidlib primary already runs on this database \\(pid ${process.pid} on ${hostname()}, last seen \\d+ s ago\\); only one primary may run`));
    } else {
      await expect(second).rejects.toBeInstanceOf(SecondPrimaryError);
      await expect(second).rejects.toThrow(/another vidlib primary is running on this database: primary on .* \(process \d+, last heard from .*\)\. Only one may poll Telegram/);
    }
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

  test.runIf(e2eDatabase === "postgres")("on PostgreSQL the registry still refuses a start while another machine's primary was heard from lately, though the lock is free", async () => {
    h = await startAppHarness();
    // A primary on another machine that has just announced itself (its lock's connection gone, say, but its process not known to be).
    const now = Date.now();
    await h.app.dataSource.getRepository(ProcessPresence).insert({ id: "nas-2:77:ab", name: "primary", role: "primary", kinds: "", host: "nas-2", pid: 77, startedAt: now, seenAt: now });
    await h.app.shutdown();
    const logger = createLogger({ ...h.config.log, pretty: false, secrets: [h.config.telegram.token], destination: new CaptureStream() });
    await expect(startApp(h.config, logger, new AbortController().signal)).rejects.toThrow(/another vidlib primary is running on this database: primary on nas-2 \(process 77, /);
  });
});
