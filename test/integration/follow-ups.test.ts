import { afterEach, beforeEach, expect, test } from "vitest";
import { join } from "node:path";
import type { DataSource } from "typeorm";
import { userActor } from "../../src/services/people/actor.js";
import { systemClock } from "../../src/services/shared/clock.js";
import { VideoFollowUps, type VideoChanges } from "../../src/services/follow-up/video-follow-ups.js";
import { JobQueue } from "../../src/services/jobs/job-queue.js";
import { TypeormFollowUpStore } from "../../src/infra/database/stores/follow-up-store.js";
import { TypeormJobStore } from "../../src/infra/database/stores/job-store.js";
import { makeConversion } from "../support/conversion-harness.js";
import { makeTestDatabase } from "../support/database.js";
import { makeClip } from "../support/media.js";
import { makeTempDir } from "../support/temp-dir.js";

let db: { dataSource: DataSource; close: () => Promise<void> };
let tmp: ReturnType<typeof makeTempDir>;
const ADMIN = userActor(1, "owner");

beforeEach(async () => {
  db = await makeTestDatabase();
  tmp = makeTempDir();
});
afterEach(async () => {
  await db.close();
  tmp.cleanup();
});

/** The real follow-ups, noting what the conversion history showed each time a card redraw was asked for. */
class SeenByCards implements VideoChanges {
  readonly seen: { state: string; progress: number }[] = [];
  constructor(private readonly real: VideoFollowUps, private readonly ds: DataSource, private readonly watched: () => number | null) {}

  videosChanged(videoIds: readonly number[], options?: { readonly searchMarked?: boolean }): Promise<void> {
    return this.real.videosChanged(videoIds, options);
  }

  categorySet(videoIds: readonly number[]): Promise<void> {
    return this.real.categorySet(videoIds);
  }

  async cardsChanged(videoIds: readonly number[]): Promise<void> {
    const watched = this.watched();
    if (watched !== null && videoIds.includes(watched)) {
      const [row] = await this.ds.query<{ state: string; progress: number | null }[]>(`SELECT state, progress FROM conversion_job WHERE video_id = ? ORDER BY id DESC LIMIT 1`, [watched]);
      if (row !== undefined) this.seen.push({ state: row.state, progress: row.progress ?? 0 });
    }
    await this.real.cardsChanged(videoIds);
  }
}

test("a conversion asks for its video's shown card to be redrawn when queued, as it starts, at each progress and at its end; its MP4 is listed for search", async () => {
  const ds = db.dataSource;
  const root = join(tmp.dir, "library");
  makeClip(join(root, "Phy", "Slow.ts"), { seconds: 8, video: "mpeg2", size: "640x360", pattern: "testsrc2", rate: 25 });
  const real = new VideoFollowUps(new TypeormFollowUpStore(ds), new JobQueue(new TypeormJobStore(ds), systemClock));
  let source: number | null = null;
  const cards = new SeenByCards(real, ds, () => source);
  const c = await makeConversion(ds, root, join(tmp.dir, "tmp"), { followUps: cards });
  await c.settings.setPreset("veryslow", ADMIN);
  await c.scan();
  source = await c.idOf("Phy/Slow.ts");
  // Someone is looking at the video's card.
  await ds.query(`INSERT INTO video_card (chat_id, message_id, video_id, created_at) VALUES (42, 7, ?, 1)`, [source]);
  await ds.query(`DELETE FROM card_dirty`);
  await ds.query(`DELETE FROM search_dirty`);

  expect((await c.service.request([source], "card", ADMIN)).queued).toEqual([source]);
  expect(await c.runNext()).toBe(true);

  const states = cards.seen.map((s) => s.state);
  expect(states[0]).toBe("queued");
  expect(states).toContain("running");
  expect(cards.seen.some((s) => s.state === "running" && s.progress > 0)).toBe(true);
  expect(states.at(-1)).toBe("done");
  // The card is on the out-of-date list with its job queued; the MP4 (which took the source's tags) is listed for search.
  expect(await ds.query(`SELECT video_id FROM card_dirty`)).toEqual([{ video_id: source }]);
  expect(await ds.query(`SELECT kind, state FROM job WHERE kind IN ('card.refresh', 'search.refresh') ORDER BY kind`))
    .toEqual([{ kind: "card.refresh", state: "queued" }, { kind: "search.refresh", state: "queued" }]);
  const mp4 = await c.idOf("Phy/Slow.mp4");
  expect((await ds.query<{ video_id: number }[]>(`SELECT video_id FROM search_dirty`)).map((r) => r.video_id)).toContain(mp4);
});
