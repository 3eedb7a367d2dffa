import { actorId, type Actor } from "../people/actor.js";
import type { AuditService } from "../audit/audit.js";
import type { Clock } from "../shared/clock.js";
import { requirePermission } from "../people/permissions.js";
import type { PersonMessenger, PersonNotice, ReviewDesk } from "./ports.js";
import { channelAudit, routeFor } from "./routing.js";
import type { UploadJob, UploadStore } from "./upload-job.js";

export interface ReviewDeps {
  readonly store: UploadStore;
  /** The drafts in the review chat: their status once decided. */
  readonly desk: ReviewDesk;
  readonly messenger: PersonMessenger;
  readonly audit: AuditService;
  readonly clock: Clock;
  /** A person's display name, for the draft and the uploader's message. */
  readonly nameOf: (userId: number) => Promise<string>;
  /** Puts an approved draft's item back in line (its send job, to copy it to the channel). */
  readonly sendAgain: (job: UploadJob, channelId: number) => Promise<void>;
}

export type ReviewDecision =
  | { kind: "approved"; channel: string; fileName: string }
  | { kind: "rejected"; fileName: string; uploaderTold: boolean | null }
  | { kind: "not-waiting"; state: string | null }
  | { kind: "no-route"; why: string };

/**
 * Review before publishing: a draft waits in the review chat until someone who may publish approves it
 * (it is then copied to its channel by the upload worker, no second upload) or rejects it with a reason
 * (the video stays in the library and whoever queued it is told why).
 */
export class ReviewService {
  constructor(private readonly deps: ReviewDeps) {}

  /** Approves a draft: it goes back in line and is copied to its category's channel. */
  async approve(jobId: number, actor: Actor): Promise<ReviewDecision> {
    requirePermission(actor, "publish");
    const { store, clock, audit, desk } = this.deps;
    const job = await store.job(jobId);
    if (job?.state !== "review" || job.draft === null) return { kind: "not-waiting", state: job?.state ?? null };
    const facts = await store.facts(job.videoId);
    const route = facts === null ? null : routeFor(facts);
    if (facts === null || route === null || !route.ok) {
      if (facts !== null && route !== null && !route.ok && route.kind === "audience-mismatch") {
        await audit.record({ actor, action: "upload.blocked", target: { type: "video", id: job.videoId },
          after: { ...channelAudit(facts.channel), reason: route.reason, category: facts.category?.name ?? null, categoryAudience: facts.category?.audience ?? null,
            channelAudience: facts.channel?.audience ?? null, job: jobId, queuedBy: actorId(job.actor) } });
      }
      return { kind: "no-route", why: route !== null && !route.ok ? route.reason : "the video is no longer in the library" };
    }
    if (!(await store.decide(jobId, "approve", actorId(actor), null, clock.now()))) return { kind: "not-waiting", state: "decided" };
    await this.deps.sendAgain(job, route.channel.id);
    await audit.record({ actor, action: "upload.approve", target: { type: "video", id: job.videoId },
      after: { ...channelAudit(route.channel), job: jobId, queuedBy: actorId(job.actor), draft: { chat: job.draft.chatId, messageId: job.draft.messageId } } });
    // The buttons go at once, so no one decides twice; the caption says who approved it.
    await desk.showDecision(job.draft, { kind: "approved", by: await this.who(actor), channel: route.channel.title });
    return { kind: "approved", channel: route.channel.title, fileName: facts.fileName };
  }

  /** Rejects a draft with a reason: nothing is posted, and the person who queued it is told. */
  async reject(jobId: number, reason: string, actor: Actor): Promise<ReviewDecision> {
    requirePermission(actor, "publish");
    const { store, clock, audit, desk } = this.deps;
    const why = reason.trim().slice(0, 500);
    const job = await store.job(jobId);
    if (job?.state !== "review" || job.draft === null) return { kind: "not-waiting", state: job?.state ?? null };
    if (!(await store.decide(jobId, "reject", actorId(actor), why, clock.now()))) return { kind: "not-waiting", state: "decided" };
    const facts = await store.facts(job.videoId);
    const fileName = facts?.fileName ?? `video ${job.videoId}`;
    const by = await this.who(actor);
    await audit.record({ actor, action: "upload.reject", target: { type: "video", id: job.videoId }, after: { ...channelAudit(facts?.channel ?? null), job: jobId, reason: why, queuedBy: actorId(job.actor),
      draft: { chat: job.draft.chatId, messageId: job.draft.messageId } } });
    await desk.showDecision(job.draft, { kind: "rejected", by, reason: why });
    return { kind: "rejected", fileName, uploaderTold: await this.tellUploader(job, actor, { kind: "draft-rejected", fileName, by, reason: why }) };
  }

  /** The person who queued it learns the outcome; null when no person queued it (auto-publish) or they rejected it themselves. */
  private async tellUploader(job: UploadJob, actor: Actor, notice: PersonNotice): Promise<boolean | null> {
    if (job.actor.kind !== "user" || (actor.kind === "user" && actor.id === job.actor.id)) return null;
    return this.deps.messenger.tell(job.actor.id, notice);
  }

  private async who(actor: Actor): Promise<string> {
    return actor.kind === "user" ? this.deps.nameOf(actor.id) : actor.name;
  }
}
