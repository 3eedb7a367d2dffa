import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { Video } from "./video.js";

/** The table's `CHECK ("state" IN (…))` is inline and unnamed; TypeORM knows only named checks, so it stays in the migration. */
export type ConversionJobState = "queued" | "running" | "done" | "failed" | "cancelled";

/** A conversion of a video to MP4; one active (queued or running) job per video. */
@Entity({ name: "conversion_job" })
@Index("IDX_conversion_job_active", ["videoId"], { unique: true, where: `"state" IN ('queued', 'running')` })
@Index("IDX_conversion_job_state", ["state", "id"])
@Index("IDX_conversion_job_video", ["videoId", "id"])
export class ConversionJob {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Column({ type: "integer", name: "video_id" })
  videoId!: number;

  @ManyToOne(() => Video, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "video_id" })
  video!: Relation<Video>;

  /** The job engine's job that runs it; no foreign key: finished engine jobs may be cleared away. */
  @Column({ type: "integer", name: "job_id", nullable: true })
  jobId!: number | null;

  @Column({ type: "text" })
  state!: ConversionJobState;

  @Column({ type: "text" })
  origin!: string;

  @Column({ type: "text", name: "actor_kind" })
  actorKind!: string;

  @Column({ type: "text", name: "actor_id" })
  actorId!: string;

  @Column({ type: "integer", default: 0 })
  attempts!: number;

  @Column({ type: "integer", name: "not_before", default: 0 })
  notBefore!: number;

  @Column({ type: "text", nullable: true })
  mode!: string | null;

  @Column({ type: "text", name: "temp_path", nullable: true })
  tempPath!: string | null;

  @Column({ type: "text", name: "output_path", nullable: true })
  outputPath!: string | null;

  /** No foreign key: the output may be indexed after the job is done, or removed later. */
  @Column({ type: "integer", name: "output_video_id", nullable: true })
  outputVideoId!: number | null;

  @Column({ type: "real", nullable: true })
  progress!: number | null;

  @Column({ type: "real", nullable: true })
  speed!: number | null;

  @Column({ type: "real", name: "eta_s", nullable: true })
  etaS!: number | null;

  @Column({ type: "text", nullable: true })
  reason!: string | null;

  @Column({ type: "text", name: "error_tail", nullable: true })
  errorTail!: string | null;

  @Column({ type: "integer", name: "created_at" })
  createdAt!: number;

  @Column({ type: "integer", name: "started_at", nullable: true })
  startedAt!: number | null;

  @Column({ type: "integer", name: "finished_at", nullable: true })
  finishedAt!: number | null;

  @Column({ type: "integer", name: "updated_at" })
  updatedAt!: number;
}
