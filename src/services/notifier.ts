/** Sends a message (Telegram HTML) to every owner and admin; failures for one person do not stop the others. */
export interface AdminNotifier {
  notifyAdmins(html: string): Promise<void>;
}
