import { escapeHtml, html } from "../format.js";
import { plural } from "../../services/shared/units.js";
import type { AdminNotice } from "../../services/notices/notifier.js";
import { conversionDoneText, conversionFailedText } from "./conversion-notices.js";
import { noticeText } from "./publish-notices.js";
import { processLostHtml } from "./processes.js";
import { guardAlert, syncFinalHtml } from "./sync-text.js";

/** A notice for the owners and admins as Telegram HTML. */
export function adminNoticeHtml(notice: AdminNotice): string {
  switch (notice.kind) {
    case "conversion.done":
      return conversionDoneText(notice);
    case "conversion.failed":
      return conversionFailedText(notice);
    case "library.folder-back":
      return `✅ <b>Library folder is back</b>\n${escapeHtml(notice.folder)} can be read again: ${plural(notice.found, "file")} found there. ` +
        "Scans mark files missing again as usual.";
    case "library.folder-attention": {
      const n = notice.wouldMarkMissing;
      return `⚠️ <b>Library folder needs attention</b>\n${escapeHtml(notice.folder)}: ${escapeHtml(notice.reason)}.\n` +
        `${plural(n, "indexed file")} ${n === 1 ? "was" : "were"} not found there; to be safe nothing was marked missing. ` +
        "Check the folder or share, then run /scan. You will get a message here when it can be read again.";
    }
    case "export.ready":
      return `📡 <b>HLS export ready</b>: ${escapeHtml(notice.fileName)}\n${notice.rungs} · <code>${escapeHtml(notice.playlist)}</code> in the export folder`;
    case "export.failed": {
      const lines = notice.tail.length === 0 ? "" : `\n<pre>${escapeHtml(notice.tail.join("\n"))}</pre>`;
      return `❌ <b>HLS export failed</b>: ${escapeHtml(notice.fileName)}\n${escapeHtml(notice.why)}${lines}`;
    }
    case "publish.batch":
      return noticeText(notice.notices);
    case "publish.blocked":
      return html`🚨 Not sent: ${notice.fileName}. ${notice.reason}. Nothing was posted. Check the category's channel in /channels.`;
    case "publish.old-post-kept":
      return html`⚠️ The post in ${notice.channelTitle} could not be deleted (${notice.description}); delete it by hand: ${notice.link}`;
    case "publish.interrupted": {
      const n = notice.count;
      return [
        `⚠️ ${n === 1 ? "1 upload was" : `${n} uploads were`} interrupted while sending and may have been posted:`,
        ...notice.names.map((name) => html`• ${name}`),
        `vidlib looks for ${n === 1 ? "it" : "them"} in the channel now and tells you what it finds; when it cannot tell, choose in /queue: Resend, or Mark sent.`,
      ].join("\n");
    }
    case "sync.held-back":
      return guardAlert(notice.title, notice.reason, notice.kept);
    case "sync.report":
      return syncFinalHtml(notice.report);
    case "process.lost":
      return processLostHtml(notice, Date.now());
  }
}
