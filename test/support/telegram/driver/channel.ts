import type { EmulatorCore } from "../core.js";
import type { JsonObject } from "../json.js";
import type { ViewMessage } from "../public-types.js";
import { userJson } from "../state/api-objects.js";
import type { BotChannelStatus, ChannelRecord, MemberStatus, StoredMedia } from "../state/records.js";
import { chatTranscript, deliverMyChatMember, deliverUserMessage } from "./actions.js";
import type { WaitOptions } from "./user.js";
import { toView } from "./view.js";
import { waitUntil } from "./wait.js";

export interface ChannelSpec {
  /** Channel ids are negative, e.g. -1001234567890. */
  readonly id: number;
  readonly title: string;
  readonly username?: string;
  /** Default "administrator". */
  readonly botStatus?: BotChannelStatus;
  /** Default true when the bot is an administrator. */
  readonly canPostMessages?: boolean;
  readonly canEditMessages?: boolean;
  readonly canDeleteMessages?: boolean;
  /** Users in the channel by id (they must exist via emu.user() for getChatMember to describe them). */
  readonly members?: Readonly<Record<number, MemberStatus>>;
}

export interface BotRights {
  readonly canPostMessages?: boolean;
  readonly canEditMessages?: boolean;
  readonly canDeleteMessages?: boolean;
}

export interface PostContent {
  readonly text?: string;
  readonly caption?: string;
  readonly media?: { readonly kind: StoredMedia["kind"]; readonly fileName?: string; readonly size?: number; readonly duration?: number };
}

export function createChannelRecord(spec: ChannelSpec): ChannelRecord {
  const admin = (spec.botStatus ?? "administrator") === "administrator";
  return {
    kind: "channel",
    id: spec.id,
    title: spec.title,
    username: spec.username,
    botStatus: spec.botStatus ?? "administrator",
    canPostMessages: spec.canPostMessages ?? admin,
    canEditMessages: spec.canEditMessages ?? admin,
    canDeleteMessages: spec.canDeleteMessages ?? admin,
    members: new Map(Object.entries(spec.members ?? {}).map(([id, status]) => [Number(id), status])),
  };
}

/** A channel, driven from the side of its human admins. */
export class EmulatedChannel {
  constructor(
    private readonly core: EmulatorCore,
    private readonly record: ChannelRecord,
  ) {}

  get id(): number {
    return this.record.id;
  }

  get title(): string {
    return this.record.title;
  }

  get username(): string | undefined {
    return this.record.username;
  }

  get botStatus(): BotChannelStatus {
    return this.record.botStatus;
  }

  /** Posts as a human admin would; the bot gets a channel_post update if it is in the channel. */
  post(content: string | PostContent): ViewMessage {
    const spec = typeof content === "string" ? { text: content } : content;
    const media = spec.media === undefined ? undefined : this.mediaOf(spec.media);
    const message = deliverUserMessage(
      this.core,
      { chatId: this.id, sender: { kind: "channel" }, text: spec.text, caption: spec.caption, media, entities: [] },
      "channel_post",
    );
    return toView(message);
  }

  private mediaOf(media: NonNullable<PostContent["media"]>): StoredMedia {
    const file = this.core.files.add({ kind: media.kind, size: media.size ?? 1024, fileName: media.fileName, source: "upload" });
    const video = media.kind === "video";
    return { kind: media.kind, file, width: 1280, height: 720, duration: media.duration ?? 0, supportsStreaming: video };
  }

  /** Promotes, demotes or removes the bot; the bot gets a my_chat_member update. */
  setBotStatus(status: BotChannelStatus, rights: BotRights = {}): void {
    const old = this.record.botStatus;
    const admin = status === "administrator";
    this.record.botStatus = status;
    this.record.canPostMessages = rights.canPostMessages ?? admin;
    this.record.canEditMessages = rights.canEditMessages ?? admin;
    this.record.canDeleteMessages = rights.canDeleteMessages ?? admin;
    deliverMyChatMember(this.core, this.record, this.changedBy(), [old, status]);
  }

  setMember(userId: number, status: MemberStatus): void {
    this.record.members.set(userId, status);
  }

  private changedBy(): JsonObject {
    const ownerId = [...this.record.members].find(([, status]) => status === "creator")?.[0];
    const owner = ownerId === undefined ? undefined : this.core.store.users.get(ownerId);
    return owner === undefined ? { id: 777000, is_bot: false, first_name: "Telegram" } : userJson(owner);
  }

  /** Everything posted in the channel, oldest first. */
  posts(): ViewMessage[] {
    return this.core.store.chatMessages(this.id).map(toView);
  }

  transcript(): string {
    return chatTranscript(this.core, this.id, "admin");
  }

  /** Resolves with the first post by the bot (made after the last user action) that matches. */
  waitForPost(predicate: (post: ViewMessage) => boolean, options?: WaitOptions): Promise<ViewMessage> {
    const since = this.core.lastActionSeq;
    return waitUntil({
      core: this.core,
      timeoutMs: options?.timeoutMs ?? this.core.options.defaultTimeoutMs,
      describe: () => `waited for a matching bot post in "${this.title}". Channel now:\n${this.transcript() || "(empty)"}`,
      subscribe: (wake) => {
        const onChange = (event: { chatId: number }): void => {
          if (event.chatId === this.id) wake();
        };
        this.core.store.on("change", onChange);
        return () => this.core.store.off("change", onChange);
      },
      check: () =>
        this.core.store
          .chatMessages(this.id)
          .filter((m) => m.sender.kind === "bot" && m.changeSeq > since)
          .map(toView)
          .find(predicate),
    });
  }
}
