import { Cron } from "croner";
import type { Logger } from "../infra/logging/logger.js";
import type { Clock } from "../services/shared/clock.js";
import type { Schedule } from "../services/jobs/job.js";

export type { Schedule };
import type { JobQueue } from "../services/jobs/job-queue.js";
import type { JobStore } from "../services/jobs/job-store.js";

interface Entry {
  readonly schedule: Schedule<unknown>;
  readonly cron: Cron;
  /** The latest slot at or before a time. */
  readonly slotAt: (now: number) => number | undefined;
  /** The last slot this process saw fired or already taken, so a tick in the same slot writes nothing. */
  seen?: number;
}

/**
 * Schedules on croner. A slot is fired by the process whose update moves the schedule's last slot forward
 * (job_schedule), which then enqueues its job, so two processes, or a restart, fire each slot once. A slot missed while no
 * process ran fires at the next start (only the latest one); a new schedule starts with its next slot.
 */
export class Schedules {
  private readonly entries: Entry[] = [];
  private started = false;

  constructor(private readonly store: JobStore, private readonly queue: JobQueue, private readonly clock: Clock, private readonly logger: Logger) {}

  add<P>(schedule: Schedule<P>): void {
    const tick = () => { void this.tick(); };
    let entry: Entry;
    if ("pattern" in schedule) {
      const cron = new Cron(schedule.pattern, { paused: true, timezone: schedule.timezone, catch: true }, tick);
      entry = { schedule, cron, slotAt: (now) => cron.previousRuns(1, new Date(now + 1))[0]?.getTime() };
    } else {
      if (!(schedule.everyMinutes >= 1)) throw new Error(`schedule ${schedule.name}: everyMinutes must be at least 1`);
      // croner ticks every minute; the slot is the interval's, so a tick inside a fired slot does nothing.
      const every = Math.round(schedule.everyMinutes * 60_000);
      entry = { schedule, cron: new Cron("* * * * *", { paused: true, catch: true }, tick), slotAt: (now) => Math.floor(now / every) * every };
    }
    this.entries.push(entry);
    if (this.started) entry.cron.resume();
  }

  /** Fires any slot due now, then lets croner's timers fire the next ones. */
  async start(): Promise<void> {
    this.started = true;
    await this.tick();
    for (const entry of this.entries) entry.cron.resume();
  }

  stop(): void {
    this.started = false;
    for (const entry of this.entries) entry.cron.stop();
  }

  /** Enqueues the latest slot at or before now of each schedule, unless some process already did. */
  async tick(): Promise<void> {
    const now = this.clock.now();
    for (const entry of this.entries) {
      const { schedule } = entry;
      const slot = entry.slotAt(now);
      if (slot === undefined || slot === entry.seen) continue;
      try {
        const fired = await this.store.fireSlot(schedule.name, slot, {
          kind: schedule.kind.name, payload: JSON.stringify(schedule.payload(slot) ?? null), key: `schedule:${schedule.name}:${slot}`,
          group: null, priority: 0, runAt: slot, maxAttempts: schedule.kind.maxAttempts,
        }, now);
        entry.seen = slot;
        if (fired) {
          this.logger.info({ schedule: schedule.name, slot: new Date(slot).toISOString() }, "a schedule enqueued its job");
          this.queue.wake(schedule.kind.name);
        }
      } catch (err) {
        this.logger.error({ err, schedule: schedule.name }, "a schedule could not enqueue its job");
      }
    }
  }
}
