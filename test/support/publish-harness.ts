import { join } from "node:path";
import type { Config } from "../../src/config.js";
import { systemActor } from "../../src/services/people/actor.js";
import { Job } from "../../src/entities/job.js";
import { UploadJob } from "../../src/entities/upload-job.js";
import { Video } from "../../src/entities/video.js";
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
      const row = await h.app.dataSource.getRepository(Video).findOne({ select: { id: true }, where: { fileName } });
      if (row === null) throw new Error(`${fileName} is not in the library`);
      return row.id;
    },
    async setCategory(videoId, categoryId) {
      await services.catalog.setCategory(videoId, await services.categories.byId(categoryId), SYSTEM);
    },
    async uploadJob(videoId) {
      // Attempts and the retry time are the engine's: read from the item's send job (not_before only while it waits for its retry).
      const row = await h.app.dataSource.getRepository(UploadJob).createQueryBuilder("u").leftJoin(Job, "e", "e.id = u.jobId")
        .select("u.id", "id").addSelect("u.state", "state").addSelect("coalesce(e.attempts, 0)", "attempts")
        .addSelect("CASE WHEN e.state = 'queued' THEN e.runAt ELSE 0 END", "not_before").addSelect("u.reason", "reason")
        .where("u.videoId = :videoId", { videoId }).orderBy("u.id", "DESC").limit(1)
        .getRawOne<{ id: number; state: string; attempts: number | string; not_before: number | string; reason: string | null }>();
      // PostgreSQL's bigint expressions come back as text.
      return row === undefined ? undefined : { ...row, attempts: Number(row.attempts), not_before: Number(row.not_before) };
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
