import { join, relative } from "node:path";
import { AUDIO_ONLY_WHY } from "../conversion/plan.js";
import type { Actor } from "../people/actor.js";
import type { AuditService } from "../audit/audit.js";
import type { Clock } from "../shared/clock.js";
import type { MediaTool } from "../conversion/ports.js";
import { errorTail } from "../conversion/ffmpeg-spec.js";
import type { MediaProber } from "../library/media.js";
import type { VideoLocator } from "../library/locator.js";
import type { AdminNotifier } from "../notices/notifier.js";
import { requirePermission } from "../people/permissions.js";
import { JobAborted, type JobContext, type JobOutcome } from "../jobs/job.js";
import type { JobQueue } from "../jobs/job-queue.js";
import { EXPORT_HLS, type ExportPayload } from "./export-job.js";
import { hlsSpec, ladderFor, parseMasterPlaylist, type Rung } from "./hls-args.js";
import type { ExportFiles, ExportJob, ExportSource, ExportState, ExportStore } from "./ports.js";

export interface ExportDeps {
  readonly store: ExportStore;
  /** The job engine, which runs each export (see export-job.ts). */
  readonly jobs: JobQueue;
  readonly files: ExportFiles;
  readonly tool: MediaTool;
  readonly prober: MediaProber;
  readonly audit: AuditService;
  readonly notifier: AdminNotifier;
  readonly clock: Clock;
  /** Where finished exports go, one folder per video. */
  readonly exportDir: string;
  /** Where a video is on this machine (a worker's mounts differ from the primary's); by default where the index says. */
  readonly locator?: VideoLocator;
}

export interface ExportRequest {
  readonly queued: number[];
  readonly skipped: { readonly videoId: number; readonly why: string }[];
}

const PROGRESS_EVERY_MS = 2000;

/** The folder name of a video's export: its id (unique) and a readable, file-system-safe stem. */
export function exportFolderName(videoId: number, fileName: string): string {
  const stem = fileName.replace(/\.[^.]+$/u, "").replace(/[^\p{L}\p{N} ._-]+/gu, "_").replace(/\s+/gu, " ").trim().slice(0, 80);
  return `${videoId} - ${stem === "" ? "video" : stem}`;
}

/** HLS exports for the organisation's own web player: requests, the ffmpeg run as a job, verification with ffprobe, notices and audit. */
export class ExportService {
  constructor(private readonly deps: ExportDeps) {}

  /** The folder finished exports go to (one folder per video in it), so a list can show where each one is. */
  get folder(): string {
    return this.deps.exportDir;
  }

  /** Queues exports of these videos; explains the ones that cannot be exported. */
  async request(actor: Actor, videoIds: readonly number[], origin: "video" | "category"): Promise<ExportRequest> {
    requirePermission(actor, "export");
    const { store } = this.deps;
    await this.reconcile();
    const result: ExportRequest = { queued: [], skipped: [] };
    for (const videoId of videoIds) {
      const source = await store.source(videoId);
      const why = source === null ? "it is no longer in the library" : this.problemOf(source);
      if (why !== null) {
        result.skipped.push({ videoId, why });
        continue;
      }
      if (await this.enqueue(videoId, origin, actor)) result.queued.push(videoId);
      else result.skipped.push({ videoId, why: "an export of it is already queued or running" });
    }
    if (result.queued.length > 0) {
      await this.deps.audit.recordMany(result.queued.map((id) => ({ actor, action: "export.request", target: { type: "video", id }, after: { origin } })));
    }
    return result;
  }

  /** Queues exports of every playable video in a category. */
  async requestCategory(actor: Actor, categoryId: number): Promise<ExportRequest> {
    requirePermission(actor, "export");
    return this.request(actor, await this.deps.store.categoryVideos(categoryId), "category");
  }

  async overview(limit = 10): Promise<{ counts: Record<ExportState, number>; recent: ExportJob[] }> {
    await this.reconcile();
    return { counts: await this.deps.store.counts(), recent: await this.deps.store.recent(limit) };
  }

  /**
   * Runs one export as the engine's job: progress goes to its row in /exports; the job's signal (a cancel,
   * a stop, a lost lease) stops ffmpeg and removes the working folder.
   */
  async run(context: JobContext<ExportPayload>): Promise<JobOutcome> {
    const { store, clock } = this.deps;
    const job = await store.get(context.payload.exportId);
    // Its row ended already (e.g. the process stopped between finishing it and recording the job).
    if (job === null || (job.state !== "queued" && job.state !== "running")) return { kind: "done" };
    const work = join(this.deps.exportDir, `.partial-${job.id}-${context.attempt}`);
    // What an earlier attempt whose process died left behind.
    for (const old of [`.partial-${job.id}`, ...Array.from({ length: context.attempt - 1 }, (_, i) => `.partial-${job.id}-${i + 1}`)]) {
      await this.deps.files.remove(join(this.deps.exportDir, old));
    }
    await store.start(job.id, clock.now());
    try {
      return await this.execute(job, work, context);
    } catch (err) {
      await this.deps.files.remove(work);
      await this.abandoned(job, context, err);
      throw err;
    }
  }

  /**
   * Keeps the history true to the engine: exports whose job ended without them are ended, and an export
   * left without a job (a stop between the two writes of a request) gets one, or goes if another waits.
   */
  async reconcile(): Promise<void> {
    await this.deps.store.settle(this.deps.clock.now());
    for (const orphan of await this.deps.store.orphans()) await this.attachJob(orphan.id, orphan.videoId);
  }

  private async enqueue(videoId: number, origin: string, actor: Actor): Promise<boolean> {
    const exportId = await this.deps.store.enqueue(videoId, origin, actor, this.deps.clock.now());
    if (exportId === null) return false;
    return this.attachJob(exportId, videoId);
  }

  private async attachJob(exportId: number, videoId: number): Promise<boolean> {
    // The key makes a second request while one waits the same job; the payload names the row, which exists before the job can start.
    const { job, created } = await this.deps.jobs.enqueue(EXPORT_HLS, { exportId, videoId }, { key: `video:${videoId}` });
    if (!created) {
      await this.deps.store.discard(exportId);
      return false;
    }
    await this.deps.store.attach(exportId, job.id);
    return true;
  }

  /** Records why the run stopped without a result, as the engine will: handed back, cancelled, or failed for good. */
  private async abandoned(job: ExportJob, context: JobContext<ExportPayload>, err: unknown): Promise<void> {
    const why = context.signal.aborted && context.signal.reason instanceof JobAborted ? context.signal.reason.why : null;
    const now = this.deps.clock.now();
    // Another process runs it now; this one writes nothing more.
    if (why === "lease-lost") return;
    if (why === "cancelled") return this.deps.store.finish(job.id, "cancelled", {}, now);
    if (why === "stopping" || context.attempt < EXPORT_HLS.maxAttempts) return this.deps.store.requeue(job.id, now);
    await this.fail(job, job.fileName, `the export stopped unexpectedly: ${(err as Error).message}`, []);
  }

  private problemOf(source: ExportSource): string | null {
    if (source.status !== "indexed") return `it is ${source.status}`;
    if (source.mediaKind === "audio") return AUDIO_ONLY_WHY.export;
    if (source.height === null || source.durationS === null || source.durationS <= 0) return "it has no video stream";
    return null;
  }

  private async execute(job: ExportJob, work: string, context: JobContext<ExportPayload>): Promise<JobOutcome> {
    const { store, files, clock } = this.deps;
    const { signal } = context;
    const source = await store.source(job.videoId);
    const problem = source === null ? "it is no longer in the library" : this.problemOf(source);
    if (source === null || problem !== null) return this.fail(job, job.fileName, problem ?? "", []);
    const input = this.deps.locator === undefined ? source.path : this.deps.locator.here(source);
    if (input === null) return this.fail(job, source.fileName, `its library folder (${source.folder ?? source.root}) is not one of the primary's library folders`, []);
    const ladder = ladderFor(source.height ?? 0);
    const final = join(this.deps.exportDir, exportFolderName(source.id, source.fileName));
    await files.prepare(work);
    let lastProgress = 0;
    const outcome = await this.deps.tool.run(hlsSpec(input, work, ladder, source.audioCodec !== null), {
      signal,
      onProgress: (p) => {
        const now = clock.now();
        if (now - lastProgress < PROGRESS_EVERY_MS) return;
        lastProgress = now;
        const share = Math.min(0.99, p.timeS / (source.durationS ?? 1));
        // The engine's progress also tells whether the lease still holds; only then does the row move.
        void context.progress(share).then((held) => held ? store.progress(job.id, share, clock.now()) : undefined).catch(() => undefined);
      },
    });
    signal.throwIfAborted();
    if (!outcome.ok) {
      await files.remove(work);
      return this.fail(job, source.fileName, `ffmpeg failed: ${outcome.reason}`, errorTail(outcome.tail));
    }
    const verified = await this.verify(work, ladder, source);
    signal.throwIfAborted();
    if (verified !== null) {
      await files.remove(work);
      return this.fail(job, source.fileName, `the export did not verify: ${verified}`, []);
    }
    await files.publish(work, final);
    const rungs = ladder.map((r) => r.name).join(", ");
    await store.finish(job.id, "done", { rungs, outputDir: final }, clock.now());
    await this.deps.audit.record({ actor: job.actor, action: "export.done", target: { type: "video", id: source.id }, after: { folder: final, rungs } });
    await this.deps.notifier.notifyAdmins({ kind: "export.ready", fileName: source.fileName, rungs, playlist: `${relative(this.deps.exportDir, final)}/master.m3u8` });
    return { kind: "done" };
  }

  /** Checks the master playlist lists every rung at its size, and ffprobe reads each rung with the source's duration. */
  private async verify(dir: string, ladder: readonly Rung[], source: ExportSource): Promise<string | null> {
    let variants;
    try {
      variants = parseMasterPlaylist(await this.deps.files.readText(join(dir, "master.m3u8")));
    } catch (err) {
      return `the master playlist cannot be read (${(err as Error).message})`;
    }
    if (variants.length !== ladder.length) return `the master playlist lists ${variants.length} variants, not ${ladder.length}`;
    for (const rung of ladder) {
      const variant = variants.find((v) => v.uri === `${rung.name}/index.m3u8`);
      if (variant?.height !== rung.height) return `the ${rung.name} variant is missing or has the wrong size`;
      const probed = await this.deps.prober.probe(join(dir, rung.name, "index.m3u8"));
      if (!probed.ok) return `ffprobe cannot read the ${rung.name} playlist`;
      const { media } = probed;
      if (media.videoCodec !== "h264" || media.height !== rung.height) return `the ${rung.name} stream is ${media.videoCodec ?? "no video"} at ${media.height ?? 0}p`;
      if ((source.audioCodec !== null) !== (media.audioCodec === "aac")) return `the ${rung.name} stream's audio is ${media.audioCodec ?? "missing"}`;
      if (Math.abs(media.durationS - (source.durationS ?? 0)) > Math.max(1, (source.durationS ?? 0) * 0.01)) {
        return `the ${rung.name} stream lasts ${media.durationS.toFixed(1)} s, the source ${(source.durationS ?? 0).toFixed(1)} s`;
      }
    }
    return null;
  }

  /** The export failed for good: its row, the audit and the admins say why; the job is not tried again. */
  private async fail(job: ExportJob, fileName: string, why: string, tail: readonly string[]): Promise<JobOutcome> {
    await this.deps.store.finish(job.id, "failed", { error: why }, this.deps.clock.now());
    await this.deps.audit.record({ actor: job.actor, action: "export.fail", target: { type: "video", id: job.videoId }, after: { why } });
    await this.deps.notifier.notifyAdmins({ kind: "export.failed", fileName, why, tail });
    return { kind: "failed", reason: why };
  }
}
