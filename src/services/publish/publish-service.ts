import { actorId, type Actor } from "../people/actor.js";
import { can, Forbidden, requirePermission } from "../people/permissions.js";
import type { AuditService } from "../audit/audit.js";
import type { Clock } from "../shared/clock.js";
import type { AdminNotifier } from "../notices/notifier.js";
import type { SettingsService } from "../settings/settings.js";
import { channelAudit, routeFor, type RouteChannel, type RouteFacts } from "./routing.js";
import type { UploadJobs } from "./upload-kinds.js";
import { ACTIVE_UPLOAD_STATES, type Publication, type QueueCounts, type UploadJob, type UploadOrigin, type UploadStore, type UploadSummary } from "./upload-job.js";

export interface QueueDeps {
  readonly store: UploadStore;
  readonly audit: AuditService;
  readonly notifier: AdminNotifier;
  readonly settings: SettingsService;
  readonly clock: Clock;
  /** The engine jobs that send the items. */
  readonly engine: UploadJobs;
}

/** What a request to publish some videos did. */
export interface EnqueueReport {
  readonly queued: number[];
  /** An upload of the video (or of its source or MP4) is already in the queue. */
  readonly already: number[];
  /** Already posted in the channel its category maps to (send again with force). */
  readonly alreadySent: { readonly id: number; readonly channel: string }[];
  /** No route: no category, or a category without a channel. */
  readonly unroutable: { readonly id: number; readonly why: string }[];
}

const DAY_MS = 86_400_000;
const UPLOADER: Actor = { kind: "system", name: "uploader" };

/** The upload queue as people drive it: enqueue, cancel, reorder, pause, retry, and decide about uncertain uploads. */
export class UploadQueueService {
  constructor(private readonly deps: QueueDeps) {}

  /**
   * Queues videos for the channel of their category, in the order given. A video already posted there is
   * not queued unless `force`; the destination itself is decided again at send time.
   */
  async enqueue(videoIds: readonly number[], origin: UploadOrigin, actor: Actor, options: { force?: boolean; replaces?: ReadonlyMap<number, number> } = {}): Promise<EnqueueReport> {
    // Posting something a second time is a publishing decision, not a queueing one.
    requirePermission(actor, options.force === true ? "publish" : "queue");
    const { store } = this.deps;
    const report: EnqueueReport = { queued: [], already: [], alreadySent: [], unroutable: [] };
    const wanted: { videoId: number; origin: UploadOrigin; actor: Actor; force: boolean; replacesPublicationId: number | null }[] = [];
    const claimed = new Set<number>();
    const channels = new Map<number, RouteChannel>();
    for (const videoId of videoIds) {
      const facts = await store.facts(videoId);
      if (facts === null) continue;
      const route = routeFor(facts);
      if (!route.ok) {
        report.unroutable.push({ id: videoId, why: route.reason });
        if (route.kind === "audience-mismatch") await this.blocked(videoId, facts, route.reason, origin, actor);
        continue;
      }
      const family = await store.family(videoId);
      const active = [...(await store.latestFor(family)).values()].some((j) => ACTIVE_UPLOAD_STATES.includes(j.state));
      if (active || family.some((id) => claimed.has(id))) {
        report.already.push(videoId);
        continue;
      }
      const posted = (await store.livePublications(family)).find((p) => p.channelId === route.channel.id);
      if (posted !== undefined && options.force !== true) {
        report.alreadySent.push({ id: videoId, channel: route.channel.title });
        continue;
      }
      family.forEach((id) => claimed.add(id));
      channels.set(videoId, route.channel);
      wanted.push({ videoId, origin, actor, force: options.force === true, replacesPublicationId: options.replaces?.get(videoId) ?? null });
    }
    const created = await store.enqueue(wanted, this.deps.clock.now());
    for (const [videoId, item] of created) {
      if (item === null) {
        report.already.push(videoId);
        continue;
      }
      report.queued.push(videoId);
      await this.schedule(item.id, channels.get(videoId)?.id ?? null, item.seq);
    }
    if (report.queued.length > 0) {
      await this.deps.audit.recordMany(report.queued.map((id) => ({
        actor, action: "upload.enqueue", target: { type: "video", id },
        after: { ...channelAudit(channels.get(id) ?? null), origin, force: options.force === true, job: created.get(id)?.id, replaces: options.replaces?.get(id) ?? null },
      })));
    }
    return report;
  }

  /** One queue item, or null. */
  job(jobId: number): Promise<UploadJob | null> {
    return this.deps.store.job(jobId);
  }

  /** Cancels an item that has not started sending (or an uncertain one); editors may cancel only what they queued. */
  async cancel(jobId: number, actor: Actor): Promise<"cancelled" | "sending" | "finished" | "missing"> {
    if (actor.kind === "user" && !can(actor.role, "publish")) {
      requirePermission(actor, "queue");
      const job = await this.deps.store.job(jobId);
      if (job === null) return "missing";
      if (job.actor.kind !== "user" || job.actor.id !== actor.id) throw new Forbidden("publish", actor.role);
    }
    const before = await this.deps.store.cancel(jobId, this.deps.clock.now());
    if (before === null) return "missing";
    if (before === "uploading") return "sending";
    if (before !== "queued" && before !== "converting" && before !== "uncertain") return "finished";
    // A send already claimed finds the item cancelled and ends without sending.
    await this.deps.engine.drop(jobId);
    const job = await this.deps.store.job(jobId);
    await this.deps.audit.record({ actor, action: "upload.cancel", target: { type: "video", id: job?.videoId ?? 0 },
      after: { ...(await this.channelOf(job)), job: jobId, was: before, queuedBy: job === null ? null : actorId(job.actor) } });
    return "cancelled";
  }

  /** Moves a waiting item to the front of the line. */
  async toFront(jobId: number, actor: Actor): Promise<boolean> {
    requirePermission(actor, "publish");
    const seq = await this.deps.store.toFront(jobId);
    const moved = seq !== null;
    if (moved) {
      await this.deps.engine.reorder(jobId, seq);
      const job = await this.deps.store.job(jobId);
      await this.deps.audit.record({ actor, action: "upload.front", target: { type: "video", id: job?.videoId ?? 0 }, after: { ...(await this.channelOf(job)), job: jobId } });
    }
    return moved;
  }

  /** Puts every failed upload back in line with fresh attempts. */
  async retryFailed(actor: Actor): Promise<number> {
    requirePermission(actor, "publish");
    const retried = await this.deps.store.retryFailed(this.deps.clock.now());
    for (const job of retried) await this.schedule(job.id, (await this.deps.store.facts(job.videoId))?.channel?.id ?? null, job.seq);
    // One row per item, so each video's history shows it was sent again, and where to.
    const entries = [];
    for (const job of retried) {
      entries.push({ actor, action: "upload.retry_failed", target: { type: "video", id: job.videoId },
        after: { ...(await this.channelOf(job)), job: job.id, queuedBy: actorId(job.actor), of: retried.length } });
    }
    if (entries.length > 0) await this.deps.audit.recordMany(entries);
    return retried.length;
  }

  async setPaused(paused: boolean, actor: Actor): Promise<void> {
    requirePermission(actor, "publish");
    await this.deps.settings.setPublishPaused(paused, actor);
  }

  get paused(): boolean {
    return this.deps.settings.current.publishPaused;
  }

  /**
   * A person's decision about an upload that was interrupted mid-send: send it again, or record it as
   * posted (after seeing it in the channel).
   */
  async resolveUncertain(jobId: number, decision: "resend" | "sent", actor: Actor): Promise<"done" | "missing" | "no-route" | "draft"> {
    requirePermission(actor, "publish");
    const { store, clock, audit } = this.deps;
    const job = await store.job(jobId);
    if (job?.state !== "uncertain") return "missing";
    const facts = await store.facts(job.videoId);
    const route = facts === null ? null : routeFor(facts);
    // What the item was and where it goes, as seen when the person decided.
    const about = { ...channelAudit(route?.ok === true ? route.channel : (facts?.channel ?? null)), job: jobId, reason: job.reason, queuedBy: actorId(job.actor) };
    if (decision === "resend") {
      if (!(await store.requeue(jobId, "sent again after a person checked the channel", clock.now()))) return "missing";
      await this.sendAgain(job, route?.ok === true ? route.channel.id : null);
    } else {
      if (facts === null || route === null || !route.ok) return "no-route";
      // An interrupted draft has no message id to copy from later: it can only be sent again.
      if (facts.reviewFirst && job.decidedBy === null) return "draft";
      await store.recordSent(jobId, {
        channelId: route.channel.id, chatId: route.channel.chatId, channelTitle: route.channel.title, channelUsername: route.channel.username,
        sendVideoId: job.sendVideoId ?? job.videoId, messageId: null, fileId: null, caption: "", draft: null,
      }, actorId(job.actor), clock.now());
      await this.deps.engine.drop(jobId);
    }
    await audit.record({ actor, action: decision === "resend" ? "upload.resend" : "upload.mark_sent", target: { type: "video", id: job.videoId }, after: about });
    return "done";
  }

  /**
   * Items a stopped process left mid-send become uncertain (a look at the channel is queued for each); the admins
   * are told once. Call at start-up, after the engine ended the leases of processes that are gone: an item whose
   * send another live process holds is left to it.
   */
  async recoverInterrupted(sendHeld: (job: UploadJob) => Promise<boolean>): Promise<UploadJob[]> {
    const now = this.deps.clock.now();
    const interrupted: UploadJob[] = [];
    for (const job of await this.deps.store.jobsIn("uploading")) {
      if (!(await sendHeld(job)) && (await this.deps.store.markInterrupted(job.id, now))) interrupted.push(job);
    }
    if (interrupted.length === 0) return interrupted;
    const entries = [];
    for (const j of interrupted) {
      entries.push({ actor: UPLOADER, action: "upload.interrupted", target: { type: "video", id: j.videoId }, after: { ...(await this.channelOf(j)), job: j.id, queuedBy: actorId(j.actor) } });
      await this.deps.engine.settle(j.id, j.channelId, now);
    }
    await this.deps.audit.recordMany(entries);
    const names = await Promise.all(interrupted.slice(0, 10).map(async (j) => (await this.deps.store.facts(j.videoId))?.fileName ?? `video ${j.videoId}`));
    await this.deps.notifier.notifyAdmins({ kind: "publish.interrupted", count: interrupted.length, names });
    return interrupted;
  }

  /**
   * Keeps the queue true to the engine at start-up: every queued item has its send job (items queued before the
   * engine, or by a stop between the two writes) and every uncertain item with a look planned has that look.
   */
  async reconcile(): Promise<number> {
    let scheduled = 0;
    for (const job of await this.deps.store.jobsIn("queued")) {
      await this.schedule(job.id, (await this.deps.store.facts(job.videoId))?.channel?.id ?? null, job.seq);
      scheduled++;
    }
    for (const job of await this.deps.store.settlesPlanned()) await this.deps.engine.settle(job.id, job.channelId, job.settleAt ?? this.deps.clock.now());
    return scheduled;
  }

  /** Queues the send of an item and remembers its engine job. */
  private async schedule(uploadId: number, channelId: number | null, seq: number): Promise<void> {
    await this.deps.store.setEngineJob(uploadId, await this.deps.engine.send(uploadId, channelId, seq));
  }

  /** An uncertain item back in line: its parked send with fresh attempts, or a new one (its send job ended meanwhile). */
  async sendAgain(job: UploadJob, channelId: number | null): Promise<void> {
    if (!(await this.deps.engine.resend(job.id))) await this.schedule(job.id, channelId, job.seq);
  }

  /** The audience guard refused to queue a video (its category maps to a channel of another audience): audited, never silent. */
  private async blocked(videoId: number, facts: RouteFacts, reason: string, origin: UploadOrigin, actor: Actor): Promise<void> {
    await this.deps.audit.record({ actor, action: "upload.blocked", target: { type: "video", id: videoId },
      after: { ...channelAudit(facts.channel), reason, category: facts.category?.name ?? null, categoryAudience: facts.category?.audience ?? null,
        channelAudience: facts.channel?.audience ?? null, origin } });
  }

  /** The channel an item goes to (its category's channel now), for audit rows. */
  private async channelOf(job: UploadJob | null): Promise<ReturnType<typeof channelAudit>> {
    return channelAudit(job === null ? null : ((await this.deps.store.facts(job.videoId))?.channel ?? null));
  }

  /** Counts and the items to show in /queue. */
  async overview(limit: number): Promise<{ counts: QueueCounts; items: UploadSummary[]; paused: boolean }> {
    const now = this.deps.clock.now();
    const counts = await this.deps.store.counts(now - (now % DAY_MS), now);
    return { counts, items: await this.deps.store.list(limit), paused: this.paused };
  }

  position(jobId: number): Promise<number> {
    return this.deps.store.position(jobId);
  }

  /** The newest upload of each video (for cards). */
  latestFor(videoIds: readonly number[]): Promise<Map<number, UploadJob>> {
    return this.deps.store.latestFor(videoIds);
  }

  /** The posts of a video (and of its source or MP4). */
  async postsOf(videoId: number): Promise<Publication[]> {
    return this.deps.store.livePublications(await this.deps.store.family(videoId));
  }

  /** Queues videos whose category was just set (the `publish.auto` job), when auto-publish is on; returns how many. */
  async enqueueAutomatic(videoIds: readonly number[]): Promise<number> {
    if (!this.deps.settings.current.publishAuto || videoIds.length === 0) return 0;
    const report = await this.enqueue(videoIds, "auto", { kind: "system", name: "auto-publish" });
    return report.queued.length;
  }
}
