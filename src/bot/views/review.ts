import { html } from "../format.js";
import { plainPost, type Buttons, type DraftStatus, type PersonNotice, type PostText } from "../../services/publish/ports.js";
import { label } from "./view.js";
import { REVIEW_BUTTONS } from "../features/review/buttons.js";

/** The buttons under a draft in the review chat (and beside it in /queue). */
export function draftButtons(jobId: number, channelTitle: string): Buttons {
  return [[
    { text: label(`✅ Approve for ${channelTitle}`, 40), data: REVIEW_BUTTONS.approve.pack({ jobId }) },
    { text: "❌ Reject", data: REVIEW_BUTTONS.reject.pack({ jobId }) },
  ]];
}

/** The caption a decided draft gets in place of its own (plain text: Telegram links the post's address itself). */
export function draftStatusText(status: DraftStatus): PostText {
  switch (status.kind) {
    case "approved": return plainPost(`✅ Approved by ${status.by}: being posted in ${status.channel}.`);
    case "rejected": return plainPost(`❌ Rejected by ${status.by}: ${status.reason}`);
    case "posted": return plainPost(`✅ Approved and posted in ${status.channel}${status.link === null ? "." : `: ${status.link}`}`);
  }
}

/** What a person is told about something they queued, as Telegram HTML. */
export function personNoticeHtml(notice: PersonNotice): string {
  switch (notice.kind) {
    case "draft-rejected":
      return html`❌ ${notice.fileName} was not approved for publishing by ${notice.by}.` + "\n" + html`Reason: ${notice.reason}` + "\nIt stays in the library; fix it and send it again.";
  }
}
