import { InlineKeyboard } from "grammy";
import { html } from "../../format.js";
import { hashtagFor } from "../../../services/catalog/tag-names.js";
import { formatCount } from "../../../services/shared/units.js";
import { label, type View } from "../../views/view.js";
import { TAG_BUTTONS } from "./buttons.js";

export const PAGE_SIZE = 20;

/** One page of tags, most used first. */
export function libraryView(tags: readonly { id: number; name: string; uses: number }[], total: number, page: number): View {
  const keyboard = new InlineKeyboard();
  tags.forEach((t, i) => {
    keyboard.text(label(`${t.name} (${formatCount(t.uses)})`, 30), TAG_BUTTONS.open.pack({ tagId: t.id, page }));
    if (i % 2 === 1) keyboard.row();
  });
  keyboard.row();
  if (page > 0) keyboard.text("‹ Previous", TAG_BUTTONS.page.pack({ page: page - 1 }));
  if ((page + 1) * PAGE_SIZE < total) keyboard.text("Next ›", TAG_BUTTONS.page.pack({ page: page + 1 }));
  const text = total === 0
    ? "There are no tags yet. Open a video's card and tap Tags to add some."
    : `🏷 <b>${formatCount(total)} tags</b>, most used first. Tap one to rename it or merge it into another.`;
  return { text, keyboard };
}

/** One tag, with its rename button. */
export function tagView(tag: { id: number; name: string; uses: number }, page: number): View {
  return {
    text: html`🏷 ${tag.name}: on ${formatCount(tag.uses)} videos; in captions it becomes ${hashtagFor(tag.name) || "no hashtag"}.` +
      "\n\nRename it with the button below. Renaming it to the name of another tag merges the two.",
    keyboard: new InlineKeyboard().text("✏️ Rename or merge", TAG_BUTTONS.rename.pack({ tagId: tag.id })).row().text("← All tags", TAG_BUTTONS.page.pack({ page })),
  };
}
