import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DataSource } from "typeorm";
import { openDatabase } from "../../src/infra/database/database.js";
import { userActor } from "../../src/services/people/actor.js";
import { makeConversion } from "../support/conversion-harness.js";
import { streamsOf } from "../support/frames.js";
import { makeClip } from "../support/media.js";
import { makeTempDir } from "../support/temp-dir.js";
import { HANG_GUARD_MS } from "../support/patience.js";

const CLI = fileURLToPath(new URL("../../bin/vidlib.js", import.meta.url));
let tmp: ReturnType<typeof makeTempDir>;
let ds: DataSource;

beforeEach(() => { tmp = makeTempDir(); });
afterEach(async () => {
  if (ds?.isInitialized) await ds.destroy();
  tmp.cleanup();
});

function startCli(env: Record<string, string>, detached: boolean) {
  const child = spawn(process.execPath, [CLI, "convert"], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"], detached,
  });
  let output = "";
  child.stdout.on("data", (c: Buffer) => { output += c.toString(); });
  child.stderr.on("data", (c: Buffer) => { output += c.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = HANG_GUARD_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("a conversion process killed mid-conversion", () => {
  it("leaves the job for a restart, which removes the partial file and converts it once, in full", async () => {
    const root = join(tmp.dir, "library");
    const dataDir = join(tmp.dir, "data");
    makeClip(join(root, "Lecture 01.ts"), { seconds: 20, video: "mpeg2", size: "640x360", pattern: "testsrc2", rate: 25 });
    ({ dataSource: ds } = await openDatabase({ path: join(dataDir, "vidlib.sqlite") }));
    const c = await makeConversion(ds, root, join(dataDir, "tmp"));
    await c.settings.setPreset("veryslow", userActor(1, "owner"));
    await c.scan();
    const videoId = await c.idOf("Lecture 01.ts");
    await c.service.request([videoId], "card", userActor(1, "owner"));
    const env = { DATA_DIR: dataDir, LIBRARY_ROOTS: root };
    const jobState = async () => (await ds.query<{ state: string; progress: number | null; attempts: number; temp_path: string | null }[]>(
      `SELECT state, progress, attempts, temp_path FROM conversion_job WHERE video_id = ?`, [videoId]))[0];

    // The whole process group dies at once, ffmpeg with it, as when systemd kills the service or the power goes.
    const first = startCli(env, true);
    await until(async () => ((await jobState())?.progress ?? 0) > 0, "the conversion to make progress");
    process.kill(-(first.child.pid ?? 0), "SIGKILL");
    await first.exited;
    const partial = readdirSync(root).filter((n) => n.includes(".vidlib-"));
    expect(partial).toHaveLength(1);
    expect(await jobState()).toMatchObject({ state: "running", attempts: 1 });
    expect(existsSync(join(root, "Lecture 01.mp4"))).toBe(false);

    // The lease has not run out, but the process holding it ran on this machine and is gone: a restart
    // takes the job over at once. (A live process's lease is never taken: test/integration/jobs*.test.ts.)
    expect((await ds.query<{ n: number }[]>(`SELECT count(*) AS n FROM job WHERE kind = 'conversion' AND state = 'running' AND lease_until > ?`, [Date.now()]))[0]?.n).toBe(1);
    const second = startCli(env, false);
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain("Restarting 1 interrupted conversion");
    expect(await jobState()).toMatchObject({ state: "done", attempts: 2, temp_path: null });
    expect(readdirSync(root).filter((n) => n.includes(".vidlib-"))).toEqual([]);
    expect(readdirSync(join(dataDir, "tmp"))).toEqual([]);
    const [v] = streamsOf(join(root, "Lecture 01.mp4"));
    expect(v).toMatchObject({ codec_name: "h264", pix_fmt: "yuv420p" });
    const outputs = await ds.query<{ n: number }[]>(`SELECT count(*) AS n FROM video WHERE derived_from_id = ?`, [videoId]);
    expect(outputs[0]?.n).toBe(1);
    const done = await ds.query<{ n: number }[]>(`SELECT count(*) AS n FROM audit_event WHERE action = 'conversion.done' AND target_id = ?`, [String(videoId)]);
    expect(done[0]?.n).toBe(1);
  });
});
