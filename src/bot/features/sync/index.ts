import { Composer, InlineKeyboard } from "grammy";
import { z } from "zod";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { onButton } from "../../callback-data/on-button.js";
import { definePrompt } from "../../prompts/define-prompt.js";
import { escapeHtml } from "../../format.js";
import { actorOf, EXPIRED, send, showInPlace } from "../../views/respond.js";
import { calculatingText } from "../../views/sync-text.js";
import { folderTitle } from "../../../services/sync/sync-report.js";
import { ownerText } from "../../../services/sync/owner.js";
import type { Logger } from "../../../infra/logging/logger.js";
import type { LibraryService } from "../../../services/library/library-service.js";
import type { SyncService } from "../../../services/sync/sync-service.js";
import { PREVIEW_CHOICES, SYNC_BUTTONS } from "./buttons.js";
import { listView } from "./views.js";

/** Text typed after ➕ Add a sync folder: the source, and optionally the target on a second line. */
function syncFolderPrompt(sync: SyncService, library: LibraryService, list: (ctx: BotContext) => Promise<void>) {
  return definePrompt("sync-folder", z.object({}), async (ctx, _state, text) => {
    const [source = "", target] = text.split(/\r?\n/u).map((l) => l.trim()).filter((l) => l !== "");
    const root = library.roots[0];
    if (root === undefined) {
      await ctx.reply("No library folders are configured (LIBRARY_ROOTS), so there is nowhere to sync into.");
      return;
    }
    const name = source.split(/[\\/]/u).filter((p) => p !== "").at(-1) ?? "";
    const result = await sync.register(actorOf(ctx), source, target ?? (name === "" ? "" : `${root.replace(/[\\/]+$/u, "")}/${name}`));
    if (!result.ok) {
      await ctx.reply(`That folder cannot be synced: ${escapeHtml(result.problem)}. Send another path, or /cancel.`);
      return;
    }
    await ctx.prompt.clear();
    await ctx.reply(`✅ Registered: ${escapeHtml(folderTitle(result.folder, library.roots))}`);
    await list(ctx);
  });
}

/** Starts a preview run of a folder on a new message, which the run then keeps up to date. */
async function startPreview(ctx: BotContext, sync: SyncService, logger: Logger, title: string, folderId: number): Promise<void> {
  const sent = await ctx.reply(calculatingText(title));
  const started = await sync.start(actorOf(ctx), folderId, "preview", { chatId: sent.chat.id, messageId: sent.message_id });
  if (started.kind === "busy") {
    const holder = escapeHtml(ownerText(started.owner, started.heartbeatAt, Date.now()));
    await ctx.api.editMessageText(sent.chat.id, sent.message_id, `⏳ This folder is being synced already (${holder}); its progress message shows how far it is.`);
  }
  else if (started.kind === "unknown") await ctx.api.editMessageText(sent.chat.id, sent.message_id, EXPIRED);
  else started.done.catch((err: unknown) => logger.error({ err, runId: started.runId }, "sync failed"));
}

/** The answer to a preview: apply (removals to the trash), only copy, or cancel. */
async function answerPreview(ctx: BotContext, sync: SyncService, logger: Logger, runId: number, choice: (typeof PREVIEW_CHOICES)[number]): Promise<void> {
  const answer = await sync.confirm(actorOf(ctx), runId, choice);
  switch (answer.kind) {
    case "stale": return void (await ctx.answerCallbackQuery({ text: "This preview is out of date: start the sync again from /sync.", show_alert: true }));
    case "busy": return void (await ctx.answerCallbackQuery({ text: "Another sync of this folder is running; try again when it has finished.", show_alert: true }));
    case "over-cap": return void (await ctx.answerCallbackQuery({ text: `More files would be removed than the cap of ${answer.cap} allows (/settings).`, show_alert: true }));
    case "cancelled":
      await ctx.answerCallbackQuery({ text: "Cancelled" });
      return showInPlace(ctx, { text: "✖ Sync cancelled; nothing was copied or removed.", keyboard: new InlineKeyboard() });
    case "started":
      await ctx.answerCallbackQuery({ text: choice === "apply" ? "Syncing; removals go to the trash" : "Syncing; nothing is removed" });
      answer.done.catch((err: unknown) => logger.error({ err, runId }, "sync failed"));
  }
}

/** /sync: folders mirrored into the library, each run previewed before anything is removed. */
export const syncFeature = defineFeature({
  name: "sync",
  uses: ["sync", "library", "logger"],
  commands: { sync: "sync" },
  buttons: Object.values(SYNC_BUTTONS),
  prompts: ["sync-folder"],
  create({ sync, library, logger }) {
    const composer = new Composer<BotContext>();
    const list = async (ctx: BotContext, page = 0) => listView(await sync.folders(actorOf(ctx)), library.roots, page);
    const folderPrompt = syncFolderPrompt(sync, library, async (ctx) => void (await send(ctx, await list(ctx))));

    composer.command("sync", async (ctx) => {
      await send(ctx, await list(ctx));
    });
    onButton(composer, SYNC_BUTTONS.list, async (ctx, { page = 0 }) => {
      await ctx.answerCallbackQuery();
      await showInPlace(ctx, await list(ctx, page));
    });
    onButton(composer, SYNC_BUTTONS.add, async (ctx) => {
      await ctx.answerCallbackQuery();
      await folderPrompt.ask(ctx, {});
      const root = library.roots[0];
      await ctx.reply([
        "Send the full path of the source folder, as vidlib's machine sees it.",
        `It goes into a folder of the same name in the library folder ${root === undefined ? "(none configured)" : escapeHtml(library.paths.folder(root))}.`,
        "To choose the library folder yourself, send two lines: the source, then the target. /cancel stops.",
      ].join("\n"));
    });
    onButton(composer, SYNC_BUTTONS.forget, async (ctx, { folderId }) => {
      const done = await sync.unregister(actorOf(ctx), folderId);
      await ctx.answerCallbackQuery({ text: done ? "Forgotten; no file was touched" : EXPIRED });
      await showInPlace(ctx, await list(ctx));
    });
    onButton(composer, SYNC_BUTTONS.run, async (ctx, { folderId }) => {
      const folder = await sync.folder(actorOf(ctx), folderId);
      if (folder === null) return void (await ctx.answerCallbackQuery({ text: EXPIRED }));
      await ctx.answerCallbackQuery();
      await startPreview(ctx, sync, logger, folderTitle(folder, library.roots), folder.id);
    });
    onButton(composer, SYNC_BUTTONS.answer, async (ctx, { runId, choice }) => {
      const chosen = PREVIEW_CHOICES[choice];
      if (chosen === undefined) return void (await ctx.answerCallbackQuery({ text: EXPIRED }));
      await answerPreview(ctx, sync, logger, runId, chosen);
    });
    composer.use(folderPrompt.middleware);
    return composer;
  },
});
