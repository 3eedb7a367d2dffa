// A channel caption is data, not chat: the published content of a post, written from the team's template,
// stored with the publication and compared with it later (stale captions; the settlement probe reads it
// back). It is a value here, the text Telegram keeps and its bold spans; the channel poster sends it.
import { hashtagFor } from "../catalog/tag-names.js";
import { formatDuration } from "../shared/units.js";
import type { PostText, TextSpan } from "./ports.js";

/** Telegram's limit for a media caption, in UTF-16 code units after entity parsing. */
export const MAX_CAPTION = 1024;
export const MAX_TEMPLATE = 1000;

/** The caption template a team starts with: the title in bold, then the category's and the tags' hashtags. */
export const DEFAULT_CAPTION_TEMPLATE = "{title}\n{hashtags}";

/** Placeholders a template may use, with what each becomes. */
export const PLACEHOLDERS: Readonly<Record<string, string>> = {
  title: "the title, in bold, from the file name (JEE-Adv_Phy_L04.mp4 → JEE Adv Phy L04)",
  hashtags: "the category's hashtag, then the tags' hashtags",
  category: "the category's name",
  tags: "the tags' names, separated by commas",
  file: "the file name",
  duration: "the length, such as 1:02:03",
};

/** What a caption is made from. */
export interface CaptionFacts {
  readonly fileName: string;
  readonly category: string | null;
  /** In a stable order (the tags' keys), so the same video always gets the same caption. */
  readonly tags: readonly string[];
  readonly durationS: number | null;
}

/** The caption facts of a video as the stores describe it (its category as an object). */
export function captionFactsOf(video: { fileName: string; category: { name: string } | null; tags: readonly string[]; durationS: number | null }): CaptionFacts {
  return { fileName: video.fileName, category: video.category?.name ?? null, tags: video.tags, durationS: video.durationS };
}

/** A caption: the text Telegram keeps (what a post's caption reads back as) with its bold spans, and how Telegram counts it. */
export interface Caption extends PostText {
  readonly plainLength: number;
  /** Tags whose hashtags did not fit and were left out, from the end. */
  readonly droppedTags: number;
}

/** "JEE-Adv_Phy-ElectroStatics_L04.mp4" → "JEE Adv Phy ElectroStatics L04". */
export function titleFrom(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  const stem = dot > 0 ? fileName.slice(0, dot) : fileName;
  const title = stem.replace(/[_\s]+/gu, " ").replace(/(?<=\S)-(?=\S)/gu, " ").replace(/\s+/gu, " ").trim();
  return title === "" ? stem : title;
}

/** Unique hashtags (Telegram compares them case-insensitively), category first. */
export function hashtagsOf(category: string | null, tags: readonly string[]): { category: string | null; tags: string[] } {
  const seen = new Set<string>();
  const take = (name: string): string | null => {
    const tag = hashtagFor(name);
    if (tag === "" || seen.has(tag.toLocaleLowerCase("en"))) return null;
    seen.add(tag.toLocaleLowerCase("en"));
    return tag;
  };
  const categoryTag = category === null ? null : take(category);
  return { category: categoryTag, tags: tags.map(take).filter((t): t is string => t !== null) };
}

/** The placeholders a template uses that do not exist, or an empty list. */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(/\{([^{}\s]*)\}/gu)].map((m) => m[1] ?? "").filter((name) => !(name in PLACEHOLDERS));
}

const utf16Length = (text: string): number => text.length;

// Bold runs are marked in the text while it is tidied, then turned into spans: tidying sees them as the
// characters they stand for, and no file name can bring them in (they are taken out of every value).
const BOLD_START = "\u0001";
const BOLD_END = "\u0002";
const unmarked = (text: string): string => text.replaceAll(BOLD_START, "").replaceAll(BOLD_END, "");

/** The marked text split into the text Telegram keeps and the bold spans (UTF-16 offsets, as Telegram counts). */
function spansOf(marked: string): PostText {
  const bold: TextSpan[] = [];
  let text = "";
  let open: number | null = null;
  for (const ch of marked) {
    if (ch === BOLD_START) open = text.length;
    else if (ch === BOLD_END) {
      if (open !== null && text.length > open) bold.push({ offset: open, length: text.length - open });
      open = null;
    } else text += ch;
  }
  return { text, bold };
}

function render(template: string, facts: CaptionFacts, hashtags: string[], names: readonly string[], truncateTitleTo: number | null): PostText {
  let title = unmarked(titleFrom(facts.fileName));
  if (truncateTitleTo !== null && title.length > truncateTitleTo) title = `${[...title].slice(0, Math.max(1, truncateTitleTo - 1)).join("")}…`;
  const values: Record<string, string> = {
    title: `${BOLD_START}${title}${BOLD_END}`,
    hashtags: hashtags.join(" "),
    category: unmarked(facts.category ?? ""),
    tags: unmarked(names.join(", ")),
    file: unmarked(facts.fileName),
    duration: facts.durationS === null ? "" : formatDuration(facts.durationS),
  };
  let marked = "";
  let last = 0;
  for (const match of template.matchAll(/\{([a-z]+)\}/gu)) {
    const value = values[match[1] ?? ""];
    if (value === undefined) continue;
    marked += unmarked(template.slice(last, match.index)) + value;
    last = match.index + match[0].length;
  }
  marked += unmarked(template.slice(last));
  // Telegram trims a caption and drops empty lines' trailing spaces; lines emptied by a missing value go too.
  const tidy = (text: string): string => text.split("\n").map((l) => l.replace(/[ \t]+$/u, "")).filter((l, i, all) => l !== "" || (i > 0 && all[i - 1] !== "")).join("\n").trim();
  return spansOf(tidy(marked));
}

/**
 * The caption of a video: deterministic for the same facts and template, with valid and
 * unique hashtags, and never over 1024 characters as Telegram counts them: tags are dropped from the end
 * until it fits, and only then is the title shortened.
 */
export function captionFor(facts: CaptionFacts, template: string = DEFAULT_CAPTION_TEMPLATE): Caption {
  const { category, tags } = hashtagsOf(facts.category, facts.tags);
  const head = category === null ? [] : [category];
  const most = Math.max(tags.length, facts.tags.length);
  for (let keep = most; keep >= 0; keep--) {
    const out = render(template, facts, [...head, ...tags.slice(0, keep)], facts.tags.slice(0, keep), null);
    if (utf16Length(out.text) <= MAX_CAPTION) return { ...out, plainLength: utf16Length(out.text), droppedTags: Math.max(0, tags.length - keep) };
  }
  let room = MAX_CAPTION;
  for (;;) {
    const out = render(template, facts, head, [], room);
    if (utf16Length(out.text) <= MAX_CAPTION || room <= 1) return { ...out, plainLength: utf16Length(out.text), droppedTags: tags.length };
    room -= utf16Length(out.text) - MAX_CAPTION;
  }
}
