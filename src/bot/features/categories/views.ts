import { InlineKeyboard } from "grammy";
import { html } from "../../format.js";
import { formatCount } from "../../../services/shared/units.js";
import type { Category } from "../../../entities/category.js";
import type { CategoryProblem } from "../../../services/catalog/categories.js";
import { addPager, pageNote, type Page } from "../../views/paging.js";
import { label, type View } from "../../views/view.js";
import { AUDIENCE_BUTTONS, CATEGORY_BUTTONS } from "./buttons.js";

/** Why a name or audience was refused, and what to send instead. */
export function describeCategoryProblem(problem: CategoryProblem): string {
  switch (problem.kind) {
    case "empty-name": return "The name cannot be empty. Send a name, or /cancel.";
    case "name-too-long": return `That name is too long (at most ${problem.max} characters). Send a shorter one, or /cancel.`;
    case "bad-audience": return "An audience is a short word such as students or staff (letters, digits, spaces, - and _). Try again, or /cancel.";
    case "exists": return html`A category named “${problem.existing}” already exists. Send another name, or /cancel.`;
  }
}

/** One button per audience; the callback carries the list position, never the label. */
export function audienceKeyboard(audiences: readonly string[]): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  audiences.forEach((audience, i) => {
    keyboard.text(audience, AUDIENCE_BUTTONS.pick.pack({ index: i }));
    if (i % 2 === 1) keyboard.row();
  });
  return keyboard;
}

/** A page of the list of categories, with how many videos each has. */
export function listView(total: number, shown: Page<Category>, usage: ReadonlyMap<number, number>): View {
  const keyboard = new InlineKeyboard();
  for (const c of shown.items) {
    keyboard.text(label(`${c.name} — ${c.audience} (${formatCount(usage.get(c.id) ?? 0)})`, 50), CATEGORY_BUTTONS.open.pack({ categoryId: c.id })).row();
  }
  addPager(keyboard, shown, (page) => CATEGORY_BUTTONS.list.pack({ page }));
  keyboard.text("➕ New category", CATEGORY_BUTTONS.create.pack({}));
  const text = total === 0
    ? "There are no categories yet."
    : `📂 <b>Categories (${formatCount(total)})</b>${pageNote(shown)}: name — audience (videos). Tap one to rename or delete it.`;
  return { text, keyboard };
}

/** The "← Categories" button, back to the page of the list a category is on. */
export const backToList = (page: number): InlineKeyboard => new InlineKeyboard().text("← Categories", CATEGORY_BUTTONS.list.pack({ page }));

/** One category, with its rename, delete and review-first buttons. */
export function categoryView(category: Category, used: number, listPage: number): View {
  const review = category.reviewFirst
    ? "\n🔍 Review first: <b>on</b>. Its uploads go to the review chat as drafts; an admin approves (then it is posted) or rejects them."
    : "\nReview first: off. Its uploads are posted directly.";
  const categoryId = category.id;
  return {
    text: html`📂 ${category.name}: audience ${category.audience}, ${formatCount(used)} videos.` + review,
    keyboard: new InlineKeyboard().text("✏️ Rename", CATEGORY_BUTTONS.rename.pack({ categoryId })).text("🗑 Delete", CATEGORY_BUTTONS.delete.pack({ categoryId })).row()
      .text(category.reviewFirst ? "🔍 Review first: on → turn off" : "🔍 Review first: off → turn on", CATEGORY_BUTTONS.review.pack({ categoryId })).row()
      .text("← Categories", CATEGORY_BUTTONS.list.pack({ page: listPage })),
  };
}

/** Deleting a category no video uses: one confirmation. */
export function confirmDeleteView(category: Category, listPage: number): View {
  return {
    text: html`Delete ${category.name}? No video uses it.`,
    keyboard: new InlineKeyboard().text("🗑 Yes, delete it", CATEGORY_BUTTONS.confirmDelete.pack({ categoryId: category.id }))
      .text("Cancel", CATEGORY_BUTTONS.list.pack({ page: listPage })),
  };
}

/** Deleting a category in use: where its videos go, the other categories a page at a time. */
export function moveVideosView(category: Category, used: number, others: Page<Category>, listPage: number): View {
  const categoryId = category.id;
  const keyboard = new InlineKeyboard();
  for (const other of others.items) {
    keyboard.text(label(`→ ${other.name} (${other.audience})`), CATEGORY_BUTTONS.moveAndDelete.pack({ categoryId, target: other.id })).row();
  }
  addPager(keyboard, others, (page) => CATEGORY_BUTTONS.delete.pack({ categoryId, page }));
  keyboard.text("→ No category", CATEGORY_BUTTONS.moveAndDelete.pack({ categoryId, target: 0 })).row().text("Cancel", CATEGORY_BUTTONS.list.pack({ page: listPage }));
  return {
    text: html`${formatCount(used)} ${used === 1 ? "video is" : "videos are"} in ${category.name}. Choose where they go; then the category is deleted.` + pageNote(others),
    keyboard,
  };
}
