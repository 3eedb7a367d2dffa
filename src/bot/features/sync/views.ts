import { InlineKeyboard } from "grammy";
import { escapeHtml } from "../../format.js";
import { label, shortenMiddle, type View } from "../../views/view.js";
import { addPager, pageNote, pageOf } from "../../views/paging.js";
import { messageWithList } from "../../../infra/telegram/limits.js";
import { folderTitle } from "../../../services/sync/sync-report.js";
import type { SyncFolder } from "../../../services/sync/ports.js";
import { SYNC_BUTTONS } from "./buttons.js";

const HOW = [
  "A sync folder (a synced Dropbox folder, a network share…) is mirrored into a folder of the library:",
  "new and changed videos are copied, several at a time; a partly copied file never shows under its real name, and an interrupted sync goes on where it stopped.",
  "Videos that left the source are only removed after a preview, within the deletion cap (/settings), and go to the trash.",
].join(" ");

/** Folders per page: their paths are long, and each has two buttons. */
const FOLDERS_PER_PAGE = 8;

/** The sync folders, a page at a time (`y:l:<page>`): two buttons each, numbered as the lines are. */
export function listView(all: readonly SyncFolder[], roots: readonly string[], page: number): View {
  const folders = pageOf(all, page, FOLDERS_PER_PAGE);
  const keyboard = new InlineKeyboard();
  const number = (i: number): number => folders.first + i + 1;
  // A very long path is shortened in the middle, so both ends show.
  const lines = folders.items.map((f, i) => `${number(i)}. ${escapeHtml(shortenMiddle(folderTitle(f, roots), 400))}`);
  folders.items.forEach((f, i) => {
    keyboard.text(`🔄 Sync ${number(i)}`, SYNC_BUTTONS.run.pack({ folderId: f.id })).text(label(`✖ Forget ${number(i)}`, 20), SYNC_BUTTONS.forget.pack({ folderId: f.id })).row();
  });
  addPager(keyboard, folders, (p) => SYNC_BUTTONS.list.pack({ page: p }));
  keyboard.text("➕ Add a sync folder", SYNC_BUTTONS.add.pack({}));
  const head = `🔁 <b>Sync folders</b>${pageNote(folders)}`;
  const body = folders.items.length === 0 ? ["No sync folders yet."] : lines;
  return { text: messageWithList(head, body, `\n<i>${escapeHtml(HOW)}</i>`, { more: (n) => `… and ${n} more ${n === 1 ? "folder" : "folders"}` }), keyboard };
}
