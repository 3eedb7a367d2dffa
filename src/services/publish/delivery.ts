import { actorId, type Actor } from "../actor.js";
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
import type { ChannelPoster, OutgoingVideo, Pacer, TelegramOutcome, ThumbnailMaker } from "./ports.js";
import { postLink, routeFor, type RouteChannel } from "./routing.js";
import type { PublishFacts, UploadJob, UploadStore } from "./upload-job.js";

/** Network errors, timeouts and 5xx are tried again after these delays, then the item fails. */
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
  readonly settings: SettingsService;
  readonly clock: Clock;
  readonly uploadLimitBytes: number;
}

/** How one turn of an item ended. */
export type DeliveryOutcome = "sent" | "waiting" | "retry" | "rate-limited" | "failed" | "skipped" | "gone";

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
        return "skipped";
      }
    }
    const file = await this.fileToSend(job, facts);
    if (file.kind !== "ready") return file.kind === "waiting" ? "waiting" : this.fail(job, file.reason, facts);
    const video: OutgoingVideo = {
      path: file.facts.path, fileName: file.facts.fileName, durationS: file.facts.durationS, width: file.facts.width, height: file.facts.height,
      thumbnail: await this.deps.thumbnails.thumbnail(file.facts.path, file.facts.durationS),
    };
    return this.deps.pacer.schedule(route.channel.id, () => this.send(job.id, route.channel, video, file.facts.id));
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
    const report = await conversions.request([facts.id], "upload", job.actor);
    if (report.queued.length > 0 || report.already.length > 0) return this.waiting(job);
    const impossible = report.impossible[0];
    return { kind: "failed", reason: impossible !== undefined ? `it cannot be converted: ${impossible.why}` : `it is larger than the ${formatBytes(limit)} upload limit` };
  }

  private async waiting(job: UploadJob): Promise<{ kind: "waiting" }> {
    await this.deps.store.setState(job.id, "converting", "waiting for its conversion to MP4", this.deps.clock.now());
    return { kind: "waiting" };
  }

  /** Inside the channel's pacing slot: the audience guard, then the request, then the item's new state. */
  private async send(jobId: number, planned: RouteChannel, video: OutgoingVideo, sendVideoId: number): Promise<DeliveryOutcome> {
    const { store, clock, poster } = this.deps;
    const job = await store.job(jobId);
    if (job?.state !== "queued" || this.deps.settings.current.publishPaused || this.stopping) return "gone";
    // Read again: the category, its channel and the audiences may have changed while the item waited.
    const facts = await store.facts(job.videoId);
    if (facts === null) return this.fail(job, "the video is no longer in the library", null);
    const route = routeFor(facts);
    if (!route.ok) return route.kind === "audience-mismatch" ? this.mismatch(job, facts, route.reason) : this.fail(job, route.reason, facts);
    if (route.channel.id !== planned.id) {
      await store.requeue(job.id, 0, "its channel changed while it waited", false, clock.now());
      return "retry";
    }
    const caption = captionFor(captionFactsOf(facts), this.deps.settings.current.captionTemplate);
    if (!(await store.markUploading(job.id, clock.now()))) return "gone";
    const outcome = await poster.sendVideo(route.channel.chatId, video, caption.html);
    return this.settle({ ...job, attempts: job.attempts + 1 }, facts, route.channel, outcome, sendVideoId, caption.html);
  }

  private async settle(job: UploadJob, facts: PublishFacts, channel: RouteChannel, outcome: TelegramOutcome<{ messageId: number; fileId: string | null }>,
    sendVideoId: number, caption: string): Promise<DeliveryOutcome> {
    const { store, clock, audit } = this.deps;
    const now = clock.now();
    if (outcome.ok) {
      const publication = await store.recordSent(job.id, {
        channelId: channel.id, chatId: channel.chatId, channelTitle: channel.title, channelUsername: channel.username,
        sendVideoId, messageId: outcome.value.messageId, fileId: outcome.value.fileId, caption,
      }, actorId(job.actor), now);
      const link = postLink(channel, outcome.value.messageId);
      await audit.record({ actor: UPLOADER, action: "upload.sent", target: { type: "video", id: job.videoId },
        after: { channel: channel.chatId, channelTitle: channel.title, messageId: outcome.value.messageId, link, file: sendVideoId, queuedBy: actorId(job.actor), job: job.id } });
      this.deps.notices.add({ kind: "sent", fileName: facts.fileName, channel: channel.title, link });
      if (job.replacesPublicationId !== null) await this.removeOld(job, job.replacesPublicationId, publication.id);
      return "sent";
    }
    switch (outcome.kind) {
      case "rate-limited":
        this.deps.pacer.holdOff(channel.id, outcome.retryAfterS * 1000);
        await store.requeue(job.id, now + outcome.retryAfterS * 1000, `Telegram asked to wait ${outcome.retryAfterS} s`, true, now);
        return "rate-limited";
      case "refused":
        return this.fail(job, `Telegram refused it: ${outcome.description}`, facts, channel.title);
      case "transient": {
        const delay = SEND_RETRY_DELAYS_MS[job.attempts - 1];
        if (delay === undefined) return this.fail(job, `${outcome.description} (gave up after ${job.attempts} attempts)`, facts, channel.title);
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
        before: { channel: old.chatId, channelTitle: old.channelTitle, messageId: old.messageId }, after: { replacedBy: newId } });
    } else {
      await this.deps.notifier.notifyAdmins(html`⚠️ The post in ${old.channelTitle} could not be deleted (${deleted.description}); delete it by hand: ${postLink({ chatId: old.chatId, username: old.channelUsername }, old.messageId)}`);
    }
  }

  private async fail(job: UploadJob, reason: string, facts: PublishFacts | null, channel: string | null = null): Promise<DeliveryOutcome> {
    await this.deps.store.finish(job.id, "failed", reason, this.deps.clock.now());
    await this.deps.audit.record({ actor: UPLOADER, action: "upload.failed", target: { type: "video", id: job.videoId }, after: { reason, job: job.id, attempts: job.attempts } });
    this.deps.notices.add({ kind: "failed", fileName: facts?.fileName ?? `video ${job.videoId}`, channel, reason });
    return "failed";
  }

  /** The guard tripped: nothing is sent, the item fails, and the admins are alerted at once (not batched). */
  private async mismatch(job: UploadJob, facts: PublishFacts, reason: string): Promise<DeliveryOutcome> {
    await this.deps.store.finish(job.id, "failed", reason, this.deps.clock.now());
    await this.deps.audit.record({ actor: UPLOADER, action: "upload.blocked", target: { type: "video", id: job.videoId },
      after: { reason, category: facts.category?.name ?? null, channel: facts.channel?.chatId ?? null, job: job.id } });
    await this.deps.notifier.notifyAdmins(html`🚨 Not sent: ${facts.fileName}. ${reason}. Nothing was posted. Check the category's channel in /channels.`);
    return "failed";
  }
}
