import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { SyncRun } from "./sync-run.js";

/** The table's inline `CHECK`s on `action` and `state` are unnamed; TypeORM knows only named checks, so they stay in the migration. */
export type SyncItemAction = "copy" | "remove";
export type SyncItemState = "pending" | "done" | "failed" | "skipped";

/** One copy or removal of a sync run. */
@Entity({ name: "sync_item" })
@Index("IDX_sync_item_run", ["runId", "state", "id"])
export class SyncItem {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Column({ type: "integer", name: "run_id" })
  runId!: number;

  @ManyToOne(() => SyncRun, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "run_id" })
  run!: Relation<SyncRun>;

  @Column({ type: "text" })
  action!: SyncItemAction;

  /** Relative to the sync folder. */
  @Column({ type: "text", name: "rel_path" })
  relPath!: string;

  @Column({ type: "integer", name: "size_bytes" })
  sizeBytes!: number;

  @Column({ type: "real", name: "mtime_ms" })
  mtimeMs!: number;

  @Column({ type: "text", default: "pending" })
  state!: SyncItemState;

  @Column({ type: "text", nullable: true })
  error!: string | null;

  /** When a removal moved to the trash was put back; it is then no longer listed as in the trash. */
  @Column({ type: "integer", name: "restored_at", nullable: true })
  restoredAt!: number | null;
}
