import { EventEmitter } from "node:events";
import type { Json } from "../json.js";
import type { ChannelRecord, ChatRecord, StoredMessage, UserRecord } from "./records.js";

export type ChangeKind = "new" | "edit" | "delete";

export interface ChangeEvent {
  readonly chatId: number;
  readonly messageId: number;
  readonly kind: ChangeKind;
}

export type NewMessage = Omit<StoredMessage, "id" | "date" | "changeSeq">;
export type MessagePatch = Partial<Omit<StoredMessage, "chatId" | "id" | "date" | "sender" | "changeSeq">>;

/** Users, chats and messages. Emits "change" (ChangeEvent) so waiters never poll. */
export class ChatStore extends EventEmitter<{ change: [ChangeEvent] }> {
  readonly users = new Map<number, UserRecord>();
  readonly chats = new Map<number, ChatRecord>();
  /** Reply keyboards currently shown in a chat (they outlive the message that sent them). */
  readonly replyKeyboards = new Map<number, string[][]>();
  private readonly messages = new Map<number, Map<number, StoredMessage>>();
  private readonly lastIds = new Map<number, number>();
  private sequence = 0;

  get seq(): number {
    return this.sequence;
  }

  nextSeq(): number {
    return ++this.sequence;
  }

  addMessage(draft: NewMessage): StoredMessage {
    const id = (this.lastIds.get(draft.chatId) ?? 0) + 1;
    this.lastIds.set(draft.chatId, id);
    const message: StoredMessage = { ...draft, id, date: unixNow(), changeSeq: this.nextSeq() };
    this.chatMap(draft.chatId).set(id, message);
    this.emit("change", { chatId: draft.chatId, messageId: id, kind: "new" });
    return message;
  }

  updateMessage(chatId: number, id: number, patch: MessagePatch): StoredMessage | undefined {
    const current = this.getMessage(chatId, id);
    if (current === undefined) return undefined;
    const updated: StoredMessage = { ...current, ...patch, changeSeq: this.nextSeq() };
    this.chatMap(chatId).set(id, updated);
    this.emit("change", { chatId, messageId: id, kind: "edit" });
    return updated;
  }

  deleteMessage(chatId: number, id: number): boolean {
    const deleted = this.chatMap(chatId).delete(id);
    if (deleted) {
      this.nextSeq();
      this.emit("change", { chatId, messageId: id, kind: "delete" });
    }
    return deleted;
  }

  getMessage(chatId: number, id: number): StoredMessage | undefined {
    return this.messages.get(chatId)?.get(id);
  }

  /** The chat as it is now, oldest first. */
  chatMessages(chatId: number): StoredMessage[] {
    return [...(this.messages.get(chatId)?.values() ?? [])].sort((a, b) => a.id - b.id);
  }

  /** The id the next message in this chat will get (for forged references to unsent messages). */
  peekNextId(chatId: number): number {
    return (this.lastIds.get(chatId) ?? 0) + 1;
  }

  /** Resolves a chat_id parameter: a numeric id or "@username" of a channel. */
  resolveChat(chatId: Json | undefined): ChatRecord | undefined {
    if (typeof chatId === "number") return this.chats.get(chatId);
    if (typeof chatId !== "string") return undefined;
    if (/^-?\d+$/.test(chatId)) return this.chats.get(Number(chatId));
    const username = chatId.replace(/^@/, "").toLowerCase();
    return [...this.chats.values()].find(
      (chat): chat is ChannelRecord => chat.kind === "channel" && chat.username?.toLowerCase() === username,
    );
  }

  private chatMap(chatId: number): Map<number, StoredMessage> {
    let map = this.messages.get(chatId);
    if (map === undefined) {
      map = new Map();
      this.messages.set(chatId, map);
    }
    return map;
  }
}

export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
