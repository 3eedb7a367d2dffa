import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { Video } from "./video.js";

/** The table's `CHECK ("state" IN (…))` is inline and unnamed; TypeORM knows only named checks, so it stays in the migration. */
export type HlsExportState = "queued" | "running" | "done" | "failed" | "cancelled";

/**
 * An HLS export of a video, as /exports shows it; one active (queued or running) export per video.
 * The job engine runs it: `jobId` names that job (a `job` row of kind "export.hls").
 */
@Entity({ name: "hls_export" })
@Index("IDX_hls_export_active", ["videoId"], { unique: true, where: `"state" IN ('queued', 'running')` })
@Index("IDX_hls_export_state", ["state", "id"])
export class HlsExport {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Column({ type: "integer", name: "video_id" })
  videoId!: number;

  @ManyToOne(() => Video, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "video_id" })
  video!: Relation<Video>;

  @Column({ type: "text" })
  state!: HlsExportState;

  @Column({ type: "text" })
  origin!: string;

  @Column({ type: "text", name: "actor_kind" })
  actorKind!: string;

  @Column({ type: "text", name: "actor_id" })
  actorId!: string;

  /** JSON of the renditions. */
  @Column({ type: "text", nullable: true })
  rungs!: string | null;

  @Column({ type: "text", name: "output_dir", nullable: true })
  outputDir!: string | null;

  @Column({ type: "real", nullable: true })
  progress!: number | null;

  @Column({ type: "text", nullable: true })
  error!: string | null;

  @Column({ type: "integer", name: "job_id", nullable: true })
  jobId!: number | null;

  @Column({ type: "integer", name: "created_at" })
  createdAt!: number;

  @Column({ type: "integer", name: "started_at", nullable: true })
  startedAt!: number | null;

  @Column({ type: "integer", name: "finished_at", nullable: true })
  finishedAt!: number | null;

  @Column({ type: "integer", name: "updated_at" })
  updatedAt!: number;
}
