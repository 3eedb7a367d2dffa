import { afterEach, beforeEach, expect, test } from "vitest";
import type { DataSource } from "typeorm";
import { TypeormUploadStore } from "../../src/infra/database/stores/upload-store.js";
import type { SentRecord } from "../../src/services/publish/upload-job.js";
import { makeTestDatabase } from "../support/database.js";
import { insertVideo } from "../support/videos.js";

let db: Awaited<ReturnType<typeof makeTestDatabase>>;
let ds: DataSource;
let store: TypeormUploadStore;
beforeEach(async () => { db = await makeTestDatabase(); ds = db.dataSource; store = new TypeormUploadStore(ds); });
afterEach(async () => { await db.close(); });

const NOW = 1_700_000_000_000;
const admin = { kind: "user", id: 1 } as const;

/** Channel 1 (public) carries category 1; channel 2 (staff) carries category 2, which reviews first. */
async function channels(): Promise<void> {
  await ds.query(`INSERT INTO channel (id, chat_id, title, username, audience, created_at) VALUES (1, -1001, 'Physics', 'phys', 'public', 1), (2, -1002, 'Staff', NULL, 'staff', 1)`);
  await ds.query(`INSERT INTO category (id, name, key, audience, review_first, created_at) VALUES (1, 'Physics', 'physics', 'public', 0, 1), (2, 'Internal', 'internal', 'staff', 1, 1)`);
  await ds.query(`INSERT INTO category_channel (category_id, channel_id, actor_id, updated_at) VALUES (1, 1, 'test', 1), (2, 2, 'test', 1)`);
}

/** Queues one item for the video and returns its id. */
async function queue(videoId: number): Promise<number> {
  const item = (await store.enqueue([{ videoId, origin: "card", actor: admin, force: false }], NOW)).get(videoId);
  if (item === null || item === undefined) throw new Error(`video ${videoId} was not queued`);
  return item.id;
}

const sent = (sendVideoId: number, messageId: number | null, chatId = -1001): SentRecord => ({
  channelId: chatId === -1001 ? 1 : 2, chatId, channelTitle: "Physics", channelUsername: "phys", sendVideoId, messageId, fileId: null, caption: "c", draft: null,
});

/** Sends a new item of the video into the channel and returns the post's id. */
async function post(videoId: number, sendVideoId: number, messageId: number | null, chatId = -1001): Promise<number> {
  const id = await queue(videoId);
  await store.markUploading(id, { id: chatId === -1001 ? 1 : 2, chatId }, NOW);
  return (await store.recordSent(id, sent(sendVideoId, messageId, chatId), "1", NOW)).id;
}

test("/queue lists sending, then waiting for a person, then the line by place, then each video's latest failure newest first; counts agree", async () => {
  await channels();
  const v = await Promise.all(["a.mp4", "b.mp4", "c.mp4", "d.mp4", "e.mp4", "f.mp4", "g.mp4", "h.mp4", "i.mp4"].map((name) => insertVideo(ds, name, { category: name === "e.mp4" ? null : 1 })));
  const [uploading, uncertain, retrying, waiting, converting, failedTwice, failed, sentToday, review] = v as [number, number, number, number, number, number, number, number, number];
  const ids = new Map<number, number>();
  for (const video of v) ids.set(video, await queue(video));
  const item = (video: number): number => ids.get(video)!;

  await store.markUploading(item(uploading), { id: 1, chatId: -1001 }, NOW);
  await store.markUploading(item(uncertain), { id: 1, chatId: -1001 }, NOW);
  await store.markInterrupted(item(uncertain), NOW);
  await store.setState(item(converting), "converting", "waiting for its MP4", NOW);
  await store.finish(item(failedTwice), "failed", "first", NOW);
  await store.finish(item(failed), "failed", "once", NOW);
  await store.markUploading(item(sentToday), { id: 1, chatId: -1001 }, NOW);
  await store.recordSent(item(sentToday), sent(sentToday, 50), "1", NOW);
  await store.markUploading(item(review), { id: 1, chatId: -1001 }, NOW);
  await store.recordDraft(item(review), { chatId: -5, messageId: 6, fileId: null }, review, "c", NOW);
  const again = await queue(failedTwice);
  await store.finish(again, "failed", "second", NOW);
  // The engine waits to try one item again; another's engine job is due already (not a retry).
  await ds.query(`INSERT INTO job (id, kind, payload, state, priority, run_at, attempts, max_attempts, cancel_requested, created_at, updated_at)
    VALUES (1, 'upload.send', '{}', 'queued', 0, ?, 2, 5, 0, 1, 1), (2, 'upload.send', '{}', 'queued', 0, ?, 0, 5, 0, 1, 1)`, [NOW + 60_000, NOW - 1]);
  await store.setEngineJob(item(retrying), 1);
  await store.setEngineJob(item(waiting), 2);
  expect(await store.toFront(item(waiting))).toBe(2);

  const listed = await store.list(100);
  expect(listed.map((j) => [j.videoId, j.state])).toEqual([
    [uploading, "uploading"], [uncertain, "uncertain"], [review, "review"], [waiting, "queued"], [retrying, "queued"], [converting, "converting"],
    [failedTwice, "failed"], [failed, "failed"],
  ]);
  expect(listed[6]).toMatchObject({ id: again, reason: "second" });
  expect(listed.find((j) => j.videoId === retrying)).toMatchObject({ fileName: "c.mp4", channelTitle: "Physics", attempts: 2, notBefore: NOW + 60_000 });
  expect(listed.find((j) => j.videoId === converting)).toMatchObject({ fileName: "e.mp4", channelTitle: null, attempts: 0, notBefore: 0 });
  expect((await store.list(3)).map((j) => j.videoId)).toEqual([uploading, uncertain, review]);
  expect(await store.counts(NOW - 1000, NOW)).toEqual({ queued: 1, converting: 1, uploading: 1, retrying: 1, failed: 2, uncertain: 1, sentToday: 1, review: 1 });
  expect(await store.counts(NOW + 1, NOW)).toMatchObject({ sentToday: 0, failed: 2 });
  expect([await store.position(item(waiting)), await store.position(item(retrying)), await store.position(item(converting))]).toEqual([1, 2, 3]);

  expect((await store.jobsIn("failed")).map((j) => j.id)).toEqual([item(failedTwice), item(failed), again]);
  expect((await store.settlesPlanned()).map((j) => j.id)).toEqual([item(uncertain)]);
  const latest = await store.latestFor([failedTwice, review, 9999]);
  expect([...latest].map(([video, job]) => [video, job.id]).sort()).toEqual([[failedTwice, again], [review, item(review)]].sort());
  expect(latest.get(review)?.draft).toEqual({ chatId: -5, messageId: 6, fileId: null });

  expect((await store.retryFailed(NOW)).map((j) => j.id)).toEqual([item(failed), again]);
  expect((await store.job(item(failedTwice)))?.state).toBe("failed");
  expect(await store.cancel(item(failed), NOW)).toBe("queued");
  expect(await store.cancel(12345, NOW)).toBeNull();
});

test("a send's facts, its video's family, its posts, and who may be queued", async () => {
  await channels();
  const original = await insertVideo(ds, "Lecture.mkv", { category: 2, probed: true });
  const copy = await insertVideo(ds, "Lecture.mp4", { category: 2 });
  const copy2 = await insertVideo(ds, "Lecture (2).mp4");
  const other = await insertVideo(ds, "Other.mp4");
  await ds.query(`UPDATE video SET derived_from_id = ? WHERE id IN (?, ?)`, [original, copy, copy2]);
  await ds.query(`INSERT INTO tag (id, name, key, created_at) VALUES (1, 'Zeta', 'zeta', 1), (2, 'alpha', 'alpha', 1), (3, 'Mid', 'mid', 1)`);
  await ds.query(`INSERT INTO video_tag (video_id, tag_id) VALUES (?, 1), (?, 2), (?, 3), (?, 1)`, [original, original, original, other]);

  expect(await store.facts(original)).toMatchObject({
    id: original, fileName: "Lecture.mkv", extension: ".mkv", durationS: 3723, width: 1920, height: 1080, videoCodec: "h264", derivedFromId: null,
    tags: ["alpha", "Mid", "Zeta"], reviewFirst: true, category: { id: 2, name: "Internal", audience: "staff" },
    channel: { id: 2, chatId: -1002, title: "Staff", username: null, audience: "staff" },
  });
  expect(await store.facts(copy2)).toMatchObject({ derivedFromId: original, tags: [], reviewFirst: false, category: null, channel: null });
  expect(await store.facts(9999)).toBeNull();
  // The video, the one it was converted from and those converted from it; not its siblings.
  expect((await store.family(original)).sort()).toEqual([original, copy, copy2].sort());
  expect((await store.family(copy)).sort()).toEqual([original, copy].sort());
  expect(await store.family(other)).toEqual([other]);

  const first = await post(original, copy, 10);
  const unnumbered = await post(copy, copy, null);
  const deleted = await post(other, other, 30);
  const last = await post(copy2, copy2, 20, -1002);
  await store.markPublicationDeleted(deleted, NOW);
  expect((await store.livePublications([copy])).map((p) => p.id)).toEqual([first, unnumbered]);
  expect((await store.livePublications([other, copy2])).map((p) => p.id)).toEqual([last]);
  expect(await store.livePublications([])).toEqual([]);
  expect(await store.publication(first)).toMatchObject({ videoId: original, sentVideoId: copy, channelId: 1, chatId: -1001, messageId: 10, sentAt: NOW });
  expect(await store.publication(9999)).toBeNull();
  expect((await store.allLivePublications(10)).map((p) => p.id)).toEqual([last, first]);
  expect((await store.allLivePublications(1)).map((p) => p.id)).toEqual([last]);
  expect(await store.postsInChat(-1001)).toEqual([{ messageId: 10, sentAt: NOW }, { messageId: 30, sentAt: NOW }]);

  const active = await queue(other);
  const result = await store.enqueue([
    { videoId: other, origin: "bulk", actor: admin, force: true }, { videoId: 9999, origin: "bulk", actor: admin, force: true },
    { videoId: original, origin: "bulk", actor: admin, force: true },
  ], NOW);
  expect(result.get(other)).toBeNull();
  expect(result.get(9999)).toBeNull();
  const queued = result.get(original);
  expect(queued?.seq).toBe((await store.job(active))!.seq + 1);
  expect(await store.job(queued!.id)).toMatchObject({ videoId: original, state: "queued", force: true, origin: "bulk", actor: { kind: "user", id: 1 } });
});
