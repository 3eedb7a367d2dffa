import type { Actor } from "../actor.js";
import { requirePermission } from "../permissions.js";
import type { AuditService } from "../audit.js";
import type { Clock } from "../clock.js";
import type { AdminNotifier } from "../notifier.js";
import type { SettingsService } from "../settings.js";
import type { ConversionExecutor, ExecutionOutcome } from "./executor.js";
import type { ConversionJob, ConversionStore, JobOrigin, JobState, JobSummary, SourceVideo } from "./job.js";
import { planConversion, type ConversionPlan } from "./plan.js";

export interface ConversionServiceDeps {
  readonly store: ConversionStore;
  readonly executor: ConversionExecutor;
  readonly audit: AuditService;
  readonly notifier: AdminNotifier;
  readonly settings: SettingsService;
  readonly clock: Clock;
  /** Extensions converted automatically when that setting is on. */
  readonly autoExtensions: readonly string[];
  /** A playable MP4 larger than this is compressed to fit it. */
  readonly uploadLimitBytes?: number;
}

/** What a request to convert some videos did. */
export interface RequestReport {
  readonly queued: number[];
  readonly already: number[];
  readonly notNeeded: number[];
  readonly impossible: { readonly id: number; readonly why: string }[];
}

/** Transient failures (an unmounted share, a full disk) are tried again after these delays, then given up. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000] as const;
const DAY_MS = 86_400_000;
/** A running job's process says it is alive this often; a job silent for STALE_AFTER_MS belongs to a process that stopped. */
export const HEARTBEAT_MS = 10_000;
export const STALE_AFTER_MS = 45_000;

/** Persistent background conversion: requests, cancels, retries, and running due jobs for the worker. */
export class ConversionService {
  private readonly active = new Map<number, { controller: AbortController; why: "cancel" | "shutdown" }>();

  constructor(private readonly deps: ConversionServiceDeps) {}

  /** Queues conversions for these videos (in the order given), skipping those that need none or cannot be converted. */
  async request(videoIds: readonly number[], origin: JobOrigin, actor: Actor): Promise<RequestReport> {
    requirePermission(actor, "convert");
    const report: RequestReport = { queued: [], already: [], notNeeded: [], impossible: [] };
    const wanted: number[] = [];
    for (const source of await this.deps.store.sources(videoIds)) {
      const verdict = await this.classify(source);
      if (verdict.kind === "not-needed") report.notNeeded.push(source.id);
      else if (verdict.kind === "impossible") report.impossible.push({ id: source.id, why: verdict.why });
      else wanted.push(source.id);
    }
    const created = await this.deps.store.enqueue(wanted.map((videoId) => ({ videoId, origin, actor })), this.deps.clock.now());
    for (const [videoId, jobId] of created) (jobId === null ? report.already : report.queued).push(videoId);
    if (report.queued.length > 0) {
      await this.deps.audit.recordMany(report.queued.map((id) => ({ actor, action: "conversion.request", target: { type: "video", id }, after: { origin } })));
    }
    return report;
  }

  /** How many of these videos a conversion request would queue, and how many need none or cannot be converted. */
  async assess(videoIds: readonly number[]): Promise<{ convertible: number; notNeeded: number; impossible: number }> {
    const counts = { convertible: 0, notNeeded: 0, impossible: 0 };
    for (const source of await this.deps.store.sources(videoIds)) {
      const { kind } = await this.classify(source);
      if (kind === "not-needed") counts.notNeeded++;
      else if (kind === "impossible") counts.impossible++;
      else counts.convertible++;
    }
    return counts;
  }

  /** The plan for a source; a video that already has its MP4 is not converted a second time. */
  private async classify(source: SourceVideo): Promise<ConversionPlan> {
    const plan = planConversion(source, this.deps.uploadLimitBytes);
    if (plan.kind !== "remux" && plan.kind !== "transcode") return plan;
    return (await this.deps.store.derivedOf(source.id)) === null ? plan : { kind: "not-needed", why: "it already has its MP4" };
  }

  /** Cancels a job: a queued one at once, a running one by stopping ffmpeg (its temporary file is removed). */
  async cancel(jobId: number, actor: Actor): Promise<"cancelled" | "stopping" | "finished" | "missing"> {
    requirePermission(actor, "convert");
    const running = this.active.get(jobId);
    if (running !== undefined) {
      running.why = "cancel";
      running.controller.abort();
      await this.deps.audit.record({ actor, action: "conversion.cancel", target: { type: "conversion", id: jobId } });
      return "stopping";
    }
    const before = await this.deps.store.cancelQueued(jobId, this.deps.clock.now());
    if (before === null) return "missing";
    if (before !== "queued") return "finished";
    await this.deps.audit.record({ actor, action: "conversion.cancel", target: { type: "conversion", id: jobId } });
    return "cancelled";
  }

  /** Queues every failed conversion again with fresh attempts. */
  async retryFailed(actor: Actor): Promise<number> {
    requirePermission(actor, "convert");
    const n = await this.deps.store.retryFailed(actor, this.deps.clock.now());
    if (n > 0) await this.deps.audit.record({ actor, action: "conversion.retry_failed", after: { jobs: n } });
    return n;
  }

  /** The newest job of each video (for cards). */
  latestFor(videoIds: readonly number[]): Promise<Map<number, ConversionJob>> {
    return this.deps.store.latestFor(videoIds);
  }

  /** Place in line of a queued job (1 = next). */
  position(jobId: number): Promise<number> {
    return this.deps.store.position(jobId);
  }

  /** The MP4 converted from a video, if any. */
  derivedOf(videoId: number): Promise<{ id: number; fileName: string } | null> {
    return this.deps.store.derivedOf(videoId);
  }

  /** Counts (finished ones: the last 24 hours) and the jobs to show in /convert. */
  async overview(limit: number): Promise<{ counts: Record<JobState, number>; jobs: JobSummary[] }> {
    const counts = await this.deps.store.counts(this.deps.clock.now() - DAY_MS);
    return { counts, jobs: await this.deps.store.list(limit) };
  }

  /** How many jobs run at once now (a setting). */
  get concurrency(): number {
    return this.deps.settings.current.convertConcurrency;
  }

  get runningCount(): number {
    return this.active.size;
  }

  /**
   * Jobs whose process stopped (a crash, a power cut) lose their temporary files and wait in line again.
   * A job is another process's while its heartbeat is fresh (the CLI can convert beside the bot).
   */
  async recover(): Promise<number> {
    const stale = (await this.deps.store.stale(this.deps.clock.now() - STALE_AFTER_MS)).filter((j) => !this.active.has(j.id));
    for (const job of stale) {
      const source = await this.deps.store.source(job.videoId);
      await this.deps.executor.cleanUp(job, source?.path ?? null);
      await this.deps.store.requeue(job.id, 0, "interrupted; started again", true, this.deps.clock.now());
    }
    return stale.length;
  }

  /** Queues new files for automatic conversion when that setting is on; returns how many. */
  async enqueueAutomatic(): Promise<number> {
    const since = this.deps.settings.current.autoConvertSince;
    if (since === null) return 0;
    const ids = await this.deps.store.autoCandidates(this.deps.autoExtensions, since, 100);
    if (ids.length === 0) return 0;
    return (await this.request(ids, "auto", { kind: "system", name: "auto-convert" })).queued.length;
  }

  /** Runs the next due job, if any; false when there was none. */
  async runNext(): Promise<boolean> {
    const job = await this.deps.store.claimNext(this.deps.clock.now());
    if (job === null) return false;
    const entry = { controller: new AbortController(), why: "cancel" as "cancel" | "shutdown" };
    this.active.set(job.id, entry);
    const started = this.deps.clock.now();
    const heartbeat = setInterval(() => { void this.deps.store.touch(job.id, this.deps.clock.now()); }, HEARTBEAT_MS);
    try {
      const outcome = await this.deps.executor.execute(job, entry.controller.signal);
      await this.settle(job, outcome, entry.why, started);
    } catch (err) {
      await this.settle(job, { kind: "failed", reason: `unexpected error: ${(err as Error).message}`, tail: [], transient: true, mode: null, source: null }, entry.why, started);
      throw err;
    } finally {
      clearInterval(heartbeat);
      this.active.delete(job.id);
    }
    return true;
  }

  /** Stops running conversions for a shutdown; they start again, from the beginning, at the next start. */
  stopAll(): void {
    for (const entry of this.active.values()) {
      entry.why = "shutdown";
      entry.controller.abort();
    }
  }

  private async settle(job: ConversionJob, outcome: ExecutionOutcome, why: "cancel" | "shutdown", started: number): Promise<void> {
    const now = this.deps.clock.now();
    const { store, audit, notifier } = this.deps;
    const target = { type: "video", id: job.videoId };
    const system = { kind: "system", name: "converter" } as const;
    switch (outcome.kind) {
      case "cancelled":
        if (why === "shutdown") await store.requeue(job.id, 0, "stopped by a shutdown; starts again", false, now);
        else await store.finish(job.id, { state: "cancelled", reason: "cancelled while converting" }, now);
        return;
      case "done":
        if (outcome.outputVideoId !== null) await store.adoptOutput(job.videoId, outcome.outputVideoId, now);
        await store.finish(job.id, { state: "done", mode: outcome.mode, reason: outcome.note, outputPath: outcome.outputPath, outputVideoId: outcome.outputVideoId }, now);
        await audit.record({ actor: system, action: "conversion.done", target, after: { mode: outcome.mode, output: outcome.outputPath, seconds: Math.round((now - started) / 1000), note: outcome.note } });
        if (outcome.mode !== "none") {
          await notifier.notifyAdmins({ kind: "conversion.done", fileName: outcome.source.fileName, outputName: outputName(outcome.outputPath),
            mode: outcome.mode, note: outcome.note, elapsedMs: now - started, durationS: outcome.source.durationS });
        }
        return;
      case "failed": {
        const delay = RETRY_DELAYS_MS[job.attempts - 1];
        if (outcome.transient && delay !== undefined) {
          await store.requeue(job.id, now + delay, outcome.reason, true, now);
          return;
        }
        const reason = outcome.transient ? `${outcome.reason} (gave up after ${job.attempts} attempts)` : outcome.reason;
        await store.finish(job.id, { state: "failed", reason, tail: outcome.tail, mode: outcome.mode }, now);
        await audit.record({ actor: system, action: "conversion.failed", target, after: { reason } });
        await notifier.notifyAdmins({ kind: "conversion.failed", fileName: outcome.source?.fileName ?? `video ${job.videoId}`, reason, tail: outcome.tail });
        return;
      }
    }
  }
}

/** The output's file name alone: notices never show server paths. */
function outputName(path: string | null): string {
  return path === null ? "" : path.split(/[\\/]/).at(-1) ?? "";
}
