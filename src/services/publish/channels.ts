import { actorId, type Actor } from "../people/actor.js";
import { requirePermission } from "../people/permissions.js";
import type { AuditService } from "../audit/audit.js";
import { normaliseAudience } from "../catalog/categories.js";
import type { Clock } from "../shared/clock.js";
import type { ChannelDirectory } from "./ports.js";

/** A channel vidlib posts to, with the categories mapped to it. */
export interface ChannelInfo {
  readonly id: number;
  readonly chatId: number;
  readonly title: string;
  readonly username: string | null;
  readonly audience: string;
  readonly categories: readonly { readonly id: number; readonly name: string }[];
}

export interface ChannelStore {
  list(): Promise<ChannelInfo[]>;
  byId(id: number): Promise<ChannelInfo | null>;
  byChatId(chatId: number): Promise<ChannelInfo | null>;
  insert(channel: { chatId: number; title: string; username: string | null; audience: string }, now: number): Promise<number>;
  refresh(id: number, title: string, username: string | null): Promise<void>;
  /** Deletes a channel no category maps to; false when one does. */
  remove(id: number): Promise<boolean>;
  /** Maps a category to a channel (null: none). The database refuses a channel of another audience: "mismatch". */
  map(categoryId: number, channelId: number | null, actorId: string, now: number): Promise<"ok" | "mismatch" | "missing">;
  /** The channel each category maps to, by category id. */
  mappings(): Promise<Map<number, number>>;
}

export type AddChannelResult =
  | { readonly ok: true; readonly channel: ChannelInfo; readonly updated: boolean }
  | { readonly ok: false; readonly problem: string };

/** Parses what a person sends to name a channel: "@name", "t.me/name", or its numeric id "-100…". */
export function channelRef(text: string): number | string | null {
  const t = text.trim();
  if (/^-\d{5,20}$/u.test(t)) return Number(t);
  const name = /^(?:https?:\/\/)?(?:t\.me\/|telegram\.me\/)?@?([A-Za-z][A-Za-z0-9_]{3,31})\/?$/u.exec(t)?.[1];
  return name === undefined ? null : `@${name}`;
}

/** Channels and which category posts where. A category maps to exactly one channel, of its own audience. */
export class ChannelService {
  constructor(private readonly store: ChannelStore, private readonly directory: ChannelDirectory, private readonly audit: AuditService, private readonly clock: Clock) {}

  list(): Promise<ChannelInfo[]> {
    return this.store.list();
  }

  byId(id: number): Promise<ChannelInfo | null> {
    return this.store.byId(id);
  }

  /** Checks with Telegram that the bot is an administrator allowed to post in the channel, without saving it. */
  inspect(ref: number | string): ReturnType<ChannelDirectory["inspect"]> {
    return this.directory.inspect(ref);
  }

  /**
   * Adds a channel with its audience after checking, again, that the bot may post in it. A channel
   * already added keeps its audience (changing it would move its categories' audience) and is refreshed.
   */
  async add(ref: number | string, audienceRaw: string, actor: Actor): Promise<AddChannelResult> {
    requirePermission(actor, "channels");
    const audience = normaliseAudience(audienceRaw);
    if (audience === null) return { ok: false, problem: "An audience is a short word such as students or staff." };
    const seen = await this.directory.inspect(ref);
    if (!seen.ok) return seen;
    const existing = await this.store.byChatId(seen.chatId);
    if (existing !== null) {
      await this.store.refresh(existing.id, seen.title, seen.username);
      return { ok: true, channel: { ...existing, title: seen.title, username: seen.username }, updated: true };
    }
    const id = await this.store.insert({ chatId: seen.chatId, title: seen.title, username: seen.username, audience }, this.clock.now());
    await this.audit.record({ actor, action: "channel.add", target: { type: "channel", id: seen.chatId }, after: { title: seen.title, username: seen.username, audience } });
    const channel = await this.store.byId(id);
    if (channel === null) throw new Error(`channel ${id} vanished after insert`);
    return { ok: true, channel, updated: false };
  }

  /** Removes a channel; refused while a category maps to it. */
  async remove(id: number, actor: Actor): Promise<"removed" | "in-use" | "missing"> {
    requirePermission(actor, "channels");
    const channel = await this.store.byId(id);
    if (channel === null) return "missing";
    if (!(await this.store.remove(id))) return "in-use";
    await this.audit.record({ actor, action: "channel.remove", target: { type: "channel", id: channel.chatId }, before: { title: channel.title, audience: channel.audience } });
    return "removed";
  }

  /** Maps a category to a channel of the same audience (null: no channel); an attempt across audiences is refused and audited. */
  async map(category: { id: number; name: string; audience: string }, channelId: number | null, actor: Actor): Promise<"ok" | "mismatch" | "missing"> {
    requirePermission(actor, "channels");
    const before = (await this.store.mappings()).get(category.id) ?? null;
    const channel = channelId === null ? null : await this.store.byId(channelId);
    if (channelId !== null && channel === null) return "missing";
    if (channel !== null && channel.audience !== category.audience) return this.refused(category, channel, "service", actor);
    const result = await this.store.map(category.id, channelId, actorId(actor), this.clock.now());
    // The database's guard is the last word: its audiences may differ from what was read a moment ago.
    if (result === "mismatch" && channel !== null) return this.refused(category, channel, "database", actor);
    if (result === "ok" && before !== channelId) {
      const old = before === null ? null : await this.store.byId(before);
      await this.audit.record({ actor, action: "category.channel", target: { type: "category", id: category.id },
        before: old === null ? null : { channel: old.chatId, title: old.title }, after: channel === null ? null : { channel: channel.chatId, title: channel.title } });
    }
    return result;
  }

  /** Records an attempt to join two audiences, by whom and which guard stopped it. */
  private async refused(category: { id: number; name: string; audience: string }, channel: ChannelInfo, guard: "service" | "database", actor: Actor): Promise<"mismatch"> {
    await this.audit.record({ actor, action: "category.channel_refused", target: { type: "category", id: category.id },
      after: { category: category.name, categoryAudience: category.audience, channel: channel.chatId, channelId: channel.id, channelTitle: channel.title,
        channelAudience: channel.audience, guard } });
    return "mismatch";
  }

  /** The channel each category maps to. */
  mappings(): Promise<Map<number, number>> {
    return this.store.mappings();
  }
}
