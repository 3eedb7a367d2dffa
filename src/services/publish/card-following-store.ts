import type { VideoChanges } from "../follow-up/video-follow-ups.js";
import type { Draft, Publication, SentRecord, UploadJob, UploadOrigin, UploadState, UploadStore } from "./upload-job.js";
import type { ActorRef } from "../people/actor.js";

/**
 * The upload queue's store as the publishing services use it: every write that changes what a video's card
 * shows (its upload's state, place or reason, its posts) is followed by the redraw of that video's shown
 * cards, explicitly, in one place. Reads pass straight through. A new write on UploadStore must be added
 * here (the compiler insists: this class implements the port), and says which videos it changed.
 */
export class CardFollowingUploadStore implements UploadStore {
  constructor(private readonly store: UploadStore, private readonly cards: Pick<VideoChanges, "cardsChanged">) {}

  // Writes about one item: its video's cards, when the write changed something.
  private async item<T>(id: number, result: T): Promise<T> {
    if (result === false || result === null) return result;
    const job = await this.store.job(id);
    if (job !== null) await this.cards.cardsChanged([job.videoId]);
    return result;
  }

  private async posted(publication: Publication | null): Promise<Publication | null> {
    if (publication !== null) await this.cards.cardsChanged([publication.videoId, publication.sentVideoId]);
    return publication;
  }

  async enqueue(requests: readonly { videoId: number; origin: UploadOrigin; actor: ActorRef; force: boolean; replacesPublicationId?: number | null }[], now: number) {
    const created = await this.store.enqueue(requests, now);
    await this.cards.cardsChanged([...created].filter(([, item]) => item !== null).map(([videoId]) => videoId));
    return created;
  }

  async setEngineJob(id: number, jobId: number): Promise<void> { await this.item(id, await this.store.setEngineJob(id, jobId)); }
  async setState(id: number, state: "converting" | "queued", reason: string | null, now: number) { return this.item(id, await this.store.setState(id, state, reason, now)); }
  async markUploading(id: number, channel: { readonly id: number; readonly chatId: number }, now: number) { return this.item(id, await this.store.markUploading(id, channel, now)); }
  async recordSent(id: number, sent: SentRecord, actorId: string, now: number): Promise<Publication> {
    const publication = await this.store.recordSent(id, sent, actorId, now);
    await this.posted(publication);
    return this.item(id, publication);
  }
  async recordDraft(id: number, draft: Draft, sendVideoId: number, caption: string, now: number): Promise<void> {
    await this.item(id, await this.store.recordDraft(id, draft, sendVideoId, caption, now));
  }
  async decide(id: number, decision: "approve" | "reject", actorId: string, reason: string | null, now: number) {
    return this.item(id, await this.store.decide(id, decision, actorId, reason, now));
  }
  async requeue(id: number, reason: string, now: number) { return this.item(id, await this.store.requeue(id, reason, now)); }
  async finish(id: number, state: "failed" | "skipped" | "cancelled" | "uncertain", reason: string, now: number): Promise<void> {
    await this.item(id, await this.store.finish(id, state, reason, now));
  }
  async markInterrupted(id: number, now: number) { return this.item(id, await this.store.markInterrupted(id, now)); }
  async cancel(id: number, now: number) { return this.item(id, await this.store.cancel(id, now)); }
  async toFront(id: number) { return this.item(id, await this.store.toFront(id)); }
  async retryFailed(now: number): Promise<UploadJob[]> {
    const requeued = await this.store.retryFailed(now);
    await this.cards.cardsChanged(requeued.map((j) => j.videoId));
    return requeued;
  }
  async setSettleAt(id: number, at: number | null, reason: string, now: number): Promise<void> {
    await this.item(id, await this.store.setSettleAt(id, at, reason, now));
  }
  async recordSettled(id: number, sent: SentRecord, actorId: string, now: number): Promise<Publication | null> {
    const publication = await this.store.recordSettled(id, sent, actorId, now);
    await this.posted(publication);
    return this.item(id, publication);
  }
  async requeueUncertain(id: number, reason: string, now: number) { return this.item(id, await this.store.requeueUncertain(id, reason, now)); }
  async markPublicationDeleted(id: number, now: number): Promise<void> {
    await this.store.markPublicationDeleted(id, now);
    await this.posted(await this.store.publication(id));
  }
  async setPublicationCaption(id: number, caption: string, now: number): Promise<void> {
    await this.store.setPublicationCaption(id, caption, now);
    await this.posted(await this.store.publication(id));
  }

  job(id: number) { return this.store.job(id); }
  facts(videoId: number) { return this.store.facts(videoId); }
  family(videoId: number) { return this.store.family(videoId); }
  livePublications(videoIds: readonly number[]) { return this.store.livePublications(videoIds); }
  publication(id: number) { return this.store.publication(id); }
  allLivePublications(limit: number) { return this.store.allLivePublications(limit); }
  counts(dayStart: number, now: number) { return this.store.counts(dayStart, now); }
  list(limit: number) { return this.store.list(limit); }
  position(id: number) { return this.store.position(id); }
  latestFor(videoIds: readonly number[]) { return this.store.latestFor(videoIds); }
  jobsIn(state: UploadState) { return this.store.jobsIn(state); }
  postsInChat(chatId: number) { return this.store.postsInChat(chatId); }
  settlesPlanned() { return this.store.settlesPlanned(); }
}
