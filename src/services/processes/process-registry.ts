import type { Clock } from "../shared/clock.js";
import type { AdminNotifier } from "../notices/notifier.js";
import { requirePermission } from "../people/permissions.js";
import type { Actor } from "../people/actor.js";
import type { HeldJob, ProcessRecord, ProcessStore } from "./ports.js";

/** How often a process says it is alive. */
export const PRESENCE_BEAT_MS = 15_000;
/** Not seen for this long (four beats missed): lost. Its jobs return to the queue when their leases end. */
export const LOST_AFTER_MS = 60_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** One process as /workers shows it. */
export interface ProcessView {
  readonly name: string;
  readonly role: ProcessRecord["role"];
  readonly kinds: readonly string[];
  readonly host: string;
  readonly state: "running" | "lost" | "stopped";
  readonly seenAt: number;
  readonly startedAt: number;
  readonly running: readonly HeldJob[];
  readonly doneToday: number;
}

/**
 * The processes that run vidlib's jobs: each announces itself at start, says it is alive every few seconds
 * and says goodbye at a graceful stop. One that falls silent is reported to the admins once; the engine
 * gives its jobs to another process when their leases end.
 */
export class ProcessRegistry {
  /** `isGone`: whether a process is known to have ended (it ran on this machine and its pid is gone). */
  constructor(private readonly store: ProcessStore, private readonly clock: Clock, private readonly notifier: AdminNotifier,
    private readonly isGone: (id: string) => boolean = () => false) {}

  /**
   * This process becomes the primary (the one that polls Telegram, sends uploads and runs the schedules),
   * unless another primary is alive on this database: then that one is returned and this one must not start.
   * A primary that crashed on this machine is known to be gone at once; one on another machine after it has
   * been silent for LOST_AFTER_MS. (On PostgreSQL an advisory lock guards this too, against two starting at once.)
   */
  async claimPrimary(process: { id: string; name: string; kinds: readonly string[]; host: string; pid: number }): Promise<{ ok: true } | { ok: false; other: ProcessRecord }> {
    const now = this.clock.now();
    const other = await this.store.claimPrimary({ ...process, role: "primary", startedAt: now, seenAt: now }, now - LOST_AFTER_MS, this.isGone);
    return other === null ? { ok: true } : { ok: false, other };
  }

  /** This process starts: its row, under the owner name it uses on leases. */
  async announce(process: { id: string; name: string; role: ProcessRecord["role"]; kinds: readonly string[]; host: string; pid: number }): Promise<void> {
    const now = this.clock.now();
    await this.store.announce({ ...process, startedAt: now, seenAt: now });
  }

  /** This process is alive. */
  async beat(id: string): Promise<void> {
    await this.store.seen(id, this.clock.now());
  }

  /** This process stops gracefully: it is not lost. */
  async goodbye(id: string): Promise<void> {
    await this.store.stopped(id, this.clock.now());
  }

  /** Every process running (or lost) and those stopped in the last day, with what each runs now and finished today. */
  async overview(actor: Actor): Promise<ProcessView[]> {
    requirePermission(actor, "workers");
    const now = this.clock.now();
    const processes = await this.store.list(now - DAY_MS);
    const ids = processes.map((p) => p.id);
    const held = await this.store.held(ids);
    const done = await this.store.doneSince(ids, startOfDay(now));
    return processes.map((p) => ({
      name: p.name, role: p.role, kinds: p.kinds, host: p.host, seenAt: p.seenAt, startedAt: p.startedAt,
      state: p.stoppedAt !== null ? "stopped" : now - p.seenAt > LOST_AFTER_MS ? "lost" : "running",
      running: p.stoppedAt !== null ? [] : held.filter((j) => j.owner === p.id), doneToday: done.get(p.id) ?? 0,
    }));
  }

  /** Tells the admins about each process that fell silent, once per disappearance; returns how many were told. */
  async reportLost(): Promise<number> {
    const now = this.clock.now();
    const silentSince = now - LOST_AFTER_MS;
    const lost = (await this.store.list(now)).filter((p) => p.stoppedAt === null && p.lostReportedAt === null && p.seenAt < silentSince);
    let told = 0;
    for (const process of lost) {
      if (!(await this.store.markLostReported(process.id, silentSince, now))) continue;
      const running = await this.store.held([process.id]);
      await this.notifier.notifyAdmins({ kind: "process.lost", name: process.name, host: process.host, role: process.role, seenAt: process.seenAt,
        jobs: running.map((j) => j.kind) });
      told++;
    }
    await this.store.forgetStopped(now - 7 * DAY_MS);
    return told;
  }
}

/** Midnight of the day of `now`, in this machine's time zone. */
function startOfDay(now: number): number {
  const day = new Date(now);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}
