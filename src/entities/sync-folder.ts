import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/** A source folder mirrored into a folder of the library. */
@Entity({ name: "sync_folder" })
@Index("IDX_sync_folder_pair", ["sourcePath", "targetPath"], { unique: true })
export class SyncFolder {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Column({ type: "text", name: "source_path" })
  sourcePath!: string;

  @Column({ type: "text", name: "target_path" })
  targetPath!: string;

  @Column({ type: "text", name: "actor_id" })
  actorId!: string;

  @Column({ type: "integer", name: "created_at" })
  createdAt!: number;

  /** No foreign key (the runs reference the folder, not the other way round). */
  @Column({ type: "integer", name: "last_run_id", nullable: true })
  lastRunId!: number | null;
}
