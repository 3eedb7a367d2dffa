import type { EntityManager } from "typeorm";
import { Video } from "../../../entities/video.js";

const BATCH = 400;

/** Adds (video, tag) links, skipping those already there; returns nothing, so callers that need to know ask first. */
export async function addTagLinks(manager: EntityManager, links: readonly (readonly [videoId: number, tagId: number])[]): Promise<void> {
  for (let i = 0; i < links.length; i += BATCH) {
    const values = links.slice(i, i + BATCH).map(([videoId, tagId]) => ({ video_id: videoId, tag_id: tagId }));
    await manager.createQueryBuilder().insert().into("video_tag", ["video_id", "tag_id"]).values(values).orIgnore().updateEntity(false).execute();
  }
}

/** The tag ids linked to a video. */
export async function tagIdsOf(manager: EntityManager, videoId: number): Promise<number[]> {
  const rows = await manager.createQueryBuilder().select("vt.tag_id", "tagId").from("video_tag", "vt").where("vt.video_id = :videoId", { videoId })
    .getRawMany<{ tagId: unknown }>();
  return rows.map((r) => Number(r.tagId));
}

/**
 * Work done on one file is not lost when another takes its place (a converted copy, the file kept of a duplicate pair):
 * `heir` takes `from`'s tags and, when it has none, its category. Says whether the heir was given a category.
 */
export async function inheritTagsAndCategory(manager: EntityManager, fromId: number, heirId: number, now: number, extra: Partial<Video> = {}): Promise<boolean> {
  const from = await manager.createQueryBuilder(Video, "v").select("v.category_id", "categoryId").where("v.id = :fromId", { fromId }).getRawOne<{ categoryId: unknown }>();
  const categoryId = from?.categoryId === null || from?.categoryId === undefined ? null : Number(from.categoryId);
  await manager.createQueryBuilder().update(Video).set({ ...extra, updatedAt: now }).where("id = :heirId", { heirId }).updateEntity(false).execute();
  let given = false;
  if (categoryId !== null) {
    const result = await manager.createQueryBuilder().update(Video).set({ category: { id: categoryId } }).where("id = :heirId AND category_id IS NULL", { heirId })
      .updateEntity(false).execute();
    given = result.affected === 1;
  }
  await addTagLinks(manager, (await tagIdsOf(manager, fromId)).map((tagId) => [heirId, tagId] as const));
  return given;
}
