import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DataSource } from "typeorm";
import { NodeSyncFiles, partNameFor } from "../../src/infra/fs/sync-files.js";
import { isIgnoredName } from "../../src/infra/fs/ignore.js";
import { TypeormAuditStore } from "../../src/infra/database/stores/audit-store.js";
import { SqliteSettingsStore } from "../../src/infra/database/stores/settings-store.js";
import { SqliteSyncStore, vidlibMadeUnder } from "../../src/infra/database/stores/sync-store.js";
import { AuditService } from "../../src/services/audit/audit.js";
import { Forbidden } from "../../src/services/people/permissions.js";
import { SettingsService } from "../../src/services/settings/settings.js";
import type { SyncFiles, SyncRun } from "../../src/services/sync/ports.js";
import type { SyncFile } from "../../src/services/sync/sync-plan.js";
import type { SyncReporter } from "../../src/services/sync/sync-runner.js";
import { SyncService } from "../../src/services/sync/sync-service.js";
import { SYNC_RUN } from "../../src/services/sync/sync-job.js";
import { deferred, makeJobEngine, until } from "../support/jobs-harness.js";
import { makeTestDatabase, manualClock } from "../support/database.js";
import { makeTempDir } from "../support/temp-dir.js";

const OWNER = { kind: "user" as const, id: 1, role: "owner" as const };
const EDITOR = { kind: "user" as const, id: 2, role: "editor" as const };
const EXTENSIONS = new Set([".mp4", ".ts", ".mkv"]);
const HOUR = 3_600_000;

import type { SyncFinalReport, SyncProgressReport } from "../../src/services/sync/sync-report.js";
import { syncFinalHtml, syncProgressHtml } from "../../src/bot/views/sync-text.js";
import { adminNoticeHtml } from "../../src/bot/views/admin-notices.js";

class RecordingReporter implements SyncReporter {
  readonly progressTexts: string[] = [];
  readonly finals: { text: string; preview?: { runId: number; canApply: boolean } }[] = [];
  progress(_run: SyncRun, report: SyncProgressReport): void {
    this.progressTexts.push(syncProgressHtml(report));
  }
  final(_run: SyncRun, report: SyncFinalReport): Promise<void> {
    const html = syncFinalHtml(report);
    this.finals.push({ text: html, ...(report.kind === "preview" ? { preview: { runId: report.runId, canApply: report.canApply } } : {}) });
    return Promise.resolve();
  }
}

/**
 * The real file adapter, which can make its process crash mid-copy after a number of bytes: the copy stops
 * there and never returns, as in a process killed at that moment (its runner writes no heartbeat: see `crashing`).
 */
class InterruptibleFiles extends NodeSyncFiles {
  readonly written: number[] = [];
  stopAfter: number | null = null;
  readonly crashed = deferred();
  /** Copies under way that will still end (a crashed one never does). */
  active = 0;
  private seen = 0;
  override async copy(from: string, to: string, expected: SyncFile, onBytes: (n: number, resumed: boolean) => void, signal: AbortSignal): Promise<number> {
    const crash = new AbortController();
    this.active++;
    const n = await super.copy(from, to, expected, (bytes, resumed) => {
      onBytes(bytes, resumed);
      this.seen += bytes;
      if (this.stopAfter !== null && this.seen >= this.stopAfter) {
        this.stopAfter = null;
        crash.abort();
      }
    }, AbortSignal.any([signal, crash.signal])).catch((err: unknown) => {
      if (!crash.signal.aborted) throw err;
      return 0;
    });
    this.active--;
    if (crash.signal.aborted) {
      this.crashed.resolve();
      return new Promise<number>(() => undefined);
    }
    this.written.push(n);
    return n;
  }
}

let db: { dataSource: DataSource; close: () => Promise<void> };
let tmp: { dir: string; cleanup: () => void };
let clock: ReturnType<typeof manualClock>;
let settings: SettingsService;
let source: string;
let library: string;
let target: string;
let trash: string;

const alerts: string[] = [];

/**
 * One process's sync service and job runner (named `owner` on its leases), which runs the jobs it enqueues
 * itself, as `vidlib sync` does. `crashing`: its runner writes no heartbeat, like a process about to be killed.
 */
function service(files: SyncFiles = new NodeSyncFiles(EXTENSIONS), reporter = new RecordingReporter(), owner = "test-process",
  extra: { settleMs?: number; crashing?: boolean; ownerGone?: (owner: string) => boolean } = {}): { sync: SyncService; reporter: RecordingReporter; changed: string[]; runner: ReturnType<typeof makeJobEngine>["runner"] } {
  const changed: string[] = [];
  const audit = new AuditService(new TypeormAuditStore(db.dataSource), clock);
  const engine = makeJobEngine(db.dataSource, clock, owner, { heartbeatMs: extra.crashing === true ? 2 ** 31 - 1 : 20 }, extra.ownerGone);
  const sync = new SyncService({
    store: new SqliteSyncStore(db.dataSource), files, audit, clock, settings: () => settings.current, reporter,
    roots: [library], trashDir: trash, concurrency: 2, madeByVidlib: (t) => vidlibMadeUnder(db.dataSource, t), changed: () => changed.push("changed"), jobs: engine.queue,
    notifier: { notifyAdmins: (notice) => { alerts.push(adminNoticeHtml(notice)); return Promise.resolve(); } }, maxMissingShare: 0.2,
    settleMs: extra.settleMs ?? 10_000,
  });
  engine.runner.register(SYNC_RUN, (context) => sync.run(context), 1);
  sync.useRunner((key) => engine.runner.runOnce(SYNC_RUN, key));
  return { sync, reporter, changed, runner: engine.runner };
}

function write(dir: string, rel: string, content: string | Buffer, mtimeMs?: number): string {
  const path = join(dir, ...rel.split("/"));
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, content);
  if (mtimeMs !== undefined) utimesSync(path, mtimeMs / 1000, mtimeMs / 1000);
  return path;
}
const read = (dir: string, rel: string): string => readFileSync(join(dir, ...rel.split("/")), "utf8");
const sha = (path: string): string => createHash("sha256").update(readFileSync(path)).digest("hex");
const filesUnder = (dir: string): string[] => (readdirSync(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1).replaceAll("\\", "/")).sort();

async function runToEnd(sync: SyncService, folderId: number, mode: "preview" | "none" | "apply"): Promise<SyncRun | null> {
  const started = await sync.start(OWNER, folderId, mode);
  if (started.kind !== "started") throw new Error(`sync did not start: ${started.kind}`);
  return started.done;
}

async function auditActions(): Promise<string[]> {
  return (await db.dataSource.query<{ action: string }[]>(`SELECT action FROM audit_event WHERE action LIKE 'sync.%' ORDER BY id`)).map((r) => r.action);
}

beforeEach(async () => {
  db = await makeTestDatabase();
  tmp = makeTempDir();
  clock = manualClock(Date.UTC(2026, 10, 21, 9));
  settings = new SettingsService(new SqliteSettingsStore(db.dataSource), new AuditService(new TypeormAuditStore(db.dataSource), clock), clock);
  await settings.load();
  source = join(tmp.dir, "Dropbox", "Lectures");
  library = join(tmp.dir, "library");
  target = join(library, "Lectures");
  trash = join(tmp.dir, "data", "trash");
  mkdirSync(source, { recursive: true });
  mkdirSync(library, { recursive: true });
  alerts.length = 0;
});
afterEach(async () => {
  await db.close();
  tmp.cleanup();
});

describe("registering sync folders", () => {
  test("the target must be inside a library folder, the source must exist, the two must not overlap; editors may not", async () => {
    const { sync } = service();
    expect(await sync.register(OWNER, source, join(tmp.dir, "elsewhere"))).toEqual({ ok: false, problem: "the target must be inside a library folder (LIBRARY_ROOTS)" });
    expect(await sync.register(OWNER, join(tmp.dir, "not-mounted"), target)).toEqual({ ok: false, problem: "the source does not exist (is the share mounted?)" });
    expect(await sync.register(OWNER, library, target)).toEqual({ ok: false, problem: "the source and the target must not contain each other" });
    expect(await sync.register(OWNER, "relative/path", target)).toEqual({ ok: false, problem: "both folders must be full paths" });
    await expect(sync.register(EDITOR, source, target)).rejects.toBeInstanceOf(Forbidden);
    const added = await sync.register(OWNER, source, target);
    expect(added.ok).toBe(true);
    expect(await sync.register(OWNER, source, target)).toEqual({ ok: false, problem: "this folder is already registered" });
    expect(await auditActions()).toEqual(["sync.folder.add"]);
  });
});

describe("a sync", () => {
  async function registered(sync: SyncService): Promise<number> {
    const added = await sync.register(OWNER, source, target);
    if (!added.ok) throw new Error(added.problem);
    return added.folder.id;
  }

  test("copies new files (odd names, nested folders) with their times; a second sync copies nothing", async () => {
    const { sync, reporter, changed } = service();
    const id = await registered(sync);
    const old = Date.UTC(2026, 0, 5);
    write(source, "JEE-Adv_Phy-ElectroStatics_L04.mp4", "lecture four", old);
    write(source, "Chemistry/Organic <&> \"Basics\" 🎥 L01.ts", "organic", old);
    write(source, "Chemistry/notes.pdf", "not a video");
    write(source, ".hidden.mp4", "hidden");
    write(source, "Physics/partial.mp4.part", "still downloading");
    const run = await runToEnd(sync, id, "preview");
    expect(run?.state).toBe("done");
    expect(run?.copied).toBe(2);
    expect(filesUnder(target)).toEqual(["Chemistry/Organic <&> \"Basics\" 🎥 L01.ts", "JEE-Adv_Phy-ElectroStatics_L04.mp4"]);
    expect(read(target, "Chemistry/Organic <&> \"Basics\" 🎥 L01.ts")).toBe("organic");
    expect(statSync(join(target, "JEE-Adv_Phy-ElectroStatics_L04.mp4")).mtimeMs).toBe(old);
    expect(reporter.progressTexts[0]).toContain("Calculating…");
    expect(reporter.progressTexts.some((t) => t.includes("▓") && t.includes("%"))).toBe(true);
    expect(reporter.finals.at(-1)?.text).toContain("Copied 2 files");
    expect(changed).toEqual(["changed"]);

    const again = await runToEnd(sync, id, "preview");
    expect(again?.copied).toBe(0);
    expect(changed).toEqual(["changed"]);
    expect(await auditActions()).toEqual(["sync.folder.add", "sync.start", "sync.finish", "sync.start"]);
  });

  test("copies files that changed size or became newer; keeps a target copy that is newer than the source", async () => {
    const { sync } = service();
    const id = await registered(sync);
    const t0 = Date.UTC(2026, 0, 5);
    write(source, "a.mp4", "version 1", t0);
    write(source, "b.mp4", "same size", t0);
    write(source, "c.mp4", "source", t0);
    await runToEnd(sync, id, "none");
    write(source, "a.mp4", "version two, longer", t0);           // another size, same time
    write(source, "b.mp4", "SAME SIZE", t0 + HOUR);               // same size, newer
    write(target, "c.mp4", "target", t0 + 2 * HOUR);              // the target's copy is newer
    write(source, "d.mp4", "within the 2 s tolerance", t0);
    write(target, "d.mp4", "within the 2 s tolerance", t0 - 1500);
    const run = await runToEnd(sync, id, "none");
    expect(run?.copied).toBe(2);
    expect(read(target, "a.mp4")).toBe("version two, longer");
    expect(read(target, "b.mp4")).toBe("SAME SIZE");
    expect(read(target, "c.mp4")).toBe("target");
  });

  test("files that left the source: a preview first; Only copy keeps them; applying moves them to the trash and audits each", async () => {
    const { sync, reporter, changed } = service();
    const id = await registered(sync);
    for (const name of ["keep.mp4", "gone-1.mp4", "Sub/gone <&> 2.ts"]) write(source, name, name);
    await runToEnd(sync, id, "none");
    write(target, "Sub/notes.txt", "not a video: never touched");
    write(source, "new.mp4", "new");
    // A converted MP4 that vidlib made beside its source is not "missing from the source".
    write(target, "keep (converted).mp4", "made by vidlib");
    await db.dataSource.query(`INSERT INTO video (path, root, relative_path, file_name, extension, size_bytes, mtime_ms, status, derived_from_id, created_at, updated_at)
      VALUES (?, ?, 'Lectures/keep (converted).mp4', 'keep (converted).mp4', '.mp4', 14, 1, 'indexed', 1, 1, 1)`, [join(target, "keep (converted).mp4"), library]);
    const { rmSync } = await import("node:fs");
    rmSync(join(source, "gone-1.mp4"));
    rmSync(join(source, "Sub"), { recursive: true });

    const preview = await runToEnd(sync, id, "preview");
    expect(preview?.state).toBe("preview");
    const shown = reporter.finals.at(-1);
    expect(shown?.preview).toEqual({ runId: preview?.id, canApply: true });
    expect(shown?.text).toContain("2 files are no longer in the source");
    expect(shown?.text).toContain("• Sub/gone &lt;&amp;&gt; 2.ts");
    expect(shown?.text).not.toContain("converted");
    expect(existsSync(join(target, "new.mp4"))).toBe(false); // a preview changes nothing

    const kept = await sync.confirm(OWNER, preview?.id ?? 0, "none");
    expect(kept.kind).toBe("started");
    if (kept.kind === "started") await kept.done;
    expect(filesUnder(target)).toEqual(["Sub/gone <&> 2.ts", "Sub/notes.txt", "gone-1.mp4", "keep (converted).mp4", "keep.mp4", "new.mp4"]);
    expect(reporter.finals.at(-1)?.text).toContain("2 files that left the source were kept");
    expect((await sync.confirm(OWNER, preview?.id ?? 0, "apply")).kind).toBe("stale");

    const second = await runToEnd(sync, id, "preview");
    await expect(sync.confirm(EDITOR, second?.id ?? 0, "apply")).rejects.toBeInstanceOf(Forbidden);
    const applied = await sync.confirm(OWNER, second?.id ?? 0, "apply");
    if (applied.kind !== "started") throw new Error(applied.kind);
    expect((await applied.done)?.removed).toBe(2);
    expect(filesUnder(target)).toEqual(["Sub/notes.txt", "keep (converted).mp4", "keep.mp4", "new.mp4"]);
    expect(filesUnder(join(trash, `sync-${second?.id}`))).toEqual(["Sub/gone <&> 2.ts", "gone-1.mp4"]);
    expect(reporter.finals.at(-1)?.text).toContain("moved 2 to the trash");
    expect((await auditActions()).filter((a) => a === "sync.trash")).toHaveLength(2);
    expect(changed.length).toBeGreaterThan(0);

    // The trash is emptied after the trash days.
    expect(await sync.purgeExpiredTrash()).toBe(0);
    clock.advance(31 * 24 * HOUR);
    expect(await sync.purgeExpiredTrash()).toBe(1);
    expect(existsSync(join(trash, `sync-${second?.id}`))).toBe(false);
  });

  test("the deletion cap: more removals than the cap are never applied, from a preview or directly", async () => {
    await settings.setSyncMaxDeletions(2, OWNER);
    const { sync, reporter } = service();
    const id = await registered(sync);
    for (let i = 1; i <= 4; i++) write(source, `L0${i}.mp4`, `lecture ${i}`);
    await runToEnd(sync, id, "none");
    const { rmSync } = await import("node:fs");
    for (let i = 1; i <= 3; i++) rmSync(join(source, `L0${i}.mp4`));

    const preview = await runToEnd(sync, id, "preview");
    expect(reporter.finals.at(-1)?.preview).toEqual({ runId: preview?.id, canApply: false });
    expect(reporter.finals.at(-1)?.text).toContain("more than the deletion cap of 2");
    expect(await sync.confirm(OWNER, preview?.id ?? 0, "apply")).toEqual({ kind: "over-cap", cap: 2 });

    const direct = await runToEnd(sync, id, "apply");
    expect(direct?.removed).toBe(0);
    expect(filesUnder(target)).toHaveLength(4);
    expect(reporter.finals.at(-1)?.text).toContain("3 files that left the source were kept");

    await settings.setSyncMaxDeletions(3, OWNER);
    expect((await runToEnd(sync, id, "apply"))?.removed).toBe(3);
    expect(filesUnder(target)).toEqual(["L04.mp4"]);
  });

  test("an unmounted source fails with the reason and removes nothing", async () => {
    const { sync, reporter } = service();
    const id = await registered(sync);
    write(source, "a.mp4", "a");
    await runToEnd(sync, id, "none");
    const { renameSync } = await import("node:fs");
    renameSync(source, `${source}-unmounted`);
    const run = await runToEnd(sync, id, "apply");
    expect(run?.state).toBe("failed");
    expect(reporter.finals.at(-1)?.text).toContain("does not exist (is the share mounted?)");
    expect(filesUnder(target)).toEqual(["a.mp4"]);
  });

  test("a removal that changed since the preview is skipped", async () => {
    const { sync } = service();
    const id = await registered(sync);
    write(source, "a.mp4", "a");
    await runToEnd(sync, id, "none");
    const { rmSync } = await import("node:fs");
    rmSync(join(source, "a.mp4"));
    const preview = await runToEnd(sync, id, "preview");
    write(target, "a.mp4", "someone replaced it", Date.now() + HOUR);
    const applied = await sync.confirm(OWNER, preview?.id ?? 0, "apply");
    if (applied.kind !== "started") throw new Error(applied.kind);
    expect((await applied.done)?.removed).toBe(0);
    expect(read(target, "a.mp4")).toBe("someone replaced it");
  });

  test("an interrupted sync resumes in the next process, continuing the partial file; the final name appears only when complete", async () => {
    const big = randomBytes(6 * 1024 * 1024);
    write(source, "Big lecture.mp4", big);
    write(source, "small.mp4", "small");
    const files = new InterruptibleFiles(EXTENSIONS);
    const first = service(files, new RecordingReporter(), "process-1", { crashing: true });
    const id = await registered(first.sync);
    files.stopAfter = 2 * 1024 * 1024;
    const started = await first.sync.start(OWNER, id, "none");
    if (started.kind !== "started") throw new Error(started.kind);
    await files.crashed.promise;
    const stopped = await new SqliteSyncStore(db.dataSource).run(started.runId);
    expect(stopped?.state).toBe("copying");
    expect(existsSync(join(target, "Big lecture.mp4"))).toBe(false);
    const partName = partNameFor("Big lecture.mp4", { relPath: "Big lecture.mp4", size: big.length, mtimeMs: statSync(join(source, "Big lecture.mp4")).mtimeMs });
    expect(isIgnoredName(partName)).toBe(true);
    const partial = statSync(join(target, partName)).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(big.length);

    // Another process takes over only once the first has stopped renewing its lease, and the lease ran out.
    const second = service(files, new RecordingReporter(), "process-2");
    expect(await second.runner.runOnce(SYNC_RUN)).toBe(false);
    clock.advance(SYNC_RUN.leaseMs + 1);
    // What the crashed process still had under way beside the frozen copy ends first; only the second's writes count.
    await until(() => files.active === 0, "the first process's other copies to end");
    files.written.length = 0;
    expect(await second.runner.runOnce(SYNC_RUN)).toBe(true);
    const run = await new SqliteSyncStore(db.dataSource).run(started.runId);
    expect(run?.state).toBe("done");
    expect(sha(join(target, "Big lecture.mp4"))).toBe(createHash("sha256").update(big).digest("hex"));
    expect(read(target, "small.mp4")).toBe("small");
    expect(filesUnder(target)).toEqual(["Big lecture.mp4", "small.mp4"]);
    // Only the rest of the big file was copied again.
    expect(files.written.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(big.length - partial + "small".length);
    expect(second.reporter.finals.at(-1)?.text).toContain("Sync finished");
  });

  test("a partial file of an older version of the source is thrown away, not continued", async () => {
    const files = new NodeSyncFiles(EXTENSIONS);
    const from = write(source, "a.mp4", "new version of the file");
    const st = statSync(from);
    write(target, partNameFor("a.mp4", { relPath: "a.mp4", size: 10, mtimeMs: 1 }), "old bytes");
    await files.copy(from, join(target, "a.mp4"), { relPath: "a.mp4", size: st.size, mtimeMs: st.mtimeMs }, () => undefined, new AbortController().signal);
    expect(filesUnder(target)).toEqual(["a.mp4"]);
    expect(read(target, "a.mp4")).toBe("new version of the file");
  });
});

describe("sync safety", () => {
  async function registered(sync: SyncService): Promise<number> {
    const added = await sync.register(OWNER, source, target);
    if (!added.ok) throw new Error(added.problem);
    return added.folder.id;
  }
  const OLD = Date.UTC(2026, 0, 5);

  test("a source that suddenly looks empty (fewer files than the cap) removes nothing: the preview offers only copying, applying keeps them, the admins are alerted", async () => {
    const { sync, reporter } = service();
    const id = await registered(sync);
    for (const name of ["L01.mp4", "L02.mp4", "Sub/L03.ts"]) write(source, name, name, OLD);
    await runToEnd(sync, id, "none");
    const { rmSync } = await import("node:fs");
    rmSync(source, { recursive: true });
    mkdirSync(source); // an unmounted share's mount point: there, and empty

    const preview = await runToEnd(sync, id, "preview");
    expect(preview?.state).toBe("preview");
    expect(reporter.finals.at(-1)?.preview).toEqual({ runId: preview?.id, canApply: false });
    expect(reporter.finals.at(-1)?.text).toContain("Nothing was removed</b>: the source folder is empty (is the share mounted?)");
    // Even a forged or stale "apply" only copies.
    const applied = await sync.confirm(OWNER, preview?.id ?? 0, "apply");
    if (applied.kind !== "started") throw new Error(applied.kind);
    const run = await applied.done;
    expect(run?.removed).toBe(0);
    expect(run?.error).toBe("the source folder is empty (is the share mounted?)");

    const direct = await runToEnd(sync, id, "apply");
    expect(direct?.removed).toBe(0);
    expect(reporter.finals.at(-1)?.text).toMatch(/^⚠️ <b>Sync finished/u);
    expect(reporter.finals.at(-1)?.text).toContain("The 3 files that left the source stay in the library");
    expect(filesUnder(target)).toEqual(["L01.mp4", "L02.mp4", "Sub/L03.ts"]);
    expect(existsSync(trash)).toBe(false);
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toContain("Sync held back its removals");
    expect((await auditActions()).filter((a) => a === "sync.guard")).toHaveLength(2);
  });

  test("a source that lost most of its files at once removes nothing, although within the cap; copying goes on", async () => {
    const { sync, reporter } = service();
    const id = await registered(sync);
    for (let i = 1; i <= 10; i++) write(source, `L${String(i).padStart(2, "0")}.mp4`, `lecture ${i}`, OLD);
    await runToEnd(sync, id, "none");
    const { rmSync } = await import("node:fs");
    for (let i = 1; i <= 8; i++) rmSync(join(source, `L${String(i).padStart(2, "0")}.mp4`));
    write(source, "new.mp4", "new", OLD);
    const run = await runToEnd(sync, id, "apply");
    expect(run?.removed).toBe(0);
    expect(run?.copied).toBe(1);
    expect(reporter.finals.at(-1)?.text).toContain("8 of the 10 files in the library folder (80 %) left the source at once, over the 20 % limit");
    expect(filesUnder(target)).toHaveLength(11);
    expect(alerts).toHaveLength(1);
  });

  test("a file modified within the settle time is left for a later run and reported; once settled it is copied (clock injected)", async () => {
    const { sync, reporter } = service(undefined, undefined, undefined, { settleMs: 30_000 });
    const id = await registered(sync);
    write(source, "done.mp4", "finished", clock.now() - 3_600_000);
    write(source, "Sub/recording.mp4", "still growing", clock.now() - 5_000);
    const first = await runToEnd(sync, id, "none");
    expect(first?.copied).toBe(1);
    expect(filesUnder(target)).toEqual(["done.mp4"]);
    expect(reporter.finals.at(-1)?.text).toContain("1 file is still being written (changed in the last moments); it is copied by a later sync.");
    clock.advance(30_000);
    const second = await runToEnd(sync, id, "none");
    expect(second?.copied).toBe(1);
    expect(filesUnder(target)).toEqual(["Sub/recording.mp4", "done.mp4"]);
    expect(reporter.finals.at(-1)?.text).not.toContain("still being written");
  });

  test("a file name of 255 bytes (multi-byte UTF-8) syncs; stale partial files of it, old and new style, are cleaned up", async () => {
    const { sync } = service();
    const id = await registered(sync);
    let name = "Физика — электростатика 🎥 ";
    while (Buffer.byteLength(`${name}я.mp4`) <= 255) name += "я";
    while (Buffer.byteLength(`${name}.mp4`) < 255) name += "a";
    name += ".mp4";
    expect(Buffer.byteLength(name)).toBe(255);
    write(source, `Sub/${name}`, "a lecture with a long name", OLD);
    mkdirSync(join(target, "Sub"), { recursive: true });
    write(target, `Sub/${partNameFor(name, { relPath: name, size: 3, mtimeMs: 1 })}`, "old");
    write(target, "Sub/.short.mp4.3-1.vidlib-sync.part", "old style partial of another name: kept");
    const run = await runToEnd(sync, id, "none");
    expect(run?.copied).toBe(1);
    expect(run?.failed).toBe(0);
    expect(read(target, `Sub/${name}`)).toBe("a lecture with a long name");
    expect(filesUnder(target)).toEqual(["Sub/.short.mp4.3-1.vidlib-sync.part", `Sub/${name}`]);
    expect(Buffer.byteLength(partNameFor(name, { relPath: name, size: 1, mtimeMs: 1 }))).toBeLessThan(64);
  });

  test("a run whose process is known to be gone is taken over at once, from resumeInterrupted and from start; a live one is reported busy with its owner", async () => {
    const big = randomBytes(4 * 1024 * 1024);
    write(source, "Big lecture.mp4", big, OLD);
    const files = new InterruptibleFiles(EXTENSIONS);
    const first = service(files, new RecordingReporter(), "host-a:4242:dead", { crashing: true });
    const id = await registered(first.sync);
    files.stopAfter = 1024 * 1024;
    const started = await first.sync.start(OWNER, id, "none");
    if (started.kind !== "started") throw new Error(started.kind);
    await files.crashed.promise;
    expect((await new SqliteSyncStore(db.dataSource).run(started.runId))?.state).toBe("copying");

    const alive = service(files, new RecordingReporter(), "process-2", { ownerGone: () => false });
    expect(await alive.runner.runOnce(SYNC_RUN)).toBe(false);
    const busy = await alive.sync.start(OWNER, id, "preview");
    expect(busy).toMatchObject({ kind: "busy", owner: "host-a:4242:dead", heartbeatAt: clock.now() });

    // A process that knows the owner is gone takes the run over at once, without waiting for its lease.
    const next = service(files, new RecordingReporter(), "process-3", { ownerGone: (o) => o === "host-a:4242:dead" });
    const taken = await next.sync.start(OWNER, id, "preview");
    if (taken.kind !== "started") throw new Error(taken.kind);
    expect(taken).toMatchObject({ runId: started.runId, resumed: true });
    expect((await taken.done)?.state).toBe("done");
    expect(sha(join(target, "Big lecture.mp4"))).toBe(createHash("sha256").update(big).digest("hex"));
    expect(await auditActions()).toContain("sync.resume");
  });

  test("a long plan keeps the heartbeat fresh, so another process does not take the run over", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    let listing = false;
    class SlowListing extends NodeSyncFiles {
      override async list(folder: string, signal?: AbortSignal): ReturnType<NodeSyncFiles["list"]> {
        listing = true;
        await gate;
        return super.list(folder, signal);
      }
    }
    write(source, "a.mp4", "a", OLD);
    const first = service(new SlowListing(EXTENSIONS), new RecordingReporter(), "process-1");
    const id = await registered(first.sync);
    const started = await first.sync.start(OWNER, id, "none");
    if (started.kind !== "started") throw new Error(started.kind);
    while (!listing) await new Promise((r) => setTimeout(r, 10));
    clock.advance(SYNC_RUN.leaseMs + 1);
    // Wait for the engine's heartbeat written at the new time.
    const leaseUntil = async (): Promise<number | null> => (await db.dataSource.query<{ lease_until: number | null }[]>(`SELECT lease_until FROM job WHERE kind = 'sync.run'`))[0]?.lease_until ?? null;
    while ((await leaseUntil()) !== clock.now() + SYNC_RUN.leaseMs) await new Promise((r) => setTimeout(r, 50));
    const second = service(new NodeSyncFiles(EXTENSIONS), new RecordingReporter(), "process-2");
    expect(await second.runner.runOnce(SYNC_RUN)).toBe(false);
    release();
    expect((await started.done)?.state).toBe("done");
  });

  test("a removal that changed since the preview is skipped (the source still holds files)", async () => {
    const { sync } = service();
    const id = await registered(sync);
    for (const name of ["a.mp4", "b.mp4", "c.mp4", "d.mp4", "e.mp4"]) write(source, name, name, OLD);
    await runToEnd(sync, id, "none");
    const { rmSync } = await import("node:fs");
    rmSync(join(source, "a.mp4"));
    const preview = await runToEnd(sync, id, "preview");
    expect(preview?.error).toBeNull();
    write(target, "a.mp4", "someone replaced it", OLD + HOUR);
    const applied = await sync.confirm(OWNER, preview?.id ?? 0, "apply");
    if (applied.kind !== "started") throw new Error(applied.kind);
    expect((await applied.done)?.removed).toBe(0);
    expect(read(target, "a.mp4")).toBe("someone replaced it");
  });
});
