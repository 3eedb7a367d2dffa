import { actorId, type Actor } from "../people/actor.js";
import type { AuditService } from "../audit/audit.js";
import type { Clock } from "../shared/clock.js";
import type { SettingsService } from "../settings/settings.js";
import { captionFactsOf, captionFor } from "./caption.js";
import { probeChannel, type ProbePlan, type ProbeVerdict } from "./channel-probe.js";
import type { PublishNotices } from "./notices.js";
import type { ChannelPoster, ForwardedPost, Pacer, TelegramOutcome } from "./ports.js";
import { channelAudit, postLink, routeFor, type RouteChannel } from "./routing.js";
import { RetryAfter, type JobContext } from "../jobs/job.js";
import type { UploadPayload } from "./upload-kinds.js";
import type { PublishFacts, UploadJob, UploadStore } from "./upload-job.js";

/**
 * "Not in the channel" is believed only this long after the item became uncertain: a request that lost its
 * answer may still be at work on Telegram's side (a big file going up from a Local Bot API server).
 */
export const SETTLE_QUIET_MS = 10 * 60_000;
/** The forwards into the owner's chat are paced as one lane of their own. */
export const PROBE_PACER_KEY = -2;

export interface SettlementDeps {
  readonly store: UploadStore;
  readonly poster: ChannelPoster;
  readonly pacer: Pacer;
  readonly audit: AuditService;
  readonly notices: PublishNotices;
  readonly settings: SettingsService;
  readonly clock: Clock;
  /** A private chat the bot may write to (the first owner's), where looked-at posts are forwarded and deleted at once; null when none. */
  readonly probeChat: () => number | null;
  readonly quietMs: number;
  /** Puts an item found not sent back in line (its send job again). */
  readonly sendAgain: (job: UploadJob, channelId: number) => Promise<void>;
}

export type SettleResult = "sent" | "requeued" | { readonly later: number } | "person" | "gone";

const UPLOADER: Actor = { kind: "system", name: "uploader" };

/**
 * Settles uploads that may have been sent by looking at the channel (see probeChannel): found → recorded
 * as sent; surely absent → back in line; anything else → left to a person, who is told.
 */
export class UncertainSettlement {
  constructor(private readonly deps: SettlementDeps) {}

  /**
   * The `upload.settle` handler: one look at the channel for one uncertain item (its key keeps it to one at a
   * time, its group to its channel's line). Absent before the quiet time ended: looked at again then.
   */
  async run({ payload }: JobContext<UploadPayload>): Promise<void> {
    const result = await this.attempt(payload.uploadId);
    if (typeof result === "object") throw new RetryAfter(Math.max(0, result.later - this.deps.clock.now()), "absent so far: looked at again after the quiet time");
  }

  /** One look at the channel for one uncertain item. */
  async attempt(jobId: number): Promise<SettleResult> {
    const { store } = this.deps;
    const job = await store.job(jobId);
    if (job?.state !== "uncertain") return "gone";
    const facts = await store.facts(job.videoId);
    if (facts === null) return this.person(job, null, null, "the video is no longer in the library");
    const route = routeFor(facts);
    if (!route.ok) return this.person(job, facts, null, route.reason);
    // The send went to the channel of that moment: if the category moved since, only a person knows where to look.
    if (job.chatId !== null && job.chatId !== route.channel.chatId) return this.person(job, facts, route.channel, "its category was mapped to another channel after the send");
    // A draft went to the review chat, not to a channel: only a person can look there.
    if (facts.reviewFirst && job.decidedBy === null) return this.person(job, facts, route.channel, "it was a draft for the review chat");
    const probeChat = this.deps.probeChat();
    if (probeChat === null) return this.person(job, facts, route.channel, "there is no owner's chat to look at the channel from");
    const verdict = await probeChannel(await this.plan(job, facts, route.channel), (id) => this.look(route.channel.chatId, id, probeChat));
    return this.apply(job, facts, route.channel, verdict);
  }

  private async plan(job: UploadJob, facts: PublishFacts, channel: RouteChannel): Promise<ProbePlan> {
    const { store } = this.deps;
    const posts = await store.postsInChat(channel.chatId);
    const before = posts.filter((p) => p.sentAt <= (job.startedAt ?? 0)).map((p) => p.messageId);
    const sizes = new Map<number, number>();
    for (const id of await store.family(job.videoId)) {
      const member = id === facts.id ? facts : await store.facts(id);
      if (member !== null && !sizes.has(member.sizeBytes)) sizes.set(member.sizeBytes, id);
    }
    return {
      anchor: before.length === 0 ? null : Math.max(...before),
      known: new Set(posts.map((p) => p.messageId)),
      caption: captionFor(captionFactsOf(facts), this.deps.settings.current.captionTemplate).text,
      sizes,
    };
  }

  /** Forwards one message of the channel into the owner's chat, silently, and deletes the forward at once. */
  private async look(chatId: number, messageId: number, probeChat: number): Promise<TelegramOutcome<ForwardedPost | null>> {
    const { pacer, poster } = this.deps;
    const seen = await pacer.schedule(PROBE_PACER_KEY, () => poster.forwardMessage(chatId, messageId, probeChat));
    if (seen.ok && seen.value !== null) {
      const forwardId = seen.value.forwardId;
      const deleted = await pacer.schedule(PROBE_PACER_KEY, () => poster.deleteMessage(probeChat, forwardId));
      // A forward left behind is only clutter in the owner's chat, but the look is not quiet any more: say so.
      if (!deleted.ok) return { ok: false, kind: "refused", code: 0, description: `the forward in the owner's chat could not be deleted (${deleted.description})` };
    }
    return seen;
  }

  private async apply(job: UploadJob, facts: PublishFacts, channel: RouteChannel, verdict: ProbeVerdict): Promise<SettleResult> {
    const { store, clock } = this.deps;
    const now = clock.now();
    switch (verdict.kind) {
      case "found": {
        const sent = await store.recordSettled(job.id, {
          channelId: channel.id, chatId: channel.chatId, channelTitle: channel.title, channelUsername: channel.username,
          sendVideoId: verdict.sendVideoId ?? job.sendVideoId ?? job.videoId, messageId: verdict.messageId, fileId: verdict.fileId,
          caption: captionFor(captionFactsOf(facts), this.deps.settings.current.captionTemplate).text, draft: null,
        }, actorId(job.actor), now);
        if (sent === null) return "gone";
        const link = postLink(channel, verdict.messageId);
        await this.audited(job, channel, { outcome: "sent", messageId: verdict.messageId, link });
        this.deps.notices.add({ kind: "settled", fileName: facts.fileName, channel: channel.title, link, sent: true });
        return "sent";
      }
      case "absent": {
        const since = job.uncertainAt ?? now;
        if (now < since + this.deps.quietMs) {
          await store.setSettleAt(job.id, since + this.deps.quietMs, job.reason ?? "may have been sent", now);
          return { later: since + this.deps.quietMs };
        }
        if (!(await store.requeueUncertain(job.id, "not found in the channel: sent again", now))) return "gone";
        await this.deps.sendAgain(job, channel.id);
        await this.audited(job, channel, { outcome: "not-sent", lookedAt: verdict.lookedAt });
        this.deps.notices.add({ kind: "settled", fileName: facts.fileName, channel: channel.title, link: null, sent: false });
        return "requeued";
      }
      case "undecided":
        return this.person(job, facts, channel, verdict.why);
    }
  }

  private async audited(job: UploadJob, channel: RouteChannel, what: Record<string, unknown>): Promise<void> {
    await this.deps.audit.record({ actor: UPLOADER, action: "upload.settled", target: { type: "video", id: job.videoId },
      after: { ...channelAudit(channel), ...what, job: job.id, queuedBy: actorId(job.actor) } });
  }

  /** vidlib cannot tell: no more looks; the admins are told and /queue offers Resend and Mark sent. */
  private async person(job: UploadJob, facts: PublishFacts | null, channel: RouteChannel | null, why: string): Promise<SettleResult> {
    await this.deps.store.setSettleAt(job.id, null, `${job.reason ?? "may have been sent"}; vidlib could not tell from the channel: ${why}`, this.deps.clock.now());
    this.deps.notices.add({ kind: "uncertain", fileName: facts?.fileName ?? `video ${job.videoId}`, channel: channel?.title ?? facts?.channel?.title ?? "its channel", reason: why });
    return "person";
  }
}
