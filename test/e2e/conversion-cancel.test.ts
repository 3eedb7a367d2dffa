import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DataSource } from "typeorm";
import { openDatabase } from "../../src/infra/database/database.js";
import { ADMIN_ID, startLibraryHarness, type LibraryHarness } from "../support/app-harness.js";
import { until } from "../support/jobs-harness.js";
import { makeClip } from "../support/media.js";
import { makeTempDir } from "../support/temp-dir.js";

// The conversion runs in a second OS process (test/support/conversion-child.ts) on the bot's SQLite file.
const CHILD = fileURLToPath(new URL("../../dist/test/support/conversion-child.js", import.meta.url));

/** The ffmpeg processes whose parent is `pid` (Linux /proc). */
function ffmpegChildrenOf(pid: number): number[] {
  return readdirSync("/proc").filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const [, comm = "", rest = ""] = /^\d+ \((.*)\) (.*)$/s.exec(stat) ?? [];
      return comm === "ffmpeg" && Number(rest.split(" ")[1]) === pid ? [Number(d)] : [];
    } catch {
      return [];
    }
  });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    // A zombie has exited; only its parent's wait would remove it.
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
};

let tmp: ReturnType<typeof makeTempDir>;
let ds: DataSource | undefined;
let h: LibraryHarness | undefined;
let child: ChildProcess | undefined;

beforeEach(() => { tmp = makeTempDir(); });
afterEach(async () => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  await h?.stop();
  if (ds?.isInitialized) await ds.destroy();
  tmp.cleanup();
});

describe("cancelling a conversion from the bot", () => {
  test("Cancel pressed in the bot stops a conversion running in another process within one heartbeat; partial output is removed", async () => {
    const root = join(tmp.dir, "library");
    const dataDir = join(tmp.dir, "data");
    makeClip(join(root, "Slow lecture.ts"), { seconds: 20, video: "mpeg2", size: "640x360", pattern: "testsrc2", rate: 25 });
    ({ dataSource: ds } = await openDatabase({ path: join(dataDir, "vidlib.sqlite") }));
    const conversion = async () => (await ds!.query<{ id: number; state: string; progress: number | null; job_id: number | null }[]>(
      `SELECT id, state, progress, job_id FROM conversion_job`))[0];

    let out = "";
    child = spawn(process.execPath, [CHILD, join(dataDir, "vidlib.sqlite"), root, join(dataDir, "tmp"), "Slow lecture.ts"], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", CONVERSION_HEARTBEAT_MS: "300" }, stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (c: Buffer) => { out += c.toString(); });
    child.stderr?.on("data", (c: Buffer) => { out += c.toString(); });
    const pid = child.pid ?? 0;
    await until(() => {
      if (child?.exitCode !== null) throw new Error(`the conversion process ended:\n${out}`);
      return out.includes("ready");
    }, "the conversion process to queue the conversion");
    await until(async () => ((await conversion())?.progress ?? 0) > 0, "the conversion to make progress in the other process");
    const [ffmpeg] = ffmpegChildrenOf(pid);
    expect(ffmpeg).toBeDefined();
    expect(readdirSync(root).filter((n) => n.includes(".vidlib-"))).toHaveLength(1);

    // The bot runs in this process, on the same database, while the other process holds the conversion's lease.
    h = await startLibraryHarness({ DATA_DIR: dataDir, LIBRARY_ROOTS: root });
    const a = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
    await a.send("slow lecture");
    await a.waitForBotMessage((m) => m.text?.includes("1 video matches") ?? false);
    await a.press(/^1\. Slow lecture/);
    await a.waitForBotMessage((m) => m.text?.startsWith("🎬 Slow lecture.ts") ?? false);
    const answer = await a.press("✖ Cancel conversion");
    expect(answer.text).toBe("Stopping the conversion…");

    await until(async () => (await conversion())?.state === "cancelled", "the conversion to be cancelled");
    await until(() => !alive(ffmpeg ?? 0), "ffmpeg to be stopped");
    expect(ffmpegChildrenOf(pid)).toEqual([]);
    // The other process stopped its conversion without being stopped itself; nothing it wrote is left.
    expect(child.exitCode).toBeNull();
    expect(readdirSync(root).filter((n) => n.includes(".vidlib-"))).toEqual([]);
    expect(existsSync(join(root, "Slow lecture.mp4"))).toBe(false);
    const job = await h.app.services.jobs.get((await conversion())?.job_id ?? 0);
    expect(job?.state).toBe("cancelled");
    const events = await h.app.services.audit.about("conversion", (await conversion())?.id ?? 0);
    expect(events.map((e) => e.action)).toContain("conversion.cancel");
  });
});
