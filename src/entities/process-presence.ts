import { Column, Entity, PrimaryColumn } from "typeorm";

/**
 * One vidlib process (the primary, or a worker started with `vidlib worker`) as it announces itself: what
 * it may run and when it last said it was alive. Its id is the owner name on its job leases, so what it
 * runs now and what it finished are read from the engine's own rows.
 */
@Entity({ name: "process_presence" })
export class ProcessPresence {
  /** host:pid:random, as on its leases (newProcessOwner). */
  @PrimaryColumn({ type: "text" })
  id!: string;

  @Column({ type: "text" })
  name!: string;

  /** "primary" or "worker". */
  @Column({ type: "text" })
  role!: string;

  /** The job kinds it runs, comma-separated. */
  @Column({ type: "text" })
  kinds!: string;

  @Column({ type: "text" })
  host!: string;

  @Column({ type: "integer" })
  pid!: number;

  @Column({ type: "integer", name: "started_at" })
  startedAt!: number;

  @Column({ type: "integer", name: "seen_at" })
  seenAt!: number;

  /** Set by a graceful stop: a stopped process is not lost. */
  @Column({ type: "integer", name: "stopped_at", nullable: true })
  stoppedAt!: number | null;

  /** When the admins were told it disappeared; cleared when it is seen again, so each disappearance is told once. */
  @Column({ type: "integer", name: "lost_reported_at", nullable: true })
  lostReportedAt!: number | null;
}
