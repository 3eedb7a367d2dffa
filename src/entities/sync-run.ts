import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { SyncFolder } from "./sync-folder.js";

/** The table's inline `CHECK`s on `state` and `removals` are unnamed; TypeORM knows only named checks, so they stay in the migration. */
export type SyncRunState = "planning" | "preview" | "copying" | "done" | "failed" | "cancelled";
export type SyncRemovals = "none" | "apply";

/**
 * One sync of a folder, with its items, so an interrupted run resumes where it stopped and a preview is
 * exactly what a confirmation applies. One active (planning or copying) run per folder; the job engine
 * (kind sync.run, keyed per folder) claims and leases it. `heartbeatAt` is when progress was last written;
 * `owner` is no longer written (the engine's job holds it).
 */
@Entity({ name: "sync_run" })
@Index("IDX_sync_run_active", ["folderId"], { unique: true, where: `"state" IN ('planning', 'copying')` })
@Index("IDX_sync_run_state", ["state", "id"])
export class SyncRun {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Column({ type: "integer", name: "folder_id" })
  folderId!: number;

  @ManyToOne(() => SyncFolder, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "folder_id" })
  folder!: Relation<SyncFolder>;

  @Column({ type: "text" })
  state!: SyncRunState;

  @Column({ type: "text", default: "none" })
  removals!: SyncRemovals;

  @Column({ type: "text", name: "actor_kind" })
  actorKind!: string;

  @Column({ type: "text", name: "actor_id" })
  actorId!: string;

  @Column({ type: "integer", name: "chat_id", nullable: true })
  chatId!: number | null;

  @Column({ type: "integer", name: "message_id", nullable: true })
  messageId!: number | null;

  @Column({ type: "text", nullable: true })
  owner!: string | null;

  @Column({ type: "integer", name: "heartbeat_at", nullable: true })
  heartbeatAt!: number | null;

  @Column({ type: "integer", name: "files_total", default: 0 })
  filesTotal!: number;

  @Column({ type: "integer", name: "bytes_total", default: 0 })
  bytesTotal!: number;

  @Column({ type: "integer", name: "files_done", default: 0 })
  filesDone!: number;

  @Column({ type: "integer", name: "bytes_done", default: 0 })
  bytesDone!: number;

  @Column({ type: "integer", default: 0 })
  copied!: number;

  @Column({ type: "integer", default: 0 })
  removed!: number;

  @Column({ type: "integer", default: 0 })
  failed!: number;

  @Column({ type: "text", nullable: true })
  error!: string | null;

  @Column({ type: "integer", name: "created_at" })
  createdAt!: number;

  @Column({ type: "integer", name: "finished_at", nullable: true })
  finishedAt!: number | null;

  @Column({ type: "integer", name: "trash_purged_at", nullable: true })
  trashPurgedAt!: number | null;
}
