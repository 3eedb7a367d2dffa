import type { ChannelPoster, DraftStatus, OutgoingVideo, PostText, ReviewDesk, TelegramOutcome } from "../../services/publish/ports.js";
import { draftButtons, draftStatusText } from "../views/review.js";

/**
 * Drafts in the review chat as the bot shows them: sent through the channel poster (the same pacing
 * and outcomes as posts) with the Approve and Reject buttons, and captioned with their decision once
 * decided, which takes the buttons away so no one decides twice.
 */
export class TelegramReviewDesk implements ReviewDesk {
  constructor(private readonly poster: ChannelPoster) {}

  sendDraft(chatId: number, video: OutgoingVideo, caption: PostText, draft: { jobId: number; channelTitle: string }): Promise<TelegramOutcome<{ messageId: number; fileId: string | null }>> {
    return this.poster.sendVideo(chatId, video, caption, draftButtons(draft.jobId, draft.channelTitle));
  }

  showDecision(draft: { chatId: number; messageId: number }, status: DraftStatus): Promise<TelegramOutcome<true>> {
    return this.poster.editCaption(draft.chatId, draft.messageId, draftStatusText(status), []);
  }
}
