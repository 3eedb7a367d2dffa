import { actorId, systemActor, type Actor } from "../actor.js";
import type { AuditService } from "../audit.js";
import type { Clock } from "../clock.js";
import type { ConversionService } from "../conversion/conversion-service.js";
import { isPlayableMp4 } from "../conversion/plan.js";
import type { AdminNotifier } from "../notifier.js";
import type { SettingsService } from "../settings.js";
import { html } from "../telegram-html.js";
import { formatBytes } from "../units.js";
import { captionFactsOf, captionFor } from "./caption.js";
import type { PublishNotices } from "./notices.js";
import type { Buttons, ChannelPoster, OutgoingVideo, Pacer, TelegramOutcome, ThumbnailMaker } from "./ports.js";
import { channelAudit, postLink, routeFor, type RouteChannel } from "./routing.js";
import type { UncertainSettlement } from "./settlement.js";
import type { Draft, PublishFacts, UploadJob, UploadStore } from "./upload-job.js";

/**
 * Failures before the whole request reached Telegram (no connection, the upload cut short) and 5xx answers
 * are tried again after these delays, then the item fails. A failure after that is never retried: see uncertain().
 */
export const SEND_RETRY_DELAYS_MS = [5_000, 15_000, 45_000] as const;

export interface DeliveryDeps {
  readonly store: UploadStore;
  readonly conversions: ConversionService;
  readonly poster: ChannelPoster;
  readonly pacer: Pacer;
  readonly thumbnails: ThumbnailMaker;
  readonly audit: AuditService;
  readonly notifier: AdminNotifier;
  readonly notices: PublishNotices;
  /** Looks at the channel for a post whose answer was lost. */
  readonly settlement: UncertainSettlement;
  readonly settings: SettingsService;
  readonly clock: Clock;
  readonly uploadLimitBytes: number;
  /** Where drafts of "review first" categories go: a staff channel, or an owner's chat; null when there is none. */
  readonly reviewChat: () => number | null;
  /** The Approve and Reject buttons under a draft. */
  readonly draftButtons: (jobId: number, channelTitle: string) => Buttons;
}

/** Drafts are paced as one lane of their own, apart from the channels (whose keys are their row ids, all positive). */
export const REVIEW_PACER_KEY = -1;

/** How one turn of an item ended. */
export type DeliveryOutcome = "sent" | "waiting" | "retry" | "rate-limited" | "failed" | "skipped" | "gone" | "uncertain";

const UPLOADER: Actor = { kind: "system", name: "uploader" };

/**
 * Sends queue items: resolves the file (converting first when Telegram could not play it), paces the
 * send per channel, checks the route and the audiences once more immediately before the request, and
 * settles the item by what Telegram answered.
 */
export class Delivery {
  private stopping = false;

  constructor(private readonly deps: DeliveryDeps) {}

  /** For a shutdown: items still waiting for their slot are left queued; a send already under way finishes. */
  stop(): void {
    this.stopping = true;
  }

  /** One turn of one item; the worker calls it for the item `nextDue` chose. */
  async run(job: UploadJob): Promise<DeliveryOutcome> {
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
      return this.deps.pacer.schedule(route.channel.id, () => this.sendCopy(job.id, route.channel, draft));
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
      return this.deps.pacer.schedule(REVIEW_PACER_KEY, () => this.send(job.id, route.channel, video, file.facts.id, reviewChat));
    }
    return this.deps.pacer.schedule(route.channel.id, () => this.send(job.id, route.channel, video, file.facts.id, null));
  }

  /** Items waiting for a conversion that has ended go back in line (at their old place); returns how many. */
  async wakeConverted(): Promise<number> {
    const waiting = await this.deps.store.jobsIn("converting");
    if (waiting.length === 0) return 0;
    const latest = await this.deps.conversions.latestFor(waiting.map((j) => j.videoId));
    let woken = 0;
    for (const job of waiting) {
      const conversion = latest.get(job.videoId);
      if (conversion !== undefined && (conversion.state === "queued" || conversion.state === "running")) continue;
      await this.deps.store.setState(job.id, "queued", null, this.deps.clock.now());
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
    return { kind: "waiting" };
  }

  /**
   * Inside the pacing slot: the item, its route and the audiences read again (they may have changed while
   * it waited), the caption of now, and the item marked uploading (one attempt more); or the outcome to
   * report when it should not be sent now.
   */
  private async claim(jobId: number, planned: RouteChannel): Promise<{ job: UploadJob; facts: PublishFacts; channel: RouteChannel; caption: string } | DeliveryOutcome> {
    const { store, clock } = this.deps;
    const job = await store.job(jobId);
    if (job?.state !== "queued" || this.deps.settings.current.publishPaused || this.stopping) return "gone";
    const facts = await store.facts(job.videoId);
    if (facts === null) return this.fail(job, "the video is no longer in the library", null);
    const route = routeFor(facts);
    if (!route.ok) return route.kind === "audience-mismatch" ? this.mismatch(job, facts, route.reason) : this.fail(job, route.reason, facts);
    if (route.channel.id !== planned.id) {
      await store.requeue(job.id, 0, "its channel changed while it waited", false, clock.now());
      return "retry";
    }
    const caption = captionFor(captionFactsOf(facts), this.deps.settings.current.captionTemplate).html;
    if (!(await store.markUploading(job.id, route.channel, clock.now()))) return "gone";
    return { job: { ...job, attempts: job.attempts + 1 }, facts, channel: route.channel, caption };
  }

  /** The audience guard, then the request (to the channel, or as a draft to the review chat), then the item's new state. */
  private async send(jobId: number, planned: RouteChannel, video: OutgoingVideo, sendVideoId: number, reviewChat: number | null): Promise<DeliveryOutcome> {
    const { store, clock, poster } = this.deps;
    const claimed = await this.claim(jobId, planned);
    if (typeof claimed === "string") return claimed;
    const { job, facts, channel, caption } = claimed;
    if (reviewChat === null) return this.settle(job, facts, channel, await poster.sendVideo(channel.chatId, video, caption), sendVideoId, caption, null);
    // The draft carries exactly the caption that will be published; the buttons say where.
    const outcome = await poster.sendVideo(reviewChat, video, caption, this.deps.draftButtons(job.id, channel.title));
    if (!outcome.ok) return this.retryOrFail(job, facts, channel, outcome, REVIEW_PACER_KEY);
    await store.recordDraft(job.id, { chatId: reviewChat, messageId: outcome.value.messageId, fileId: outcome.value.fileId }, sendVideoId, caption, clock.now());
    await this.deps.audit.record({ actor: UPLOADER, action: "upload.draft", target: { type: "video", id: job.videoId },
      after: { ...channelAudit(channel), reviewChat, messageId: outcome.value.messageId, for: channel.title, queuedBy: actorId(job.actor), job: job.id } });
    return "sent";
  }

  /** An approved draft: copied into its channel with the caption of now, recording both messages. */
  private async sendCopy(jobId: number, planned: RouteChannel, draft: Draft): Promise<DeliveryOutcome> {
    const { poster } = this.deps;
    const claimed = await this.claim(jobId, planned);
    if (typeof claimed === "string") return claimed;
    const { job, facts, channel, caption } = claimed;
    const copied = await poster.copyMessage(draft.chatId, draft.messageId, channel.chatId, caption);
    const outcome: TelegramOutcome<{ messageId: number; fileId: string | null }> = copied.ok ? { ok: true, value: { messageId: copied.value.messageId, fileId: draft.fileId } } : copied;
    const result = await this.settle(job, facts, channel, outcome, job.sendVideoId ?? job.videoId, caption, draft);
    if (result === "sent" && copied.ok) {
      // Best effort: the draft now says where it went; a failure here changes nothing that matters.
      await poster.editCaption(draft.chatId, draft.messageId, html`✅ Approved and posted in ${channel.title}: ${postLink(channel, copied.value.messageId)}`, []);
    }
    return result;
  }

  private async settle(job: UploadJob, facts: PublishFacts, channel: RouteChannel, outcome: TelegramOutcome<{ messageId: number; fileId: string | null }>,
    sendVideoId: number, caption: string, draft: Draft | null): Promise<DeliveryOutcome> {
    const { store, clock, audit } = this.deps;
    const now = clock.now();
    if (!outcome.ok) return this.retryOrFail(job, facts, channel, outcome, channel.id);
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
  private async retryOrFail(job: UploadJob, facts: PublishFacts, channel: RouteChannel, outcome: Exclude<TelegramOutcome<unknown>, { ok: true }>, pacerKey: number): Promise<DeliveryOutcome> {
    const { store, clock } = this.deps;
    const now = clock.now();
    switch (outcome.kind) {
      case "rate-limited":
        this.deps.pacer.holdOff(pacerKey, outcome.retryAfterS * 1000);
        await store.requeue(job.id, now + outcome.retryAfterS * 1000, `Telegram asked to wait ${outcome.retryAfterS} s`, true, now);
        return "rate-limited";
      case "refused":
        return this.fail(job, `Telegram refused it: ${outcome.description}`, facts, channel);
      case "uncertain":
        return this.uncertain(job, facts, channel, outcome.description, pacerKey === REVIEW_PACER_KEY);
      case "transient": {
        const delay = SEND_RETRY_DELAYS_MS[job.attempts - 1];
        if (delay === undefined) return this.fail(job, `${outcome.description} (gave up after ${job.attempts} attempts)`, facts, channel);
        await store.requeue(job.id, now + delay, `${outcome.description}; trying again in ${delay / 1000} s`, false, now);
        return "retry";
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
   * could post it twice, so vidlib looks at the channel first (still in this channel's turn, so nothing
   * else of vidlib's lands there meanwhile); when that cannot tell, the item waits for a person (Resend or
   * Mark sent in /queue), as after a crash. A draft's review chat is not looked at.
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
    return (await this.deps.settlement.attempt(job.id)) === "sent" ? "sent" : "uncertain";
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
