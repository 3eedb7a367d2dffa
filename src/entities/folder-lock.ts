import { Column, Entity, PrimaryColumn } from "typeorm";

/**
 * A lease on one folder (a library folder being scanned, a sync's destination being written), so two
 * processes never work on the same folder at once. Taken only when free or expired; renewed while held;
 * deleted when released. A holder that died loses it when `lease_until` passes.
 */
@Entity({ name: "folder_lock" })
export class FolderLock {
  /** What is locked: "scan:<library folder>", "sync:<destination folder>". */
  @PrimaryColumn({ type: "text" })
  name!: string;

  /** host:pid:random, as on job leases (newProcessOwner). */
  @Column({ type: "text" })
  owner!: string;

  /** Until when (ms) the lock holds without a renewal. */
  @Column({ type: "integer", name: "lease_until" })
  leaseUntil!: number;

  /** When its holder last renewed it (ms): when it was last heard from. */
  @Column({ type: "integer", name: "renewed_at" })
  renewedAt!: number;
}
