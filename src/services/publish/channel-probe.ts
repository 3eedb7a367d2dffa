import type { ForwardedPost, TelegramOutcome } from "./ports.js";

/** At most this many message ids (not counting vidlib's own known posts) are looked at after the last known post. */
export const PROBE_LIMIT = 20;
/** This many missing ids in a row after the last message that exists mean the channel ends there (deleted posts leave gaps). */
export const END_GAP = 5;

/** What vidlib knows before looking: where its last post before the send was, its other posts, and what the post would hold. */
export interface ProbePlan {
  /** The channel's newest post vidlib recorded before the send started; null when none (its first post there). */
  readonly anchor: number | null;
  /** Every message id vidlib recorded in the channel: those are other posts, never the one looked for. */
  readonly known: ReadonlySet<number>;
  /** The caption's text as Telegram keeps it. */
  readonly caption: string;
  /** Sizes of the files that may have been sent (the video, or its MP4), with their video ids. */
  readonly sizes: ReadonlyMap<number, number>;
}

export type ProbeVerdict =
  /** The post is in the channel. */
  | { readonly kind: "found"; readonly messageId: number; readonly sendVideoId: number | null; readonly fileId: string | null }
  /** Nothing after the last known post is it, and the channel ends there: it was not posted. */
  | { readonly kind: "absent"; readonly lookedAt: number }
  /** The channel could not tell: a person decides. */
  | { readonly kind: "undecided"; readonly why: string };

/** Looks at one message of the channel: what it holds, null when there is none with that id. */
export type LookAt = (messageId: number) => Promise<TelegramOutcome<ForwardedPost | null>>;

type Match = { kind: "ours"; sendVideoId: number | null; fileId: string | null } | { kind: "other" } | { kind: "doubt"; why: string };

/** Whether a message is the post: the same caption text, and a video (or document) of one of the sizes sent. */
export function matchOf(post: ForwardedPost, plan: ProbePlan): Match {
  if ((post.text ?? "").trim() !== plan.caption.trim()) return { kind: "other" };
  const file = post.file;
  if (file === null || file.kind === "other") return { kind: "doubt", why: "a message with the same caption but no video" };
  if (file.sizeBytes === null) return { kind: "ours", sendVideoId: null, fileId: file.fileId || null };
  const sendVideoId = plan.sizes.get(file.sizeBytes);
  if (sendVideoId === undefined) return { kind: "doubt", why: "a video with the same caption but another file" };
  return { kind: "ours", sendVideoId, fileId: file.fileId || null };
}

/**
 * Channel message ids are sequential: a post made by the lost request has an id after the last one vidlib
 * knows of. Looks at the ids after it one by one: the first that matches settles it as sent; a run of
 * missing ids after the last message that exists means it was not posted; anything else is undecided.
 * Without a known post before (its first post in the channel) it looks from id 1 and can only find it:
 * absence is never concluded there.
 */
export async function probeChannel(plan: ProbePlan, look: LookAt): Promise<ProbeVerdict> {
  const start = plan.anchor ?? 0;
  let lastExisting = start;
  let looked = 0;
  for (let id = start + 1; looked < PROBE_LIMIT; id++) {
    if (plan.known.has(id)) {
      lastExisting = id;
      continue;
    }
    looked++;
    const seen = await look(id);
    if (!seen.ok) return { kind: "undecided", why: `Telegram did not show message ${id} of the channel: ${seen.description}` };
    if (seen.value === null) {
      if (id - lastExisting < END_GAP) continue;
      if (plan.anchor === null) return { kind: "undecided", why: "it is vidlib's first post in this channel, and no post there matches it" };
      return { kind: "absent", lookedAt: looked };
    }
    lastExisting = id;
    const match = matchOf(seen.value, plan);
    if (match.kind === "ours") return { kind: "found", messageId: id, sendVideoId: match.sendVideoId, fileId: match.fileId };
    if (match.kind === "doubt") return { kind: "undecided", why: `message ${id} is ${match.why}` };
  }
  return { kind: "undecided", why: `none of the ${PROBE_LIMIT} messages after vidlib's last known post is it` };
}
