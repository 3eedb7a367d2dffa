// What a tag may be called, when two spellings are one tag, and the hashtag each becomes.

export const MAX_TAG_LENGTH = 40;

export type TagNameProblem =
  | { readonly kind: "empty" }
  | { readonly kind: "too-long"; readonly name: string; readonly max: number }
  | { readonly kind: "no-letters"; readonly name: string };

export type CleanTag = { readonly ok: true; readonly name: string; readonly key: string } | { readonly ok: false; readonly problem: TagNameProblem };

/**
 * A tag as typed becomes its display form (trimmed, inner spaces collapsed, a leading # dropped) and
 * its key (the display form lower-cased): "Revision", " revision " and "#REVISION" are one tag.
 */
export function cleanTagName(raw: string): CleanTag {
  const name = raw.normalize("NFC").replace(/\s+/gu, " ").trim().replace(/^#+\s*/u, "");
  if (name === "") return { ok: false, problem: { kind: "empty" } };
  if ([...name].length > MAX_TAG_LENGTH) return { ok: false, problem: { kind: "too-long", name, max: MAX_TAG_LENGTH } };
  if (!/[\p{L}\p{N}]/u.test(name)) return { ok: false, problem: { kind: "no-letters", name } };
  return { ok: true, name, key: tagKey(name) };
}

export const tagKey = (name: string): string => name.toLocaleLowerCase("en");

/** Tags as typed in one message: separated by commas, semicolons or new lines; or by spaces when written as #hashtags. */
export function splitTagList(text: string): string[] {
  const parts = /[,;\n]/u.test(text) || !text.trim().startsWith("#") ? text.split(/[,;\n]+/u) : text.split(/\s+(?=#)/u);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

/**
 * The hashtag a tag becomes in captions. Telegram hashtags hold letters, combining marks, digits and
 * underscores only, so every other run of characters becomes one underscore: "sci-fi" → #sci_fi,
 * "Class 12" → #Class_12. A hashtag of digits only is not a hashtag in Telegram ("#2024" stays plain
 * text), so such a tag gets the prefix "tag_": "2024" → #tag_2024.
 */
export function hashtagFor(tagName: string): string {
  const body = tagName.normalize("NFKC").replace(/[^\p{L}\p{M}\p{N}_]+/gu, "_").replace(/_+/gu, "_").replace(/^_|_$/gu, "");
  if (body === "") return "";
  return /\p{L}/u.test(body) ? `#${body}` : `#tag_${body}`;
}
