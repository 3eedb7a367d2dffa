/** A channel as routing sees it. */
export interface RouteChannel {
  readonly id: number;
  readonly chatId: number;
  readonly title: string;
  readonly username: string | null;
  readonly audience: string;
}

import { AUDIO_ONLY_WHY } from "../conversion/plan.js";
import type { MediaKind } from "../../entities/video.js";

/** What routing needs to know about a video: its category and the channel that category maps to now. */
export interface RouteFacts {
  readonly mediaKind: MediaKind;
  readonly category: { readonly id: number; readonly name: string; readonly audience: string } | null;
  readonly channel: RouteChannel | null;
}

export type Route =
  | { readonly ok: true; readonly channel: RouteChannel }
  | { readonly ok: false; readonly kind: "audio-only" | "no-category" | "no-channel" | "audience-mismatch"; readonly reason: string };

/**
 * Where a video goes: always the channel of its category, and only when the two audiences are the same.
 * There is no other way to choose a destination; the check runs again immediately before every send.
 */
export function routeFor(facts: RouteFacts): Route {
  if (facts.mediaKind === "audio") return { ok: false, kind: "audio-only", reason: AUDIO_ONLY_WHY.post };
  if (facts.category === null) return { ok: false, kind: "no-category", reason: "it has no category, so vidlib does not know its channel" };
  if (facts.channel === null) return { ok: false, kind: "no-channel", reason: `its category ${facts.category.name} has no channel yet (/channels maps one)` };
  if (facts.channel.audience !== facts.category.audience) {
    return { ok: false, kind: "audience-mismatch", reason: `audience mismatch: ${facts.category.name} is for ${facts.category.audience}, but ${facts.channel.title} reaches ${facts.channel.audience}` };
  }
  return { ok: true, channel: facts.channel };
}

/** A link to a channel post: public channels by username, private ones by their internal id. */
export function postLink(channel: { chatId: number; username: string | null }, messageId: number): string {
  if (channel.username !== null && channel.username !== "") return `https://t.me/${channel.username}/${messageId}`;
  const internal = String(channel.chatId).replace(/^-100/u, "").replace(/^-/u, "");
  return `https://t.me/c/${internal}/${messageId}`;
}

/** How every publishing audit row names its channel: the chat id, vidlib's row id and the title (all null when there is none). */
export function channelAudit(channel: RouteChannel | { readonly id: number; readonly chatId: number; readonly title: string } | null): { channel: number | null; channelId: number | null; channelTitle: string | null } {
  return channel === null ? { channel: null, channelId: null, channelTitle: null } : { channel: channel.chatId, channelId: channel.id, channelTitle: channel.title };
}
