import { In, IsNull, type DataSource, type EntityManager } from "typeorm";
import type { FileStamp } from "../../../services/conversion/ports.js";
import type { DupeStore, FileMove, ShownPair } from "../../../services/dupes/dupe-ports.js";
import type { DupeVideo } from "../../../services/dupes/pairs.js";
import { ContentHash } from "../../../entities/content-hash.js";
import { DupeKeep } from "../../../entities/dupe-keep.js";
import { DupePair } from "../../../entities/dupe-pair.js";
import { FileMove as FileMoveRow } from "../../../entities/file-move.js";
import { Video } from "../../../entities/video.js";
import { inheritTagsAndCategory } from "./video-tags.js";
import { inTransaction } from "./transaction.js";
import { bumpLibraryGeneration } from "./library-index.js";

const VIDEO_FIELDS = ["id", "path", "root", "relativePath", "fileName", "extension", "sizeBytes", "mtimeMs", "fingerprint", "durationS", "width", "height",
  "videoCodec", "audioCodec", "pixelFormat", "container"] as const;
const toVideo = (v: Video): DupeVideo => ({
  id: v.id, path: v.path, root: v.root, relativePath: v.relativePath, fileName: v.fileName, extension: v.extension, sizeBytes: v.sizeBytes,
  mtimeMs: v.mtimeMs, fingerprint: v.fingerprint, durationS: v.durationS, width: v.width, height: v.height, videoCodec: v.videoCodec,
  audioCodec: v.audioCodec, pixelFormat: v.pixelFormat, container: v.container,
});
// In a pair row "original" is the file cleanup acts on and "copy" the one that stays.
const toPair = (r: DupePair): ShownPair => ({
  id: r.id, kind: r.kind as ShownPair["kind"], removeId: r.originalId, keepId: r.copyId, removeStamp: { size: r.originalSize, mtimeMs: r.originalMtime },
  keepStamp: { size: r.copySize, mtimeMs: r.copyMtime }, verified: r.verified === 1, listedAt: r.createdAt, resolution: r.resolution,
});

interface MoveRow {
  id: unknown; videoId: unknown; kind: FileMove["kind"]; fromPath: string; toPath: string; size: unknown; mtimeMs: unknown; movedAt: unknown;
  expiresAt: unknown; fileName: string;
}
const toMove = (r: MoveRow): FileMove => ({
  id: Number(r.id), videoId: Number(r.videoId), kind: r.kind, fromPath: r.fromPath, toPath: r.toPath, stamp: { size: Number(r.size), mtimeMs: Number(r.mtimeMs) },
  movedAt: Number(r.movedAt), expiresAt: r.expiresAt === null ? null : Number(r.expiresAt), fileName: r.fileName,
});

/** Duplicate cleanup's rows, through TypeORM. */
export class SqliteDupeStore implements DupeStore {
  constructor(private readonly dataSource: DataSource) {}

  async candidates(): Promise<DupeVideo[]> {
    const rows = await this.dataSource.getRepository(Video).createQueryBuilder("v").select(VIDEO_FIELDS.map((f) => `v.${f}`))
      .where(`v.status = 'indexed' AND v.media_kind = 'video' AND (v.extension IN ('.ts', '.mp4')
        OR (v.fingerprint IS NOT NULL AND EXISTS (SELECT 1 FROM video o WHERE o.fingerprint = v.fingerprint AND o.id != v.id AND o.status = 'indexed' AND o.media_kind = 'video')))`)
      .orderBy("v.id").getMany();
    return rows.map(toVideo);
  }

  async videos(ids: readonly number[]): Promise<DupeVideo[]> {
    const found = new Map<number, DupeVideo>();
    for (let i = 0; i < ids.length; i += 400) {
      const rows = await this.dataSource.getRepository(Video).find({ select: Object.fromEntries(VIDEO_FIELDS.map((f) => [f, true])), where: { id: In(ids.slice(i, i + 400)) } });
      for (const row of rows) found.set(row.id, toVideo(row));
    }
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  async keptPairs(): Promise<Set<string>> {
    const rows = await this.dataSource.getRepository(DupeKeep).find({ select: { lowId: true, highId: true } });
    return new Set(rows.map((r) => `${r.lowId}:${r.highId}`));
  }

  async keepBoth(lowId: number, highId: number, actorId: string, now: number): Promise<void> {
    await this.dataSource.createQueryBuilder().insert().into(DupeKeep).values({ lowId, highId, actorId, createdAt: now }).orIgnore().updateEntity(false).execute();
  }

  async hashOf(videoId: number, stamp: FileStamp): Promise<string | null> {
    const row = await this.dataSource.getRepository(ContentHash).findOne({ select: { sha256: true }, where: { videoId, sizeBytes: stamp.size, mtimeMs: stamp.mtimeMs } });
    return row?.sha256 ?? null;
  }

  async saveHash(videoId: number, stamp: FileStamp, sha256: string, now: number): Promise<void> {
    await this.dataSource.createQueryBuilder().insert().into(ContentHash).values({ videoId, sizeBytes: stamp.size, mtimeMs: stamp.mtimeMs, sha256, hashedAt: now })
      .orUpdate(["size_bytes", "mtime_ms", "sha256", "hashed_at"], ["video_id"]).updateEntity(false).execute();
  }

  async saveListing(pairs: readonly Omit<ShownPair, "id" | "listedAt" | "resolution">[], now: number): Promise<ShownPair[]> {
    return inTransaction(this.dataSource, async (m) => {
      const saved: ShownPair[] = [];
      for (const p of pairs) {
        const result = await m.insert(DupePair, { kind: p.kind, originalId: p.removeId, copyId: p.keepId, originalSize: p.removeStamp.size,
          originalMtime: p.removeStamp.mtimeMs, copySize: p.keepStamp.size, copyMtime: p.keepStamp.mtimeMs, verified: p.verified ? 1 : 0, createdAt: now });
        saved.push({ ...p, id: Number((result.identifiers[0] as { id: number }).id), listedAt: now, resolution: null });
      }
      return saved;
    });
  }

  async pair(id: number): Promise<ShownPair | null> {
    const row = await this.dataSource.getRepository(DupePair).findOneBy({ id });
    return row === null ? null : toPair(row);
  }

  async nextInListing(pair: ShownPair): Promise<ShownPair | null> {
    const row = await this.dataSource.getRepository(DupePair).createQueryBuilder("p")
      .where("p.created_at = :listedAt AND p.id > :id AND p.resolution IS NULL", { listedAt: pair.listedAt, id: pair.id }).orderBy("p.id").limit(1).getOne();
    return row === null ? null : toPair(row);
  }

  async unresolvedInListing(listedAt: number): Promise<ShownPair[]> {
    return (await this.dataSource.getRepository(DupePair).find({ where: { createdAt: listedAt, resolution: IsNull() }, order: { id: "ASC" } })).map(toPair);
  }

  async resolve(id: number, resolution: string, now: number): Promise<boolean> {
    const result = await this.dataSource.getRepository(DupePair).update({ id, resolution: IsNull() }, { resolution, resolvedAt: now });
    return (result.affected ?? 0) > 0;
  }

  async recordMove(move: Omit<FileMove, "id" | "fileName">, heirId: number | null, actorId: string, reason: string): Promise<{ id: number; heirGotCategory: boolean }> {
    return inTransaction(this.dataSource, async (m) => {
      const result = await m.insert(FileMoveRow, { videoId: move.videoId, kind: move.kind, fromPath: move.fromPath, toPath: move.toPath, sizeBytes: move.stamp.size,
        mtimeMs: move.stamp.mtimeMs, actorId, movedAt: move.movedAt, expiresAt: move.expiresAt });
      await m.update(Video, { id: move.videoId }, { status: "missing", statusReason: reason, updatedAt: move.movedAt });
      await bumpLibraryGeneration(m);
      // Tagging work done on the removed file is not lost: the file that stays takes its tags and, if it has none, its category.
      const heirGotCategory = heirId !== null && await inheritTagsAndCategory(m, move.videoId, heirId, move.movedAt);
      return { id: Number((result.identifiers[0] as { id: number }).id), heirGotCategory };
    });
  }

  async move(id: number): Promise<FileMove | null> {
    const row = await this.moves(this.dataSource.manager).andWhere("m.id = :id", { id }).getRawOne<MoveRow>();
    return row === undefined ? null : toMove(row);
  }

  async recentMoves(limit: number): Promise<FileMove[]> {
    return (await this.moves(this.dataSource.manager).orderBy("m.id", "DESC").limit(limit).getRawMany<MoveRow>()).map(toMove);
  }

  async undoMove(id: number, now: number): Promise<void> {
    await inTransaction(this.dataSource, async (m) => {
      await m.update(FileMoveRow, { id }, { undoneAt: now });
      const row = await m.findOne(FileMoveRow, { select: { videoId: true }, where: { id } });
      if (row !== null) await m.update(Video, { id: row.videoId }, { status: "indexed", statusReason: null, updatedAt: now });
      await bumpLibraryGeneration(m);
    });
  }

  async expiredTrash(now: number): Promise<FileMove[]> {
    return (await this.moves(this.dataSource.manager).andWhere("m.kind = 'trash' AND m.expires_at <= :now", { now }).getRawMany<MoveRow>()).map(toMove);
  }

  async markPurged(id: number, now: number): Promise<void> {
    await this.dataSource.getRepository(FileMoveRow).update({ id }, { purgedAt: now });
  }

  /** Moves still in effect (not undone, not purged), with the moved file's name. */
  private moves(manager: EntityManager) {
    return manager.createQueryBuilder(FileMoveRow, "m").innerJoin(Video, "v", "v.id = m.video_id")
      .select("m.id", "id").addSelect("m.video_id", "videoId").addSelect("m.kind", "kind").addSelect("m.from_path", "fromPath").addSelect("m.to_path", "toPath")
      .addSelect("m.size_bytes", "size").addSelect("m.mtime_ms", "mtimeMs").addSelect("m.moved_at", "movedAt").addSelect("m.expires_at", "expiresAt")
      .addSelect("v.file_name", "fileName").where("m.undone_at IS NULL AND m.purged_at IS NULL");
  }
}
