import type { ActorRef } from "../people/actor.js";
import type { SourceVideo } from "../conversion/job.js";
import type { RouteFacts } from "./routing.js";

export const UPLOAD_STATES = ["queued", "converting", "uploading", "sent", "failed", "uncertain", "cancelled", "skipped", "review", "rejected"] as const;
/**
 * queued → (converting →) uploading → sent | failed | skipped; a transient failure or a 429 goes back to
 * queued, its engine job due later (`notBefore`). An item that was uploading when the process died becomes uncertain
 * and waits for a person: it may have been posted. In a "review first" category the first send is a
 * draft to the review chat (→ review); Approve puts it back in line to be copied to the channel, Reject
 * ends it (→ rejected).
 */
export type UploadState = (typeof UPLOAD_STATES)[number];
export const ACTIVE_UPLOAD_STATES: readonly UploadState[] = ["queued", "converting", "uploading", "uncertain", "review"];
export type UploadOrigin = "card" | "bulk" | "auto" | "move" | "resend";

/** One persistent item of the upload queue. */
export interface UploadJob {
  readonly id: number;
  readonly videoId: number;
  readonly state: UploadState;
  readonly seq: number;
  /** Post even when the video is already in its channel. */
  readonly force: boolean;
  readonly origin: UploadOrigin;
  readonly actor: ActorRef;
  /** Its engine job's attempt (sends tried, a taken-over one counted); 0 before its first. */
  readonly attempts: number;
  /** When its engine job is due again after a failure or a 429 (0 when it is not waiting for that). */
  readonly notBefore: number;
  /** For a move to a new channel: the old post, deleted once the new one is up. */
  readonly replacesPublicationId: number | null;
  readonly channelId: number | null;
  readonly chatId: number | null;
  /** The file actually sent: the video itself, or the MP4 converted from it. */
  readonly sendVideoId: number | null;
  readonly messageId: number | null;
  readonly reason: string | null;
  readonly createdAt: number;
  readonly finishedAt: number | null;
  /** The draft in the review chat, once sent there. */
  readonly draft: Draft | null;
  /** Who approved or rejected the draft (actor id), null while undecided. */
  readonly decidedBy: string | null;
  /** When its last send started (marked uploading). */
  readonly startedAt: number | null;
  /** When it became uncertain (null when it is not). */
  readonly uncertainAt: number | null;
  /** When vidlib looks in the channel next to settle an uncertain item; null: a person decides. */
  readonly settleAt: number | null;
}

/** A draft waiting in (or decided in) the review chat. */
export interface Draft {
  readonly chatId: number;
  readonly messageId: number;
  readonly fileId: string | null;
}

/** A queue item with its video's name and the channel it goes to now, for lists. */
export interface UploadSummary extends UploadJob {
  readonly fileName: string;
  readonly channelTitle: string | null;
}

/** One post in a channel. */
export interface Publication {
  readonly id: number;
  readonly videoId: number;
  readonly sentVideoId: number;
  readonly channelId: number;
  readonly chatId: number;
  readonly channelTitle: string;
  readonly channelUsername: string | null;
  /** Null when a person marked an uncertain upload as sent without the message's id. */
  readonly messageId: number | null;
  readonly fileId: string | null;
  /** The caption's text as Telegram keeps it (no markup): compared with the caption of now for stale ones. */
  readonly caption: string;
  readonly sentAt: number;
}

/** Everything a send needs to know about a video, read fresh before each send. */
export interface PublishFacts extends SourceVideo, RouteFacts {
  readonly derivedFromId: number | null;
  readonly width: number | null;
  readonly height: number | null;
  /** Tag names in the order of their keys. */
  readonly tags: readonly string[];
  /** The category's "review first" setting. */
  readonly reviewFirst: boolean;
}

export type QueueCounts = Record<"queued" | "converting" | "uploading" | "retrying" | "failed" | "uncertain" | "sentToday" | "review", number>;

export interface SentRecord {
  readonly channelId: number;
  readonly chatId: number;
  readonly channelTitle: string;
  readonly channelUsername: string | null;
  readonly sendVideoId: number;
  readonly messageId: number | null;
  readonly fileId: string | null;
  /** The caption's text as sent (no markup). */
  readonly caption: string;
  /** The draft this post was copied from, when it was reviewed first. */
  readonly draft: Draft | null;
}

/**
 * The upload queue's history and status, and what was posted. Claiming, retries and their times are the job
 * engine's (upload-kinds.ts): `attempts` and `notBefore` of an item are read from its engine job.
 */
export interface UploadStore {
  /** Queues one item per video without an active one, in the order given; returns the new items by video (null: one was active). */
  enqueue(requests: readonly { videoId: number; origin: UploadOrigin; actor: ActorRef; force: boolean; replacesPublicationId?: number | null }[], now: number): Promise<Map<number, { id: number; seq: number } | null>>;
  /** Records the engine job that sends the item now. */
  setEngineJob(id: number, jobId: number): Promise<void>;
  job(id: number): Promise<UploadJob | null>;
  facts(videoId: number): Promise<PublishFacts | null>;
  /** The video, the one it was converted from, and those converted from it. */
  family(videoId: number): Promise<number[]>;
  /** Posts of any of these videos that were not deleted. */
  livePublications(videoIds: readonly number[]): Promise<Publication[]>;
  publication(id: number): Promise<Publication | null>;
  allLivePublications(limit: number): Promise<Publication[]>;
  /** queued ⇄ converting (waiting for its MP4); false when the item was in neither. */
  setState(id: number, state: "converting" | "queued", reason: string | null, now: number): Promise<boolean>;
  /** Claims a queued item for sending into this channel, which it remembers (a lost answer is looked for there); false when it is no longer queued. */
  markUploading(id: number, channel: { readonly id: number; readonly chatId: number }, now: number): Promise<boolean>;
  /** uploading (or uncertain) → sent, recording the post (and the video's Telegram file id) in the same transaction. */
  recordSent(id: number, sent: SentRecord, actorId: string, now: number): Promise<Publication>;
  /** uploading → review, with the draft's message. */
  recordDraft(id: number, draft: Draft, sendVideoId: number, caption: string, now: number): Promise<void>;
  /** review → queued (approved: copied next) or rejected, recording who decided; false when it was not waiting for review. */
  decide(id: number, decision: "approve" | "reject", actorId: string, reason: string | null, now: number): Promise<boolean>;
  /** Back in line (uploading, queued or uncertain → queued) with the reason /queue shows; false when it was in none of those states. */
  requeue(id: number, reason: string, now: number): Promise<boolean>;
  /** An item that becomes uncertain is due to be settled by a look at the channel at once (see settleAt). */
  finish(id: number, state: "failed" | "skipped" | "cancelled" | "uncertain", reason: string, now: number): Promise<void>;
  /** uploading → uncertain: its send was interrupted (its process died, or lost its lease); false when it was not uploading. */
  markInterrupted(id: number, now: number): Promise<boolean>;
  /** Cancels an item that is queued, converting or uncertain; returns its state before. */
  cancel(id: number, now: number): Promise<UploadState | null>;
  /** Puts a queued item first in line; returns its new place (seq), or null when it was not waiting. */
  toFront(id: number): Promise<number | null>;
  /** Failed items whose video has no active item go back in line; returns them. */
  retryFailed(now: number): Promise<UploadJob[]>;
  counts(dayStart: number, now: number): Promise<QueueCounts>;
  /** Active items (uploading, uncertain, then queued and converting in line order), then the latest failures. */
  list(limit: number): Promise<UploadSummary[]>;
  position(id: number): Promise<number>;
  latestFor(videoIds: readonly number[]): Promise<Map<number, UploadJob>>;
  jobsIn(state: UploadState): Promise<UploadJob[]>;
  markPublicationDeleted(id: number, now: number): Promise<void>;
  /** Every post vidlib recorded in a chat with its message id (deleted ones too: their ids were taken), oldest first. */
  postsInChat(chatId: number): Promise<{ messageId: number; sentAt: number }[]>;
  /** Uncertain items whose look at the channel is planned (settleAt set). */
  settlesPlanned(): Promise<UploadJob[]>;
  /** When to look at the channel next for an uncertain item (null: leave it to a person), with the reason /queue shows. */
  setSettleAt(id: number, at: number | null, reason: string, now: number): Promise<void>;
  /** uncertain → sent, found in the channel; null when the item was no longer uncertain (a person decided meanwhile). */
  recordSettled(id: number, sent: SentRecord, actorId: string, now: number): Promise<Publication | null>;
  /** uncertain → queued (found not sent); false when it was no longer uncertain. */
  requeueUncertain(id: number, reason: string, now: number): Promise<boolean>;
  setPublicationCaption(id: number, caption: string, now: number): Promise<void>;
}
