import { actorId, systemActor, type Actor } from "../people/actor.js";
import type { AuditService } from "../audit/audit.js";
import type { Clock } from "../shared/clock.js";
import type { ConversionService } from "../conversion/conversion-service.js";
import { isPlayableMp4 } from "../conversion/plan.js";
import type { AdminNotifier } from "../notices/notifier.js";
import type { SettingsService } from "../settings/settings.js";
import { formatBytes } from "../shared/units.js";
import { captionFactsOf, captionFor, type Caption } from "./caption.js";
import type { PublishNotices } from "./notices.js";
import type { ChannelPoster, OutgoingVideo, Pacer, ReviewDesk, TelegramOutcome, ThumbnailMaker } from "./ports.js";
import { channelAudit, postLink, routeFor, type RouteChannel } from "./routing.js";
import { backoffFor, JobAborted, RetryAfter, type JobContext, type JobOutcome } from "../jobs/job.js";
import { channelGroup, SEND_ATTEMPTS, UPLOAD_SEND, type UploadJobs, type UploadPayload } from "./upload-kinds.js";
import type { Draft, PublishFacts, UploadJob, UploadStore } from "./upload-job.js";


export interface DeliveryDeps {
  readonly store: UploadStore;
  readonly conversions: ConversionService;
  readonly poster: ChannelPoster;
  readonly pacer: Pacer;
  readonly thumbnails: ThumbnailMaker;
  readonly audit: AuditService;
  readonly notifier: AdminNotifier;
  readonly notices: PublishNotices;
  /** The engine jobs of the queue: a look at the channel for a post whose answer was lost, the send after a conversion. */
  readonly engine: UploadJobs;
  readonly settings: SettingsService;
  readonly clock: Clock;
  readonly uploadLimitBytes: number;
  /** Where drafts of "review first" categories go: a staff channel, or an owner's chat; null when there is none. */
  readonly reviewChat: () => number | null;
  /** Drafts for review: sent with their decision buttons, and marked once posted. */
  readonly desk: ReviewDesk;
}

/** Drafts are paced as one lane of their own, apart from the channels (whose keys are their row ids, all positive). */
export const REVIEW_PACER_KEY = -1;

/** How one turn of an item ended: an end for now, or a turn to take again (after `ms`, or in another channel's line). */
export type DeliveryOutcome = "sent" | "waiting" | "failed" | "skipped" | "gone" | "uncertain"
  | { readonly kind: "retry"; readonly reason: string }
  | { readonly kind: "rate-limited"; readonly ms: number; readonly reason: string }
  | { readonly kind: "moved"; readonly channelId: number };

/** What one turn knows about its claim: the attempt (for the retry schedule) and the signal (a stop, a lost lease). */
interface Turn {
  readonly attempt: number;
  readonly signal: AbortSignal;
}

const UPLOADER: Actor = { kind: "system", name: "uploader" };

/**
 * Sends queue items: resolves the file (converting first when Telegram could not play it), paces the
 * send per channel, checks the route and the audiences once more immediately before the request, and
 * settles the item by what Telegram answered.
 */
export class Delivery {
  constructor(private readonly deps: DeliveryDeps) {}

  /**
   * The `upload.send` handler: one turn of one item. A send that may have reached Telegram parks the engine job
   * (uncertain: it waits for a look at the channel or a person); a transient failure throws for the kind's
   * backoff; a 429 is a RetryAfter. A stop before the request hands the job back; a request under way finishes.
   */
  async turn({ job: engineJob, payload, attempt, signal }: JobContext<UploadPayload>): Promise<JobOutcome> {
    const job = await this.deps.store.job(payload.uploadId);
    if (job === null) return { kind: "done" };
    switch (job.state) {
      case "uploading": return this.interrupted(job);
      case "uncertain": {
        // One parked send per item is enough for Resend to find; a second turn of it ends.
        const parked = (await this.deps.engine.sends(job.id)).some((send) => send.id !== engineJob.id && send.state === "parked");
        return parked ? { kind: "done" } : { kind: "parked", reason: job.reason ?? "may have been sent" };
      }
      case "queued": break;
      default: return { kind: "done" };
    }
    const outcome = await this.run(job, { attempt, signal });
    if (typeof outcome === "string") {
      if (outcome === "uncertain") return { kind: "parked", reason: "may have been sent: waits for a look at the channel or a person" };
      return outcome === "failed" ? { kind: "failed", reason: "the upload failed (see its item)" } : { kind: "done" };
    }
    switch (outcome.kind) {
      case "retry": throw new Error(outcome.reason);
      case "rate-limited": throw new RetryAfter(outcome.ms, outcome.reason);
      case "moved": throw new RetryAfter(0, "its channel changed while it waited", { group: channelGroup(outcome.channelId) });
    }
  }

  /**
   * The engine job of an item left uploading was taken over: its process died (or lost its lease) mid-send, so
   * the post may have been made. Never sent again here: uncertain, settled by a look at the channel or a person.
   */
  private async interrupted(job: UploadJob): Promise<JobOutcome> {
    if (await this.deps.store.markInterrupted(job.id, this.deps.clock.now())) {
      const facts = await this.deps.store.facts(job.videoId);
      await this.deps.audit.record({ actor: UPLOADER, action: "upload.interrupted", target: { type: "video", id: job.videoId },
        after: { ...channelAudit(facts?.channel ?? null), job: job.id, queuedBy: actorId(job.actor) } });
      await this.deps.notifier.notifyAdmins({ kind: "publish.interrupted", count: 1, names: [facts?.fileName ?? `video ${job.videoId}`] });
      await this.deps.engine.settle(job.id, job.channelId, this.deps.clock.now());
    }
    return { kind: "parked", reason: "interrupted mid-send: may have been sent" };
  }

  /** One turn of one item, claimed by the engine. */
  private async run(job: UploadJob, turn: Turn): Promise<DeliveryOutcome> {
    const { store } = this.deps;
    const facts = await store.facts(job.videoId);
    if (facts === null) return this.fail(job, "the video is no longer in the library", null);
    const route = routeFor(facts);
    if (!route.ok) return route.kind === "audience-mismatch" ? this.mismatch(job, facts, route.reason) : this.fail(job, route.reason, facts);
    if (!job.force) {
      const family = await store.family(job.videoId);
      const posted = (await store.livePublications(family)).find((p) => p.channelId === route.channel.id);
      if (posted !== undefined) {
        await store.finish(job.id, "skipped", `already posted in ${route.channel.title}`, this.deps.clock.now());
        await this.deps.audit.record({ actor: UPLOADER, action: "upload.skipped", target: { type: "video", id: job.videoId },
          after: { ...channelAudit(route.channel), reason: "already posted", messageId: posted.messageId, queuedBy: actorId(job.actor), job: job.id } });
        return "skipped";
      }
    }
    // An approved draft is copied from the review chat: the file is already on Telegram.
    if (job.draft !== null && job.decidedBy !== null) {
      const draft = job.draft;
      return this.deps.pacer.schedule(route.channel.id, () => this.sendCopy(job.id, route.channel, draft, turn));
    }
    const file = await this.fileToSend(job, facts);
    if (file.kind !== "ready") return file.kind === "waiting" ? "waiting" : this.fail(job, file.reason, facts, route.channel);
    const video: OutgoingVideo = {
      path: file.facts.path, fileName: file.facts.fileName, durationS: file.facts.durationS, width: file.facts.width, height: file.facts.height,
      thumbnail: await this.deps.thumbnails.thumbnail(file.facts.path, file.facts.durationS),
    };
    if (facts.reviewFirst && job.decidedBy === null) {
      const reviewChat = this.deps.reviewChat();
      if (reviewChat === null) return this.fail(job, "its category is reviewed first, but there is no review chat (set one in /settings)", facts, route.channel);
      return this.deps.pacer.schedule(REVIEW_PACER_KEY, () => this.send(job.id, route.channel, video, file.facts.id, reviewChat, turn));
    }
    return this.deps.pacer.schedule(route.channel.id, () => this.send(job.id, route.channel, video, file.facts.id, null, turn));
  }

  /**
   * Items waiting for a conversion that has ended go back in line (at their old place) and their send is queued;
   * `videoIds` limits it to those videos (a conversion that just ended). Returns how many.
   */
  async wakeConverted(videoIds?: readonly number[]): Promise<number> {
    const only = videoIds === undefined ? null : new Set(videoIds);
    const waiting = (await this.deps.store.jobsIn("converting")).filter((j) => only === null || only.has(j.videoId));
    if (waiting.length === 0) return 0;
    const latest = await this.deps.conversions.latestFor(waiting.map((j) => j.videoId));
    let woken = 0;
    for (const job of waiting) {
      const conversion = latest.get(job.videoId);
      if (conversion !== undefined && (conversion.state === "queued" || conversion.state === "running")) continue;
      if (!(await this.deps.store.setState(job.id, "queued", null, this.deps.clock.now()))) continue;
      const facts = await this.deps.store.facts(job.videoId);
      await this.deps.store.setEngineJob(job.id, await this.deps.engine.send(job.id, facts?.channel?.id ?? null, job.seq));
      woken++;
    }
    return woken;
  }

  /** The playable MP4 to send: the video itself, the MP4 converted from it, or none yet (a conversion is requested). */
  private async fileToSend(job: UploadJob, facts: PublishFacts): Promise<{ kind: "ready"; facts: PublishFacts } | { kind: "waiting" } | { kind: "failed"; reason: string }> {
    const { store, conversions, uploadLimitBytes: limit } = this.deps;
    if (facts.status !== "indexed") return { kind: "failed", reason: facts.status === "missing" ? "the file was not found at the last scan" : "the file is unreadable" };
    if (isPlayableMp4(facts) && facts.sizeBytes <= limit) return { kind: "ready", facts };
    const derived = await conversions.derivedOf(facts.id);
    if (derived !== null) {
      const mp4 = await store.facts(derived.id);
      if (mp4 !== null && mp4.status === "indexed" && isPlayableMp4(mp4) && mp4.sizeBytes <= limit) return { kind: "ready", facts: mp4 };
      if (mp4 !== null && mp4.sizeBytes > limit) return { kind: "failed", reason: `its MP4 (${formatBytes(mp4.sizeBytes)}) is larger than the ${formatBytes(limit)} upload limit` };
    }
    const latest = (await conversions.latestFor([facts.id])).get(facts.id);
    if (latest !== undefined && (latest.state === "queued" || latest.state === "running")) return this.waiting(job);
    if (latest !== undefined && (latest.state === "failed" || latest.state === "cancelled") && (latest.finishedAt ?? 0) >= job.createdAt) {
      return { kind: "failed", reason: `its conversion to MP4 ${latest.state === "failed" ? `failed: ${latest.reason ?? "unknown reason"}` : "was cancelled"}` };
    }
    // The person who queued the upload is recorded on it; the conversion it needs is vidlib's own doing.
    const report = await conversions.request([facts.id], "upload", systemActor("upload"));
    if (report.queued.length > 0 || report.already.length > 0) return this.waiting(job);
    const impossible = report.impossible[0];
    return { kind: "failed", reason: impossible !== undefined ? `it cannot be converted: ${impossible.why}` : `it is larger than the ${formatBytes(limit)} upload limit` };
  }

  private async waiting(job: UploadJob): Promise<{ kind: "waiting" }> {
    await this.deps.store.setState(job.id, "converting", "waiting for its conversion to MP4", this.deps.clock.now());
    // The conversion wakes the item when it ends; one that ended just before the item was marked has not.
    const latest = (await this.deps.conversions.latestFor([job.videoId])).get(job.videoId);
    if (latest === undefined || (latest.state !== "queued" && latest.state !== "running")) {
      await this.deps.store.setState(job.id, "queued", null, this.deps.clock.now());
      throw new RetryAfter(0, "its conversion ended while it was being marked as waiting");
    }
    return { kind: "waiting" };
  }

  /**
   * Inside the pacing slot: the item, its route and the audiences read again (they may have changed while
   * it waited), the caption of now, and the item marked uploading (one attempt more); or the outcome to
   * report when it should not be sent now.
   */
  private async claim(jobId: number, planned: RouteChannel, turn: Turn): Promise<{ job: UploadJob; facts: PublishFacts; channel: RouteChannel; caption: Caption } | DeliveryOutcome> {
    const { store, clock } = this.deps;
    // A stop (or a lost lease) before the request: the item stays queued and the engine hands its job back.
    if (turn.signal.aborted) throw turn.signal.reason instanceof Error ? turn.signal.reason : new JobAborted("stopping");
    const job = await store.job(jobId);
    if (job?.state !== "queued") return "gone";
    // Paused while it waited for its slot: back in line, due again once the queue is resumed (no attempt used).
    if (this.deps.settings.current.publishPaused) return { kind: "rate-limited", ms: 0, reason: "the queue is paused" };
    const facts = await store.facts(job.videoId);
    if (facts === null) return this.fail(job, "the video is no longer in the library", null);
    const route = routeFor(facts);
    if (!route.ok) return route.kind === "audience-mismatch" ? this.mismatch(job, facts, route.reason) : this.fail(job, route.reason, facts);
    if (route.channel.id !== planned.id) return { kind: "moved", channelId: route.channel.id };
    const caption = captionFor(captionFactsOf(facts), this.deps.settings.current.captionTemplate);
    if (!(await store.markUploading(job.id, route.channel, clock.now()))) return "gone";
    return { job, facts, channel: route.channel, caption };
  }

  /** The audience guard, then the request (to the channel, or as a draft to the review chat), then the item's new state. */
  private async send(jobId: number, planned: RouteChannel, video: OutgoingVideo, sendVideoId: number, reviewChat: number | null, turn: Turn): Promise<DeliveryOutcome> {
    const { store, clock, poster, desk } = this.deps;
    const claimed = await this.claim(jobId, planned, turn);
    if (typeof claimed === "string" || !("caption" in claimed)) return claimed;
    const { job, facts, channel, caption } = claimed;
    if (reviewChat === null) return this.settle(job, facts, channel, await poster.sendVideo(channel.chatId, video, caption), sendVideoId, caption.text, null, turn);
    // The draft carries exactly the caption that will be published; the buttons say where.
    const outcome = await desk.sendDraft(reviewChat, video, caption, { jobId: job.id, channelTitle: channel.title });
    if (!outcome.ok) return this.retryOrFail(job, facts, channel, outcome, REVIEW_PACER_KEY, turn);
    await store.recordDraft(job.id, { chatId: reviewChat, messageId: outcome.value.messageId, fileId: outcome.value.fileId }, sendVideoId, caption.text, clock.now());
    await this.deps.audit.record({ actor: UPLOADER, action: "upload.draft", target: { type: "video", id: job.videoId },
      after: { ...channelAudit(channel), reviewChat, messageId: outcome.value.messageId, for: channel.title, queuedBy: actorId(job.actor), job: job.id } });
    return "sent";
  }

  /** An approved draft: copied into its channel with the caption of now, recording both messages. */
  private async sendCopy(jobId: number, planned: RouteChannel, draft: Draft, turn: Turn): Promise<DeliveryOutcome> {
    const { poster, desk } = this.deps;
    const claimed = await this.claim(jobId, planned, turn);
    if (typeof claimed === "string" || !("caption" in claimed)) return claimed;
    const { job, facts, channel, caption } = claimed;
    const copied = await poster.copyMessage(draft.chatId, draft.messageId, channel.chatId, caption);
    const outcome: TelegramOutcome<{ messageId: number; fileId: string | null }> = copied.ok ? { ok: true, value: { messageId: copied.value.messageId, fileId: draft.fileId } } : copied;
    const result = await this.settle(job, facts, channel, outcome, job.sendVideoId ?? job.videoId, caption.text, draft, turn);
    if (result === "sent" && copied.ok) {
      // Best effort: the draft now says where it went; a failure here changes nothing that matters.
      await desk.showDecision(draft, { kind: "posted", channel: channel.title, link: postLink(channel, copied.value.messageId) });
    }
    return result;
  }

  private async settle(job: UploadJob, facts: PublishFacts, channel: RouteChannel, outcome: TelegramOutcome<{ messageId: number; fileId: string | null }>,
    sendVideoId: number, caption: string, draft: Draft | null, turn: Turn): Promise<DeliveryOutcome> {
    const { store, clock, audit } = this.deps;
    const now = clock.now();
    if (!outcome.ok) return this.retryOrFail(job, facts, channel, outcome, channel.id, turn);
    const publication = await store.recordSent(job.id, {
      channelId: channel.id, chatId: channel.chatId, channelTitle: channel.title, channelUsername: channel.username,
      sendVideoId, messageId: outcome.value.messageId, fileId: outcome.value.fileId, caption, draft,
    }, actorId(job.actor), now);
    const link = postLink(channel, outcome.value.messageId);
    await audit.record({ actor: UPLOADER, action: "upload.sent", target: { type: "video", id: job.videoId },
      after: { ...channelAudit(channel), messageId: outcome.value.messageId, link, file: sendVideoId, queuedBy: actorId(job.actor), job: job.id,
        ...(draft === null ? {} : { draft: { chat: draft.chatId, messageId: draft.messageId }, approvedBy: job.decidedBy }) } });
    this.deps.notices.add({ kind: "sent", fileName: facts.fileName, channel: channel.title, link });
    if (job.replacesPublicationId !== null) await this.removeOld(job, job.replacesPublicationId, publication.id);
    return "sent";
  }

  /** A request Telegram did not take: wait as long as asked, retry later, or fail with its reason. */
  private async retryOrFail(job: UploadJob, facts: PublishFacts, channel: RouteChannel, outcome: Exclude<TelegramOutcome<unknown>, { ok: true }>, pacerKey: number,
    turn: Turn): Promise<DeliveryOutcome> {
    const { store, clock } = this.deps;
    const now = clock.now();
    switch (outcome.kind) {
      case "rate-limited": {
        // Not the item's fault: the engine runs it again after exactly retry_after, without using an attempt.
        const reason = `Telegram asked to wait ${outcome.retryAfterS} s`;
        this.deps.pacer.holdOff(pacerKey, outcome.retryAfterS * 1000);
        await store.requeue(job.id, reason, now);
        return { kind: "rate-limited", ms: outcome.retryAfterS * 1000, reason };
      }
      case "refused":
        return this.fail(job, `Telegram refused it: ${outcome.description}`, facts, channel);
      case "uncertain":
        return this.uncertain(job, facts, channel, outcome.description, pacerKey === REVIEW_PACER_KEY);
      case "transient": {
        // The engine's backoff table (upload-kinds.ts) says when; the item says why.
        if (turn.attempt >= SEND_ATTEMPTS) return this.fail(job, `${outcome.description} (gave up after ${turn.attempt} attempts)`, facts, channel);
        const reason = `${outcome.description}; trying again in ${backoffFor(UPLOAD_SEND, turn.attempt) / 1000} s`;
        await store.requeue(job.id, reason, now);
        return { kind: "retry", reason };
      }
    }
  }

  /** After a move: the post in the old channel is deleted once the new one is up. */
  private async removeOld(job: UploadJob, oldId: number, newId: number): Promise<void> {
    const old = await this.deps.store.publication(oldId);
    if (old === null || old.messageId === null) return;
    const deleted = await this.deps.poster.deleteMessage(old.chatId, old.messageId);
    if (deleted.ok) {
      await this.deps.store.markPublicationDeleted(oldId, this.deps.clock.now());
      await this.deps.audit.record({ actor: UPLOADER, action: "publication.delete", target: { type: "video", id: job.videoId },
        before: { channel: old.chatId, channelId: old.channelId, channelTitle: old.channelTitle, messageId: old.messageId },
        after: { channel: old.chatId, channelId: old.channelId, channelTitle: old.channelTitle, deleted: true, replacedBy: newId, job: job.id } });
    } else {
      await this.deps.notifier.notifyAdmins({ kind: "publish.old-post-kept", channelTitle: old.channelTitle, description: deleted.description,
        link: postLink({ chatId: old.chatId, username: old.channelUsername }, old.messageId) });
    }
  }

  /** `channel` is where it was going; by default the channel its category maps to now (none when it has no route). */
  private async fail(job: UploadJob, reason: string, facts: PublishFacts | null, channel: RouteChannel | null = facts?.channel ?? null): Promise<DeliveryOutcome> {
    await this.deps.store.finish(job.id, "failed", reason, this.deps.clock.now());
    await this.deps.audit.record({ actor: UPLOADER, action: "upload.failed", target: { type: "video", id: job.videoId },
      after: { ...channelAudit(channel), reason, job: job.id, attempts: job.attempts, queuedBy: actorId(job.actor) } });
    this.deps.notices.add({ kind: "failed", fileName: facts?.fileName ?? `video ${job.videoId}`, channel: channel?.title ?? null, reason });
    return "failed";
  }

  /**
   * The request reached Telegram but its answer never came back: it may have been posted. Sending it again
   * could post it twice, so vidlib looks at the channel first (in this channel's line, before its next send,
   * so nothing else of vidlib's lands there meanwhile); when that cannot tell, the item waits for a person (Resend or
   * Mark sent in /queue), as after a crash. A draft's review chat is not looked at. The engine job is parked
   * meanwhile: a look that finds it absent, or Resend, puts it back in line.
   */
  private async uncertain(job: UploadJob, facts: PublishFacts, channel: RouteChannel, description: string, draft: boolean): Promise<DeliveryOutcome> {
    const reason = `may have been sent — check the ${draft ? "review chat" : "channel"} (${description})`;
    await this.deps.store.finish(job.id, "uncertain", reason, this.deps.clock.now());
    await this.deps.audit.record({ actor: UPLOADER, action: "upload.uncertain", target: { type: "video", id: job.videoId },
      after: { ...channelAudit(channel), reason: description, draft, job: job.id, attempts: job.attempts, queuedBy: actorId(job.actor) } });
    if (draft) {
      await this.deps.store.setSettleAt(job.id, null, reason, this.deps.clock.now());
      this.deps.notices.add({ kind: "uncertain", fileName: facts.fileName, channel: `${channel.title} (draft for review)`, reason: description });
      return "uncertain";
    }
    // The look is a job in this channel's line, due now: it runs as soon as this turn ends, before the next send there.
    await this.deps.engine.settle(job.id, channel.id, this.deps.clock.now());
    return "uncertain";
  }

  /** The guard tripped: nothing is sent, the item fails, and the admins are alerted at once (not batched). */
  private async mismatch(job: UploadJob, facts: PublishFacts, reason: string): Promise<DeliveryOutcome> {
    await this.deps.store.finish(job.id, "failed", reason, this.deps.clock.now());
    await this.deps.audit.record({ actor: UPLOADER, action: "upload.blocked", target: { type: "video", id: job.videoId },
      after: { ...channelAudit(facts.channel), reason, category: facts.category?.name ?? null, categoryAudience: facts.category?.audience ?? null,
        channelAudience: facts.channel?.audience ?? null, queuedBy: actorId(job.actor), job: job.id } });
    await this.deps.notifier.notifyAdmins({ kind: "publish.blocked", fileName: facts.fileName, reason });
    return "failed";
  }
}
