import type { Actor } from "../people/actor.js";
import { requirePermission } from "../people/permissions.js";
import type { AuditService } from "../audit/audit.js";
import type { Clock } from "../shared/clock.js";
import type { AdminNotifier } from "../notices/notifier.js";
import type { SettingsService } from "../settings/settings.js";
import { JobAborted, type JobContext, type JobOutcome } from "../jobs/job.js";
import type { JobQueue } from "../jobs/job-queue.js";
import { CONVERSION, CONVERSION_AUTO, conversionKey, type ConversionPayload } from "./conversion-kinds.js";
import type { ConversionExecutor, ExecutionOutcome } from "./executor.js";
import type { ConversionJob, ConversionStore, JobOrigin, JobState, JobSummary, SourceVideo } from "./job.js";
import { planConversion, type ConversionPlan } from "./plan.js";
import { NO_FOLLOW_UPS, type VideoChanges } from "../follow-up/video-follow-ups.js";

export interface ConversionServiceDeps {
  readonly store: ConversionStore;
  readonly executor: ConversionExecutor;
  /** The job engine: a request enqueues one conversion job per video; the runner calls `run`. */
  readonly jobs: JobQueue;
  readonly audit: AuditService;
  readonly notifier: AdminNotifier;
  readonly settings: SettingsService;
  readonly clock: Clock;
  /** Extensions converted automatically when that setting is on. */
  readonly autoExtensions: readonly string[];
  /** How many new files one read of the automatic sweep takes (it reads until none is left); 100 by default. */
  readonly autoBatch?: number;
  /** A playable MP4 larger than this is compressed to fit it. */
  readonly uploadLimitBytes?: number;
  /** A video's conversion ended (done, failed or cancelled): uploads waiting for it go on. */
  readonly ended?: (videoId: number) => Promise<void>;
  /**
   * A video's card shows its conversion (waiting, progress, failure, its MP4): every write to a conversion's
   * history here is followed by the redraw of that video's cards; an adopted MP4 also gets its search document.
   */
  readonly followUps?: VideoChanges;
}

/** What a request to convert some videos did. */
export interface RequestReport {
  readonly queued: number[];
  readonly already: number[];
  readonly notNeeded: number[];
  readonly impossible: { readonly id: number; readonly why: string }[];
}

export { RETRY_DELAYS_MS } from "./conversion-kinds.js";
const DAY_MS = 86_400_000;

/**
 * Persistent background conversion: requests, cancels and retries, with a `conversion_job` row per request
 * as the history people see (progress, mode, outcome); claiming, leases, backoff and cancel are the job engine's.
 */
export class ConversionService {
  constructor(private readonly deps: ConversionServiceDeps) {}

  private get followUps(): VideoChanges {
    return this.deps.followUps ?? NO_FOLLOW_UPS;
  }

  /** Queues conversions for these videos (in the order given), skipping those that need none or cannot be converted. */
  async request(videoIds: readonly number[], origin: JobOrigin, actor: Actor): Promise<RequestReport> {
    requirePermission(actor, "convert");
    await this.reconcile();
    const report: RequestReport = { queued: [], already: [], notNeeded: [], impossible: [] };
    const wanted: number[] = [];
    for (const source of await this.deps.store.sources(videoIds)) {
      const verdict = await this.classify(source);
      if (verdict.kind === "not-needed") report.notNeeded.push(source.id);
      else if (verdict.kind === "impossible") report.impossible.push({ id: source.id, why: verdict.why });
      else wanted.push(source.id);
    }
    const created = await this.deps.store.enqueue(wanted.map((videoId) => ({ videoId, origin, actor })), this.deps.clock.now());
    for (const [videoId, conversionId] of created) {
      if (conversionId === null) report.already.push(videoId);
      else {
        await this.enqueueJob(videoId, conversionId);
        report.queued.push(videoId);
      }
    }
    await this.followUps.cardsChanged(report.queued);
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

  /**
   * Cancels a job: a queued one at once; a running one through the engine, whichever process runs it
   * (its ffmpeg is stopped within one heartbeat and its temporary file removed).
   */
  async cancel(jobId: number, actor: Actor): Promise<"cancelled" | "stopping" | "finished" | "missing"> {
    requirePermission(actor, "convert");
    const job = await this.deps.store.job(jobId);
    if (job === null) return "missing";
    if (job.state !== "queued" && job.state !== "running") return "finished";
    const engine = job.engineJobId === null ? "unknown" : await this.deps.jobs.cancel(job.engineJobId);
    let result: "cancelled" | "stopping" | "finished";
    if (engine === "requested") result = "stopping";
    else if (job.state === "queued") {
      // Cancelled in the engine (or never enqueued there): the history says so now.
      result = (await this.deps.store.cancelQueued(jobId, this.deps.clock.now())) === "queued" ? "cancelled" : "finished";
      if (result === "cancelled") await this.deps.ended?.(job.videoId);
    } else result = "finished";
    if (result !== "finished") {
      await this.followUps.cardsChanged([job.videoId]);
      await this.deps.audit.record({ actor, action: "conversion.cancel", target: { type: "conversion", id: jobId } });
    }
    return result;
  }

  /** Queues every failed conversion again with fresh attempts. */
  async retryFailed(actor: Actor): Promise<number> {
    requirePermission(actor, "convert");
    const requeued = await this.deps.store.retryFailed(actor, this.deps.clock.now());
    for (const job of requeued) await this.enqueueJob(job.videoId, job.id);
    await this.followUps.cardsChanged(requeued.map((j) => j.videoId));
    const n = requeued.length;
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
    await this.reconcile();
    const counts = await this.deps.store.counts(this.deps.clock.now() - DAY_MS);
    return { counts, jobs: await this.deps.store.list(limit) };
  }

  /** How many conversions run at once in a process (a setting, read by the runner at each fill). */
  get concurrency(): number {
    return this.deps.settings.current.convertConcurrency;
  }

  /** How many running conversions were left by a process that stopped; the next claim takes them over. */
  async interrupted(): Promise<number> {
    // A process of this machine that is gone holds its leases no longer: its conversions are interrupted now.
    await this.deps.jobs.releaseDeadOwners();
    return this.deps.store.interrupted(this.deps.clock.now());
  }

  /** Queues new files for automatic conversion when that setting is on; returns how many. */
  async enqueueAutomatic(): Promise<number> {
    const since = this.deps.settings.current.autoConvertSince;
    if (since === null) return 0;
    // In batches, until none is left: a scan can index thousands of recordings at once.
    let total = 0;
    for (;;) {
      const ids = await this.deps.store.autoCandidates(this.deps.autoExtensions, since, this.deps.autoBatch ?? 100);
      if (ids.length === 0) return total;
      const queued = (await this.request(ids, "auto", { kind: "system", name: "auto-convert" })).queued.length;
      total += queued;
      // Candidates it did not queue would be read again: stop rather than loop.
      if (queued < ids.length) return total;
    }
  }

  /** Asks for an automatic-conversion sweep in the background (after a scan indexed new recordings, and at start-up). */
  async queueAutomaticSweep(): Promise<void> {
    if (this.deps.settings.current.autoConvertSince === null) return;
    await this.deps.jobs.enqueue(CONVERSION_AUTO, null, { key: "sweep" });
  }

  /**
   * Runs one conversion for the engine. Transient failures throw (the engine tries again after 1, 5 and 15
   * minutes); permanent ones return failed. A job taken over from a process that stopped first removes
   * what that process left behind. The output is put in place only under the job's lease (see the executor).
   */
  async run({ payload, attempt, signal, underLease }: JobContext<ConversionPayload>): Promise<JobOutcome> {
    const { store, executor, clock } = this.deps;
    const before = await store.job(payload.conversionId);
    if (before === null || (before.state !== "queued" && before.state !== "running")) return { kind: "done" };
    if (before.state === "running") {
      const source = await store.source(before.videoId);
      await executor.cleanUp(before, source === null ? null : executor.here(source));
    }
    const job = await store.start(before.id, attempt, clock.now());
    if (job === null) return { kind: "done" };
    await this.followUps.cardsChanged([job.videoId]);
    const started = clock.now();
    let outcome: ExecutionOutcome;
    try {
      outcome = await executor.execute(job, signal, underLease);
    } catch (err) {
      outcome = { kind: "failed", reason: `unexpected error: ${(err as Error).message}`, tail: [], transient: true, mode: null, source: null };
    }
    try {
      return await this.settle(job, outcome, signal, started);
    } finally {
      // However it ended (done, failed, waiting to retry, cancelled, handed back), the card says so.
      await this.followUps.cardsChanged([job.videoId]);
    }
  }

  private async settle(job: ConversionJob, outcome: ExecutionOutcome, signal: AbortSignal, started: number): Promise<JobOutcome> {
    const now = this.deps.clock.now();
    const { store, audit, notifier } = this.deps;
    const target = { type: "video", id: job.videoId };
    const system = { kind: "system", name: "converter" } as const;
    if (outcome.kind === "cancelled" || signal.aborted) {
      const why = signal.reason instanceof JobAborted ? signal.reason.why : "cancelled";
      // Stopping hands the job back to the engine, uncounted; a lost lease belongs to the process that took it over.
      if (why === "cancelled") {
        await store.finish(job.id, { state: "cancelled", reason: "cancelled while converting" }, now);
        await this.deps.ended?.(job.videoId);
      }
      else if (why === "stopping") await store.requeue(job.id, 0, "stopped by a shutdown; starts again", false, now);
      throw signal.reason instanceof Error ? signal.reason : new JobAborted("cancelled");
    }
    switch (outcome.kind) {
      case "done":
        if (outcome.outputVideoId !== null) {
          await store.adoptOutput(job.videoId, outcome.outputVideoId, now);
          // The MP4 took its source's tags and category: its search document and cards. The source's card, which
          // shows the MP4, is redrawn once the conversion is recorded and the admins told (see run()).
          await this.followUps.videosChanged([outcome.outputVideoId]);
        }
        await store.finish(job.id, { state: "done", mode: outcome.mode, reason: outcome.note, outputPath: outcome.outputPath, outputVideoId: outcome.outputVideoId }, now);
        if (outcome.outputVideoId !== null) await this.followUps.categorySet([outcome.outputVideoId]);
        await this.deps.ended?.(job.videoId);
        await audit.record({ actor: system, action: "conversion.done", target, after: { mode: outcome.mode, output: outcome.outputPath, seconds: Math.round((now - started) / 1000), note: outcome.note } });
        if (outcome.mode !== "none") {
          await notifier.notifyAdmins({ kind: "conversion.done", fileName: outcome.source.fileName, outputName: outputName(outcome.outputPath),
            mode: outcome.mode, note: outcome.note, elapsedMs: now - started, durationS: outcome.source.durationS });
        }
        return { kind: "done" };
      case "failed": {
        if (outcome.transient && job.attempts < CONVERSION.maxAttempts) {
          await store.requeue(job.id, now + CONVERSION.backoffMs[Math.min(job.attempts, CONVERSION.backoffMs.length) - 1]!, outcome.reason, true, now);
          throw new Error(outcome.reason);
        }
        const reason = outcome.transient ? `${outcome.reason} (gave up after ${job.attempts} attempts)` : outcome.reason;
        await store.finish(job.id, { state: "failed", reason, tail: outcome.tail, mode: outcome.mode }, now);
        await this.deps.ended?.(job.videoId);
        await audit.record({ actor: system, action: "conversion.failed", target, after: { reason } });
        await notifier.notifyAdmins({ kind: "conversion.failed", fileName: outcome.source?.fileName ?? `video ${job.videoId}`, reason, tail: outcome.tail });
        return { kind: "failed", reason };
      }
    }
  }

  /**
   * Keeps the history true to the engine: rows whose job ended without them (a process that died on the last
   * attempt) are ended, and rows left without a job (a stop between the two writes of a request) get one.
   */
  async reconcile(): Promise<void> {
    await this.followUps.cardsChanged(await this.deps.store.settle(this.deps.clock.now()));
    for (const orphan of await this.deps.store.orphans()) await this.enqueueJob(orphan.videoId, orphan.id);
  }

  /** One engine job per video while it is unfinished: asking twice never converts twice. */
  private async enqueueJob(videoId: number, conversionId: number): Promise<void> {
    const key = conversionKey(videoId);
    let { job } = await this.deps.jobs.enqueue(CONVERSION, { conversionId }, { key });
    // The video's previous conversion may still be winding down in the engine after its history row ended.
    if ((JSON.parse(job.payload) as ConversionPayload).conversionId !== conversionId) {
      ({ job } = await this.deps.jobs.enqueue(CONVERSION, { conversionId }, { key: `${key}:${conversionId}` }));
    }
    await this.deps.store.setEngineJob(conversionId, job.id);
  }
}

/** The output's file name alone: notices never show server paths. */
function outputName(path: string | null): string {
  return path === null ? "" : path.split(/[\\/]/).at(-1) ?? "";
}
