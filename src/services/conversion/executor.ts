import { basename, dirname, join } from "node:path";
import type { Clock } from "../shared/clock.js";
import type { MediaInfo, MediaProber } from "../library/media.js";
import type { RuntimeSettings } from "../settings/settings.js";
import { compressionTarget, tightened, type CompressionTarget } from "./budget.js";
import { compressSpecs, remuxSpec, transcodeSpec } from "./conversion-args.js";
import type { FfmpegSpec } from "./ffmpeg-spec.js";
import type { ConversionJob, ConversionStore, JobMode, PlacedSource, SourceVideo } from "./job.js";
import { durationsAgree, outputNameFor, planConversion } from "./plan.js";
import type { VideoChanges } from "../follow-up/video-follow-ups.js";
import type { UnderLease } from "../jobs/job.js";
import type { ConversionFiles, FfmpegOutcome, LibraryAdopter, MediaTool } from "./ports.js";
import type { VideoLocator } from "../library/locator.js";

export interface ExecutorDeps {
  readonly store: ConversionStore;
  readonly tool: MediaTool;
  readonly prober: MediaProber;
  readonly files: ConversionFiles;
  readonly adopter: LibraryAdopter;
  readonly clock: Clock;
  readonly settings: () => RuntimeSettings;
  readonly uploadLimitBytes: number;
  /** This process's local scratch folder: ffmpeg's output and two-pass statistics (never inside the library). */
  readonly tempDir: string;
  readonly progressIntervalMs?: number;
  /** The video's card shows the progress: each progress write is followed by its redraw. */
  readonly followUps?: Pick<VideoChanges, "cardsChanged">;
  /** Where a video is on this machine (a worker's mounts differ from the primary's); by default where the index says. */
  readonly locator?: VideoLocator;
}

const AS_RECORDED: VideoLocator = { here: (file) => file.path, recorded: () => null };

/** How one run of a job ended. */
export type ExecutionOutcome =
  | { readonly kind: "done"; readonly mode: JobMode; readonly outputPath: string | null; readonly outputVideoId: number | null; readonly note: string | null; readonly source: SourceVideo }
  | { readonly kind: "failed"; readonly reason: string; readonly tail: readonly string[]; readonly transient: boolean; readonly mode: JobMode | null; readonly source: SourceVideo | null }
  | { readonly kind: "cancelled" };

type Step = { ok: true; size: number; media: MediaInfo | null } | { ok: false; outcome: ExecutionOutcome };
/** A verified result in scratch, or how the job ended before there was one. */
type Produced = { kind: "ready"; size: number; media: MediaInfo | null; mode: JobMode; note: string | null } | { kind: "ended"; outcome: ExecutionOutcome };

/** One attempt's files: ffmpeg's output and two-pass log in local scratch, and the hidden name beside the source. */
interface JobPaths {
  readonly scratch: string;
  readonly passLog: string;
  readonly hidden: string;
}

const mb = (bytes: number): string => `${Math.floor(bytes / 1048576)} MB`;

/** Converts one job's source into a verified, faststart MP4 beside it; never overwrites a file and never touches the source. */
export class ConversionExecutor {
  private readonly locator: VideoLocator;

  constructor(private readonly deps: ExecutorDeps) {
    this.locator = deps.locator ?? AS_RECORDED;
  }

  /** The source's path on this machine; null when its library folder is not one of the primary's. */
  here(source: PlacedSource): string | null {
    return this.locator.here(source);
  }

  /** A job's files beside the target: hidden (the scanner skips them) and named by the job, so a restart can find them. */
  static tempPrefix(jobId: number): string {
    return `.vidlib-${jobId}-`;
  }

  /** A job's files in this process's scratch folder, named by the job for the same reason. */
  static scratchPrefix(jobId: number): string {
    return `job-${jobId}-`;
  }

  /** Removes whatever a job left behind, every attempt's (after a crash: the next attempt calls it before it starts). */
  async cleanUp(job: ConversionJob, sourcePath: string | null): Promise<void> {
    const prefix = ConversionExecutor.tempPrefix(job.id);
    if (job.tempPath !== null) await this.deps.files.removePrefixed(dirname(job.tempPath), prefix);
    if (sourcePath !== null) await this.deps.files.removePrefixed(dirname(sourcePath), prefix);
    await this.deps.files.removePrefixed(this.deps.tempDir, ConversionExecutor.scratchPrefix(job.id));
  }

  /**
   * ffmpeg writes into local scratch, where the result is verified; it is then copied to a hidden name beside
   * the source, and renamed to its final name only under the job's lease (`underLease`): a process that lost
   * the job (taken over after its lease ran out) never puts its output in place.
   */
  async execute(job: ConversionJob, signal: AbortSignal, underLease: UnderLease): Promise<ExecutionOutcome> {
    const recorded = await this.deps.store.source(job.videoId);
    // From here on the source's path is where this machine finds it.
    const here = recorded === null ? null : this.here(recorded);
    const source = recorded === null || here === null ? recorded : { ...recorded, path: here };
    const fail = (reason: string, transient = false, tail: readonly string[] = [], mode: JobMode | null = null): ExecutionOutcome =>
      ({ kind: "failed", reason, tail, transient, mode, source });
    if (source === null) return fail("the video is no longer in the library");
    if (here === null) return fail(`its library folder (${source.folder ?? source.root}) is not one of the primary's library folders`);
    const plan = planConversion(source, this.deps.uploadLimitBytes);
    if (plan.kind === "impossible") return fail(`it cannot be converted: ${plan.why}`);
    if (plan.kind === "not-needed") return { kind: "done", mode: "none", outputPath: null, outputVideoId: null, note: plan.why, source };
    const dir = dirname(source.path);
    const stamp = await this.deps.files.stamp(source.path);
    if (stamp === null) {
      return (await this.deps.files.folderReachable(dir)) ? fail("the source file is gone") : fail("its folder cannot be reached (is the share mounted?)", true);
    }
    if (stamp.size !== source.sizeBytes || Math.abs(stamp.mtimeMs - source.mtimeMs) > 1) return fail("the file changed since it was scanned; it is converted after the next scan", true);
    // Each attempt has names of its own: a process that lost the job and is still winding down removes only its own files.
    const paths: JobPaths = {
      hidden: join(dir, `${ConversionExecutor.tempPrefix(job.id)}${job.attempts}-convert.mp4`),
      scratch: join(this.deps.tempDir, `${ConversionExecutor.scratchPrefix(job.id)}${job.attempts}-convert.mp4`),
      passLog: join(this.deps.tempDir, `${ConversionExecutor.scratchPrefix(job.id)}${job.attempts}-pass`),
    };
    // Reserved now, not when the result is ready: a folder vidlib cannot write to fails before an hour of encoding.
    await this.deps.files.reserve(paths.hidden);
    await this.deps.store.setTemp(job.id, paths.hidden, this.deps.clock.now());
    try {
      const produced = await this.convert(job, source, plan.kind === "remux", plan.audio, plan.kind === "remux" && plan.audioToAac, paths, signal, fail);
      if (produced.kind !== "ready") return produced.outcome;
      return await this.publish(source, paths, produced, underLease, fail);
    } finally {
      await this.deps.files.remove(paths.hidden);
      await this.deps.files.remove(paths.scratch);
      await this.deps.files.removePrefixed(this.deps.tempDir, `${ConversionExecutor.scratchPrefix(job.id)}${job.attempts}-`);
    }
  }

  private async convert(job: ConversionJob, source: SourceVideo, remux: boolean, audio: boolean, audioToAac: boolean, paths: JobPaths, signal: AbortSignal,
    fail: (reason: string, transient?: boolean, tail?: readonly string[], mode?: JobMode | null) => ExecutionOutcome): Promise<Produced> {
    const limit = this.deps.uploadLimitBytes;
    const preset = this.deps.settings().convertPreset;
    const out = paths.scratch;
    let mode: JobMode = remux ? "remux" : "transcode";
    let note: string | null = null;
    let produced: Step = { ok: true, size: Number.POSITIVE_INFINITY, media: null };
    // A remux keeps the size: when the source is over the limit, going straight to compression saves a pass.
    if (!(remux && source.sizeBytes > limit)) {
      produced = await this.attempt(job, source, remux ? remuxSpec(source.path, out, audio, audioToAac) : transcodeSpec(source.path, out, audio, preset), out, audio, signal, mode);
      if (!produced.ok && remux && produced.outcome.kind === "failed" && !produced.outcome.transient) {
        // Some recordings have streams that copy badly (broken timestamps): re-encoding fixes most.
        note = `stream copy failed (${produced.outcome.reason}), so it was re-encoded`;
        mode = "transcode";
        produced = await this.attempt(job, source, transcodeSpec(source.path, out, audio, preset), out, audio, signal, mode);
      }
      if (!produced.ok) return { kind: "ended", outcome: produced.outcome };
    }
    if (produced.size > limit) {
      const budget = compressionTarget(source.durationS ?? 0, limit, audio);
      if (!budget.ok) return { kind: "ended", outcome: fail(`it is larger than the ${mb(limit)} upload limit and ${budget.reason}`, false, [], "compress") };
      mode = "compress";
      const compressed = await this.compress(job, source, budget.target, audio, paths, signal);
      if (!compressed.ok) return { kind: "ended", outcome: compressed.outcome };
      produced = compressed;
      note = `compressed to ${budget.target.videoKbps} kbit/s video to fit the ${mb(limit)} upload limit`;
    }
    return { kind: "ready", size: produced.size, media: produced.media, mode, note };
  }

  private async compress(job: ConversionJob, source: SourceVideo, first: CompressionTarget, audio: boolean, paths: JobPaths, signal: AbortSignal): Promise<Step> {
    const limit = this.deps.uploadLimitBytes;
    let target: CompressionTarget | null = first;
    for (let round = 0; round < 2 && target !== null; round++) {
      const [pass1, pass2] = compressSpecs(source.path, paths.scratch, audio, target, this.deps.settings().convertPreset, paths.passLog);
      const analysed = await this.attempt(job, source, pass1, null, audio, signal, "compress", [0, 0.5]);
      if (!analysed.ok) return analysed;
      const written = await this.attempt(job, source, pass2, paths.scratch, audio, signal, "compress", [0.5, 1]);
      if (!written.ok || written.size <= limit) return written;
      target = tightened(target, written.size, limit);
    }
    return { ok: false, outcome: { kind: "failed", reason: `compression could not bring it under the ${mb(limit)} upload limit at an acceptable quality`, tail: [], transient: false, mode: "compress", source } };
  }

  /** Runs one ffmpeg pass with throttled progress; then, when it wrote the MP4, checks it with ffprobe. */
  private async attempt(job: ConversionJob, source: SourceVideo, spec: FfmpegSpec, output: string | null, audio: boolean, signal: AbortSignal,
    mode: JobMode, span: readonly [number, number] = [0, 1]): Promise<Step> {
    const duration = source.durationS ?? 0;
    const interval = this.deps.progressIntervalMs ?? 3000;
    let last = 0;
    const outcome: FfmpegOutcome = await this.deps.tool.run(spec, {
      signal,
      onProgress: (p) => {
        const now = this.deps.clock.now();
        if (now - last < interval || duration <= 0) return;
        last = now;
        const within = Math.min(1, p.timeS / duration);
        const overall = span[0] + (span[1] - span[0]) * within;
        const eta = p.speed === null ? null : ((1 - overall) / (span[1] - span[0])) * duration / p.speed;
        void this.deps.store.setProgress(job.id, overall, p.speed, eta, now)
          // A redraw that cannot be enqueued now is caught up by the next write of this conversion.
          .then(() => this.deps.followUps?.cardsChanged([job.videoId]).catch(() => undefined));
      },
    });
    if (!outcome.ok) {
      if (outcome.cancelled) return { ok: false, outcome: { kind: "cancelled" } };
      return { ok: false, outcome: { kind: "failed", reason: `ffmpeg failed: ${outcome.reason}`, tail: outcome.tail, transient: outcome.transient, mode, source } };
    }
    if (output === null) return { ok: true, size: 0, media: null };
    const checked = await this.verify(output, source, audio);
    if (!checked.ok) return { ok: false, outcome: { kind: "failed", reason: `the converted file did not verify: ${checked.problem}`, tail: outcome.tail, transient: false, mode, source } };
    return { ok: true, size: (await this.deps.files.stamp(output))?.size ?? 0, media: checked.media };
  }

  /** Reads the result with ffprobe: H.264 video, audio when the source had it, and the source's duration. */
  private async verify(path: string, source: SourceVideo, audio: boolean): Promise<{ ok: true; media: MediaInfo } | { ok: false; problem: string }> {
    const probed = await this.deps.prober.probe(path);
    if (!probed.ok) return { ok: false, problem: `ffprobe cannot read it (${probed.reason})` };
    const m = probed.media;
    if (m.videoCodec !== "h264") return { ok: false, problem: `its video is ${m.videoCodec ?? "missing"}, not H.264` };
    if (audio && m.audioCodec === null) return { ok: false, problem: "it has no audio" };
    if (source.durationS !== null && !durationsAgree(source.durationS, m.durationS)) return { ok: false, problem: `it lasts ${m.durationS.toFixed(1)} s, the source ${source.durationS.toFixed(1)} s` };
    return { ok: true, media: m };
  }

  /**
   * Copies the verified file beside the source under its hidden name, then renames it to a free name while
   * the lease holds, and indexes it at once. Without the lease nothing is renamed: the job belongs to another process.
   */
  private async publish(source: SourceVideo, paths: JobPaths, produced: Extract<Produced, { kind: "ready" }>, underLease: UnderLease,
    fail: (reason: string, transient?: boolean) => ExecutionOutcome): Promise<ExecutionOutcome> {
    const { files } = this.deps;
    await files.copy(paths.scratch, paths.hidden);
    if ((await files.stamp(paths.hidden))?.size !== produced.size) return fail("the copy beside the source came out incomplete", true);
    await files.remove(paths.scratch);
    const dir = dirname(source.path);
    for (let tries = 0; tries < 3; tries++) {
      const names = await files.namesIn(dir);
      const final = join(dir, outputNameFor(basename(source.path), (n) => names.has(n.toLowerCase())));
      const renamed = await underLease(() => files.publish(paths.hidden, final));
      if (!renamed.held) return { kind: "cancelled" };
      if (renamed.value) {
        const outputVideoId = await this.deps.adopter.adopt(final, produced.media ?? undefined);
        return { kind: "done", mode: produced.mode, outputPath: this.locator.recorded(final)?.path ?? final, outputVideoId, note: produced.note, source };
      }
    }
    return fail("no free name for the MP4 beside the source", true);
  }
}
