import type { Actor } from "../people/actor.js";
import { requirePermission } from "../people/permissions.js";
import type { AuditService } from "../audit/audit.js";
import type { Clock } from "../shared/clock.js";
import type { SettingsService } from "../settings/settings.js";
import { captionFactsOf, captionFor, type Caption } from "./caption.js";
import type { ChannelPoster, Pacer } from "./ports.js";
import type { EnqueueReport, UploadQueueService } from "./publish-service.js";
import { routeFor } from "./routing.js";
import type { Publication, UploadStore } from "./upload-job.js";

export interface PostsDeps {
  readonly store: UploadStore;
  readonly poster: ChannelPoster;
  readonly pacer: Pacer;
  readonly queue: UploadQueueService;
  readonly audit: AuditService;
  readonly settings: SettingsService;
  readonly clock: Clock;
}

/** What a published video's change calls for: captions that no longer match, and a post in a channel its category left. */
export interface PostOffers {
  readonly staleCaptions: readonly Publication[];
  readonly move: { readonly from: Publication; readonly to: string } | null;
}

/** Keeps posts in step with the library: caption updates after tag edits, moves after category changes. */
export class PublishedPosts {
  constructor(private readonly deps: PostsDeps) {}

  /** The caption a post of this video would get now, or null when the video is gone. */
  private async freshCaption(videoId: number): Promise<Caption | null> {
    const facts = await this.deps.store.facts(videoId);
    if (facts === null) return null;
    return captionFor(captionFactsOf(facts), this.deps.settings.current.captionTemplate);
  }

  /** What to offer after a video changed. */
  async offers(videoId: number): Promise<PostOffers> {
    const { store } = this.deps;
    const posts = (await store.livePublications(await store.family(videoId))).filter((p) => p.messageId !== null);
    const stale: Publication[] = [];
    for (const post of posts) if ((await this.freshCaption(post.videoId))?.text !== post.caption) stale.push(post);
    const facts = await store.facts(videoId);
    const route = facts === null ? null : routeFor(facts);
    const from = route?.ok === true && !posts.some((p) => p.channelId === route.channel.id) ? posts[0] : undefined;
    return { staleCaptions: stale, move: from === undefined || route?.ok !== true ? null : { from, to: route.channel.title } };
  }

  /** Posts (newest first, up to `limit`) whose caption no longer matches their video. */
  async staleCaptions(limit = 500): Promise<Publication[]> {
    const stale: Publication[] = [];
    for (const post of await this.deps.store.allLivePublications(limit)) if ((await this.freshCaption(post.videoId))?.text !== post.caption) stale.push(post);
    return stale;
  }

  /** Videos with a post in a channel their category no longer maps to (newest posts first, up to `limit` looked at). */
  async misplaced(limit = 500): Promise<number[]> {
    const videos = new Set<number>();
    for (const post of await this.deps.store.allLivePublications(limit)) {
      const facts = await this.deps.store.facts(post.videoId);
      const route = facts === null ? null : routeFor(facts);
      if (route?.ok === true && route.channel.id !== post.channelId) videos.add(post.videoId);
    }
    return [...videos];
  }

  /** Edits the captions of these posts to match their videos now, paced like posts. */
  async updateCaptions(posts: readonly Publication[], actor: Actor): Promise<{ updated: number; failed: string[] }> {
    requirePermission(actor, "publish");
    const result = { updated: 0, failed: [] as string[] };
    for (const post of posts) {
      const caption = await this.freshCaption(post.videoId);
      if (caption === null || post.messageId === null) continue;
      const messageId = post.messageId;
      const edited = await this.deps.pacer.schedule(post.channelId, () => this.deps.poster.editCaption(post.chatId, messageId, caption));
      if (!edited.ok) {
        if (edited.kind === "rate-limited") this.deps.pacer.holdOff(post.channelId, edited.retryAfterS * 1000);
        result.failed.push(`${post.channelTitle}: ${edited.description}`);
        continue;
      }
      await this.deps.store.setPublicationCaption(post.id, caption.text, this.deps.clock.now());
      await this.deps.audit.record({ actor, action: "publication.caption", target: { type: "video", id: post.videoId },
        before: { channel: post.chatId, channelId: post.channelId, channelTitle: post.channelTitle, messageId: post.messageId, caption: post.caption },
        after: { channel: post.chatId, channelId: post.channelId, channelTitle: post.channelTitle, messageId: post.messageId, caption: caption.text } });
      result.updated++;
    }
    return result;
  }

  /** Posts the video in the channel its category maps to now; the old post is deleted once the new one is up. */
  async move(videoId: number, actor: Actor): Promise<EnqueueReport | null> {
    requirePermission(actor, "publish");
    const offer = (await this.offers(videoId)).move;
    if (offer === null) return null;
    return this.deps.queue.enqueue([videoId], "move", actor, { replaces: new Map([[videoId, offer.from.id]]) });
  }
}
