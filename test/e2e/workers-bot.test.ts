import { afterEach, describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { MARK_FILE } from "../../src/infra/fs/folder-marks.js";
import { TypeormProcessStore } from "../../src/infra/database/stores/process-store.js";
import { startPublishHarness, type PublishHarness } from "../support/publish-harness.js";
import { Setting } from "../../src/entities/setting.js";
import { Job } from "../../src/entities/job.js";
import { ProcessPresence } from "../../src/entities/process-presence.js";

let h: PublishHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("/workers", () => {
  test("shows the primary and a worker with their roles, what each runs, heartbeats and jobs done today; a silent worker is reported to the admins once", async () => {
    h = await startPublishHarness();
    const ds = h.app.dataSource;
    // The primary marked its library folder at start, for workers to check: the marker names the folder (unnamed in
    // LIBRARY_ROOTS, so after its last segment), and the database records its name and path.
    const mark = JSON.parse(readFileSync(join(h.library, MARK_FILE), "utf8")) as { library: string; folder: string };
    expect(mark.folder).toBe(basename(h.library).toLowerCase());
    expect(await ds.getRepository(Setting).find({ select: { value: true }, where: { key: "library.id" } })).toEqual([{ value: mark.library }]);
    expect(await ds.getRepository(Setting).find({ select: { value: true }, where: { key: "library.folders" } })).toEqual([{ value: JSON.stringify([{ name: mark.folder, path: h.library }]) }]);
    // A worker on another machine, as `vidlib worker --roles convert,export --name "NAS <2>"` announces itself, running a conversion.
    const now = Date.now();
    await new TypeormProcessStore(ds).announce({ id: "nas:77:w", name: "NAS <2>", role: "worker", kinds: ["conversion", "export.hls"], host: "nas-box", pid: 77,
      startedAt: now, seenAt: now });
    await ds.getRepository(Job).insert({ kind: "conversion", payload: "{}", state: "running", runAt: 0, attempts: 1, maxAttempts: 4, owner: "nas:77:w",
      leaseUntil: now + 600_000, progress: 0.25, createdAt: 0, updatedAt: 0 });

    await h.admin.send("/workers");
    const shown = await h.admin.waitForBotMessage((m) => m.text?.startsWith("⚙️ Workers") ?? false);
    expect(shown.text).toContain("🟢 primary on");
    expect(shown.text).toContain("primary: bot, uploads, schedules, and every job kind");
    expect(shown.text).toContain("🟢 NAS <2> on nas-box — worker: conversion, HLS export");
    expect(shown.text).toContain("Now: conversion 25% · 0 jobs done today · last heartbeat");

    // It falls silent: the primary's check tells the admins once.
    await ds.getRepository(ProcessPresence).update({ id: "nas:77:w" }, { seenAt: now - 5 * 60_000 });
    expect(await h.app.services.processes.reportLost()).toBe(1);
    const alert = await h.admin.waitForBotMessage((m) => m.text?.includes("stopped answering") ?? false);
    expect(alert.text).toContain("⚠️ Worker NAS <2> on nas-box stopped answering (last heard from 5 minutes ago).");
    expect(alert.text).toContain("Its running job (conversion) goes back in the queue when its lease ends and runs on another process.");
    expect(await h.app.services.processes.reportLost()).toBe(0);
  });
});
