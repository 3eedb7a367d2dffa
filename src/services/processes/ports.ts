/** A vidlib process as it announced itself. */
export interface ProcessRecord {
  /** Its owner name on job leases (host:pid:random). */
  readonly id: string;
  readonly name: string;
  readonly role: "primary" | "worker";
  readonly kinds: readonly string[];
  readonly host: string;
  readonly pid: number;
  readonly startedAt: number;
  readonly seenAt: number;
  readonly stoppedAt: number | null;
  readonly lostReportedAt: number | null;
}

/** A job a process holds now. */
export interface HeldJob {
  readonly owner: string;
  readonly id: number;
  readonly kind: string;
  /** 0..1, null when the job reports none. */
  readonly progress: number | null;
}

/** Where processes announce themselves, and what the job engine's rows say they run and ran. */
export interface ProcessStore {
  /** Inserts or replaces this process's row (a start). */
  announce(record: Omit<ProcessRecord, "stoppedAt" | "lostReportedAt">): Promise<void>;
  /** It is alive now: seen again, and no longer reported lost. */
  seen(id: string, now: number): Promise<void>;
  stopped(id: string, now: number): Promise<void>;
  /** Marks a lost process as reported, unless it was seen since `seenBefore` or is already reported; true when this call marked it. */
  markLostReported(id: string, seenBefore: number, now: number): Promise<boolean>;
  /** Every process that has not stopped, and those that stopped since `stoppedSince`; newest start first. */
  list(stoppedSince: number): Promise<ProcessRecord[]>;
  /** Running jobs whose owner is one of these. */
  held(owners: readonly string[]): Promise<HeldJob[]>;
  /** Jobs done since `since`, per owner. */
  doneSince(owners: readonly string[], since: number): Promise<Map<string, number>>;
  /**
   * Announces a primary unless another primary is alive (not stopped, seen at or after `aliveSince`, and not
   * known to be gone by `isGone`), in one transaction; returns that other primary, or null when this one is in.
   */
  claimPrimary(record: Omit<ProcessRecord, "stoppedAt" | "lostReportedAt">, aliveSince: number, isGone: (id: string) => boolean): Promise<ProcessRecord | null>;
  /** Drops rows of processes that stopped before `before` (history no one looks at). */
  forgetStopped(before: number): Promise<number>;
}
