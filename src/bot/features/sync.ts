import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { encodeCallback } from "../callback-data/codec.js";
import { escapeHtml } from "../format.js";
import { actorOf, EXPIRED, pressed, send, showInPlace, who } from "../views/respond.js";
import { label, type View } from "../views/view.js";
import { addPager, pageNote, pageOf } from "../views/paging.js";
import { messageWithList } from "../../infra/telegram/limits.js";
import { PREVIEW_CHOICES, SYNC } from "../views/sync.js";
import { folderTitle } from "../../services/sync/sync-report.js";
import { calculatingText } from "../views/sync-text.js";
import { ownerText } from "../../services/sync/owner.js";

export const syncFeature = new Composer<BotContext>();

const HOW = [
  "A sync folder (a synced Dropbox folder, a network share…) is mirrored into a folder of the library:",
  "new and changed videos are copied, several at a time; a partly copied file never shows under its real name, and an interrupted sync goes on where it stopped.",
  "Videos that left the source are only removed after a preview, within the deletion cap (/settings), and go to the trash.",
].join(" ");

/** Folders per page: their paths are long, and each has two buttons. */
const FOLDERS_PER_PAGE = 8;

/** The sync folders, a page at a time (`y:l:<page>`): two buttons each, numbered as the lines are. */
async function listView(ctx: BotContext, page = 0): Promise<View> {
  const folders = pageOf(await ctx.deps.services.sync.folders(actorOf(ctx)), page, FOLDERS_PER_PAGE);
  const keyboard = new InlineKeyboard();
  const number = (i: number): number => folders.first + i + 1;
  // A very long path is shortened in the middle, so both ends show.
  const lines = folders.items.map((f, i) => `${number(i)}. ${escapeHtml(middle(folderTitle(f, ctx.deps.services.library.roots), 400))}`);
  folders.items.forEach((f, i) => {
    keyboard.text(`🔄 Sync ${number(i)}`, encodeCallback(SYNC, "r", f.id)).text(label(`✖ Forget ${number(i)}`, 20), encodeCallback(SYNC, "f", f.id)).row();
  });
  addPager(keyboard, folders, (p) => encodeCallback(SYNC, "l", p));
  keyboard.text("➕ Add a sync folder", encodeCallback(SYNC, "a"));
  const head = `🔁 <b>Sync folders</b>${pageNote(folders)}`;
  const body = folders.items.length === 0 ? ["No sync folders yet."] : lines;
  return { text: messageWithList(head, body, `\n<i>${escapeHtml(HOW)}</i>`, { more: (n) => `… and ${n} more ${n === 1 ? "folder" : "folders"}` }), keyboard };
}

const middle = (text: string, max: number): string => {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max / 2 - 1).join("")}…${chars.slice(-(max / 2)).join("")}`;
};

/** Text typed after ➕ Add a sync folder: the source, and optionally the target on a second line. */
export async function onTypedSyncFolder(ctx: BotContext, text: string): Promise<void> {
  const { sync, library, chat } = ctx.deps.services;
  const [source = "", target] = text.split(/\r?\n/u).map((l) => l.trim()).filter((l) => l !== "");
  const root = library.roots[0];
  if (root === undefined) {
    await ctx.reply("No library folders are configured (LIBRARY_ROOTS), so there is nowhere to sync into.");
    return;
  }
  const name = source.split(/[\\/]/u).filter((p) => p !== "").at(-1) ?? "";
  const result = await sync.register(actorOf(ctx), source, target ?? (name === "" ? "" : `${root.replace(/[\\/]+$/u, "")}/${name}`));
  if (!result.ok) {
    await ctx.reply(`That folder cannot be synced: ${result.problem}. Send another path, or /cancel.`);
    return;
  }
  await chat.clearPrompt(who(ctx).chatId);
  await ctx.reply(`✅ Registered: ${escapeHtml(folderTitle(result.folder, ctx.deps.services.library.roots))}`, { parse_mode: "HTML" });
  await send(ctx, await listView(ctx));
}

syncFeature.command("sync", async (ctx) => {
  await send(ctx, await listView(ctx));
});

syncFeature.callbackQuery(/^y:/, async (ctx) => {
  const button = pressed(ctx, SYNC);
  const [id, choiceAt] = button?.ids ?? [];
  const { sync, chat } = ctx.deps.services;
  const actor = actorOf(ctx);
  switch (button?.data.verb) {
    case "l":
      await ctx.answerCallbackQuery();
      return showInPlace(ctx, await listView(ctx, id ?? 0));
    case "a":
      await ctx.answerCallbackQuery();
      await chat.setPrompt(who(ctx).chatId, { kind: "sync-folder" });
      await ctx.reply([
        "Send the full path of the source folder, as vidlib's machine sees it.",
        `It goes into a folder of the same name in the library folder ${ctx.deps.services.library.roots[0] === undefined ? "(none configured)" : ctx.deps.services.library.paths.folder(ctx.deps.services.library.roots[0])}.`,
        "To choose the library folder yourself, send two lines: the source, then the target. /cancel stops.",
      ].join("\n"));
      return;
    case "f": {
      const done = id !== undefined && (await sync.unregister(actor, id));
      await ctx.answerCallbackQuery({ text: done ? "Forgotten; no file was touched" : EXPIRED });
      return showInPlace(ctx, await listView(ctx));
    }
    case "r": {
      const folder = id === undefined ? null : await sync.folder(actor, id);
      if (folder === null) return void (await ctx.answerCallbackQuery({ text: EXPIRED }));
      await ctx.answerCallbackQuery();
      const first = calculatingText(folderTitle(folder, ctx.deps.services.library.roots));
      const sent = await ctx.reply(first, { parse_mode: "HTML" });
      const started = await sync.start(actor, folder.id, "preview", { chatId: sent.chat.id, messageId: sent.message_id });
      if (started.kind === "busy") {
        const holder = escapeHtml(ownerText(started.owner, started.heartbeatAt, Date.now()));
        await ctx.api.editMessageText(sent.chat.id, sent.message_id, `⏳ This folder is being synced already (${holder}); its progress message shows how far it is.`, { parse_mode: "HTML" });
      }
      else if (started.kind === "unknown") await ctx.api.editMessageText(sent.chat.id, sent.message_id, EXPIRED);
      else started.done.catch((err: unknown) => ctx.deps.logger.error({ err, runId: started.runId }, "sync failed"));
      return;
    }
    case "g": {
      const choice = PREVIEW_CHOICES[choiceAt ?? -1];
      if (id === undefined || choice === undefined) return void (await ctx.answerCallbackQuery({ text: EXPIRED }));
      const answer = await sync.confirm(actor, id, choice);
      switch (answer.kind) {
        case "stale": return void (await ctx.answerCallbackQuery({ text: "This preview is out of date: start the sync again from /sync.", show_alert: true }));
        case "busy": return void (await ctx.answerCallbackQuery({ text: "Another sync of this folder is running; try again when it has finished.", show_alert: true }));
        case "over-cap": return void (await ctx.answerCallbackQuery({ text: `More files would be removed than the cap of ${answer.cap} allows (/settings).`, show_alert: true }));
        case "cancelled":
          await ctx.answerCallbackQuery({ text: "Cancelled" });
          return showInPlace(ctx, { text: "✖ Sync cancelled; nothing was copied or removed.", keyboard: new InlineKeyboard() });
        case "started":
          await ctx.answerCallbackQuery({ text: choice === "apply" ? "Syncing; removals go to the trash" : "Syncing; nothing is removed" });
          answer.done.catch((err: unknown) => ctx.deps.logger.error({ err, runId: id }, "sync failed"));
          return;
      }
      return;
    }
    default:
      await ctx.answerCallbackQuery({ text: EXPIRED });
  }
});
