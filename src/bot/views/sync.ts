import { InlineKeyboard } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { SyncFinalReport, SyncProgressReport } from "../../services/sync/sync-report.js";
import { PREVIEW_CHOICES, SYNC_BUTTONS } from "../features/sync/buttons.js";
import { syncFinalHtml, syncProgressHtml } from "./sync-text.js";

/** The answers to a sync preview: move the removals to the trash (when within the cap), only copy, or drop it. */
export function syncPreviewButtons(runId: number, canApply: boolean): InlineKeyboardMarkup {
  const keyboard = new InlineKeyboard();
  const answer = (choice: (typeof PREVIEW_CHOICES)[number]): string => SYNC_BUTTONS.answer.pack({ runId, choice: PREVIEW_CHOICES.indexOf(choice) });
  if (canApply) keyboard.text("🗑 Copy, and move removals to the trash", answer("apply")).row();
  keyboard.text("📥 Only copy", answer("none")).text("✖ Cancel", answer("cancel"));
  return keyboard;
}

/** A sync run's reports as its chat message shows them: a preview comes with its answer buttons. */
export const syncReportView = {
  progress: (report: SyncProgressReport): string => syncProgressHtml(report),
  final: (report: SyncFinalReport): { html: string; keyboard?: InlineKeyboardMarkup } =>
    report.kind === "preview" ? { html: syncFinalHtml(report), keyboard: syncPreviewButtons(report.runId, report.canApply) } : { html: syncFinalHtml(report) },
};
