import { InlineKeyboard } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import { encodeCallback } from "../callback-data/codec.js";
import type { SyncFinalReport, SyncProgressReport } from "../../services/sync/sync-report.js";
import { syncFinalHtml, syncProgressHtml } from "./sync-text.js";

export const SYNC = "y";
/** A preview's answers, by their index in the button's data. */
export const PREVIEW_CHOICES = ["apply", "none", "cancel"] as const;

/** The answers to a sync preview: move the removals to the trash (when within the cap), only copy, or drop it. */
export function syncPreviewButtons(runId: number, canApply: boolean): InlineKeyboardMarkup {
  const keyboard = new InlineKeyboard();
  if (canApply) keyboard.text("🗑 Copy, and move removals to the trash", encodeCallback(SYNC, "g", runId, PREVIEW_CHOICES.indexOf("apply"))).row();
  keyboard.text("📥 Only copy", encodeCallback(SYNC, "g", runId, PREVIEW_CHOICES.indexOf("none"))).text("✖ Cancel", encodeCallback(SYNC, "g", runId, PREVIEW_CHOICES.indexOf("cancel")));
  return keyboard;
}

/** A sync run's reports as its chat message shows them: a preview comes with its answer buttons. */
export const syncReportView = {
  progress: (report: SyncProgressReport): string => syncProgressHtml(report),
  final: (report: SyncFinalReport): { html: string; keyboard?: InlineKeyboardMarkup } =>
    report.kind === "preview" ? { html: syncFinalHtml(report), keyboard: syncPreviewButtons(report.runId, report.canApply) } : { html: syncFinalHtml(report) },
};
