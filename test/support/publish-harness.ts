import { join } from "node:path";
import type { Config } from "../../src/config.js";
import { systemActor } from "../../src/services/actor.js";
import { ADMIN_ID, startLibraryHarness, type LibraryHarness } from "./app-harness.js";
import { makeClip, type ClipOptions } from "./media.js";
import type { EmulatedChannel, EmulatedUser } from "./telegram/index.js";
import { HANG_GUARD_MS } from "./patience.js";

/** A clock the test moves forward: real time plus an offset, so timers still run. */
export class ShiftedClock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

export interface PublishHarness extends LibraryHarness {
  readonly admin: EmulatedUser;
  /** A channel in the emulator (the bot an administrator that may post) added to vidlib with an audience. */
  channel(id: number, title: string, audience: string, username?: string): Promise<{ emulated: EmulatedChannel; rowId: number }>;
  /** A category mapped to a channel (by its row id). */
  category(name: string, audience: string, channelRowId: number | null): Promise<number>;
  /** A real tiny MP4 (H.264/AAC) in the library. */
  clip(relativePath: string, options?: ClipOptions): string;
  videoId(fileName: string): Promise<number>;
  setCategory(videoId: number, categoryId: number): Promise<void>;
  uploadJob(videoId: number): Promise<{ id: number; state: string; attempts: number; not_before: number; reason: string | null } | undefined>;
  waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs?: number): Promise<void>;
}

const SYSTEM = systemActor("test");

/** The real app with a library, channels and categories, against the emulator in local mode. */
export async function startPublishHarness(env: Record<string, string> = {}, clock?: ShiftedClock, configure?: (config: Config) => Config): Promise<PublishHarness> {
  const h = await startLibraryHarness({ CHANNEL_POSTS_PER_MINUTE: "600", ...env }, clock, configure);
  const { services } = h.app;
  const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
  return {
    ...h,
    admin,
    async channel(id, title, audience, username) {
      const emulated = h.emu.channel({ id, title, username });
      const added = await services.channels.add(id, audience, SYSTEM);
      if (!added.ok) throw new Error(added.problem);
      return { emulated, rowId: added.channel.id };
    },
    async category(name, audience, channelRowId) {
      const created = await services.categories.create(name, audience, SYSTEM);
      if (!created.ok) throw new Error(JSON.stringify(created.problem));
      if (channelRowId !== null && (await services.channels.map(created.category, channelRowId, SYSTEM)) !== "ok") throw new Error("mapping refused");
      return created.category.id;
    },
    clip(relativePath, options = {}) {
      return makeClip(join(h.library, relativePath), { seconds: 1, ...options });
    },
    async videoId(fileName) {
      const [row] = await h.app.dataSource.query<{ id: number }[]>(`SELECT id FROM video WHERE file_name = ?`, [fileName]);
      if (row === undefined) throw new Error(`${fileName} is not in the library`);
      return row.id;
    },
    async setCategory(videoId, categoryId) {
      await services.catalog.setCategory(videoId, await services.categories.byId(categoryId), SYSTEM);
    },
    async uploadJob(videoId) {
      const [row] = await h.app.dataSource.query<{ id: number; state: string; attempts: number; not_before: number; reason: string | null }[]>(
        // Attempts and the retry time are the engine's: read from the item's send job (not_before only while it waits for its retry).
        `SELECT u.id, u.state, coalesce(e.attempts, 0) AS attempts, CASE WHEN e.state = 'queued' THEN e.run_at ELSE 0 END AS not_before, u.reason
          FROM upload_job u LEFT JOIN job e ON e.id = u.job_id WHERE u.video_id = ? ORDER BY u.id DESC LIMIT 1`, [videoId]);
      return row;
    },
    async waitFor(check, what, timeoutMs = HANG_GUARD_MS) {
      const deadline = Date.now() + timeoutMs;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}
