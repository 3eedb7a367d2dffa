import type { EmulatorCore } from "../core.js";
import { withAutoEntities } from "../format/auto-entities.js";
import type { Json, JsonObject } from "../json.js";
import { originOf } from "../methods/copy-forward.js";
import type { ViewMessage } from "../public-types.js";
import { chatJson, messageJson, userJson } from "../state/api-objects.js";
import type { CallbackAnswer, InlineAnswer } from "../state/queries.js";
import type { StoredMedia, UserRecord } from "../state/records.js";
import { ChatLog } from "./chat-log.js";
import { chatTranscript, deliverMyChatMember, deliverUserMessage, userLabel, waitForQueryAnswer } from "./actions.js";
import { toView } from "./view.js";
import { waitUntil } from "./wait.js";

export interface WaitOptions {
  readonly timeoutMs?: number;
}

export interface PressAnswer {
  readonly text?: string;
  readonly showAlert: boolean;
  readonly url?: string;
}

export interface InlineAnswerView {
  readonly results: Json[];
  readonly nextOffset: string;
  readonly cacheTime: number;
  readonly isPersonal: boolean;
  readonly button?: Json;
}

export interface UserMediaOptions {
  readonly fileName?: string;
  readonly size?: number;
  readonly duration?: number;
  readonly width?: number;
  readonly height?: number;
  readonly caption?: string;
}

/** A person talking to the bot in their private chat. Chat id = user id, as in Telegram. */
export class EmulatedUser {
  /** Change sequence of this user's last action; waits look at what changed after it. */
  private actionSeq = 0;
  /** Message versions a wait has already returned since the last action. */
  private readonly consumed = new Set<string>();

  constructor(
    private readonly core: EmulatorCore,
    private readonly record: UserRecord,
  ) {}

  get id(): number {
    return this.record.id;
  }

  get chatId(): number {
    return this.record.id;
  }

  private act(): void {
    if (this.record.blocked) this.unblock(); // a person must restart a blocked bot before using it
    this.actionSeq = this.core.markUserAction();
    this.consumed.clear();
  }

  private timeout(options: WaitOptions | undefined): number {
    return options?.timeoutMs ?? this.core.options.defaultTimeoutMs;
  }

  /** Sends a text message, trimmed like Telegram does; commands get their bot_command entity. */
  send(text: string): Promise<ViewMessage> {
    return now(() => this.sendNow(text));
  }

  private sendNow(text: string): ViewMessage {
    const trimmed = text.trim();
    if (trimmed === "") throw new Error("Telegram clients cannot send an empty message");
    this.act();
    const entities = withAutoEntities(trimmed, []);
    const message = deliverUserMessage(this.core, { chatId: this.chatId, sender: { kind: "user", userId: this.id }, text: trimmed, entities });
    return toView(message);
  }

  /** Sends a video, photo or document as if uploaded from the phone. */
  sendMedia(kind: StoredMedia["kind"], options: UserMediaOptions = {}): Promise<ViewMessage> {
    return now(() => this.sendMediaNow(kind, options));
  }

  private sendMediaNow(kind: StoredMedia["kind"], options: UserMediaOptions): ViewMessage {
    this.act();
    const file = this.core.files.add({ kind, size: options.size ?? 1024, fileName: options.fileName, source: "upload" });
    const media: StoredMedia = {
      kind, file, width: options.width ?? 1280, height: options.height ?? 720, duration: options.duration ?? 0, supportsStreaming: kind === "video",
    };
    const caption = options.caption?.trim();
    const message = deliverUserMessage(this.core, {
      chatId: this.chatId, sender: { kind: "user", userId: this.id }, media, caption: caption || undefined, entities: [],
    });
    return toView(message);
  }

  /** Forwards a channel post (the newest one unless messageId is given) into the chat with the bot. */
  forwardFromChannel(channelId: number, messageId?: number): Promise<ViewMessage> {
    return now(() => this.forwardNow(channelId, messageId));
  }

  private forwardNow(channelId: number, messageId: number | undefined): ViewMessage {
    const channel = this.core.store.chats.get(channelId);
    if (channel?.kind !== "channel") throw new Error(`no channel ${channelId}; create it with emu.channel()`);
    const posts = this.core.store.chatMessages(channelId);
    const post = messageId === undefined ? posts.at(-1) : this.core.store.getMessage(channelId, messageId);
    if (post === undefined) throw new Error(`channel ${channelId} has no message ${messageId ?? "at all"}; post one with channel.post()`);
    this.act();
    const message = deliverUserMessage(this.core, {
      chatId: this.chatId,
      sender: { kind: "user", userId: this.id },
      text: post.text,
      caption: post.caption,
      entities: post.entities,
      media: post.media,
      forwardOrigin: originOf(this.core, channel, post),
    });
    return toView(message);
  }

  /** Forwards a message this other person wrote (as Telegram shows it; `hidden` when they hide their account in forwards). */
  forwardFromUser(other: EmulatedUser, text: string, options: { hidden?: boolean } = {}): Promise<ViewMessage> {
    return now(() => {
      const record = this.core.store.users.get(other.id);
      if (record === undefined) throw new Error(`no user ${other.id}`);
      this.act();
      const date = Math.floor(Date.now() / 1000);
      const forwardOrigin: JsonObject = options.hidden === true
        ? { type: "hidden_user", date, sender_user_name: record.firstName }
        : { type: "user", date, sender_user: userJson(record) };
      return toView(deliverUserMessage(this.core, { chatId: this.chatId, sender: { kind: "user", userId: this.id }, text, entities: [], forwardOrigin }));
    });
  }

  /**
   * Presses a button on a message in another chat (a channel or group post), as a member of it would.
   * Telegram then sends the bot a callback_query whose message is that post.
   */
  async pressInChat(chatId: number, label: string | RegExp, options?: WaitOptions): Promise<PressAnswer> {
    const matches = (text: string): boolean => (typeof label === "string" ? text === label : label.test(text));
    const message = this.core.store.chatMessages(chatId).filter((m) => m.sender.kind === "bot").reverse()
      .map((m) => ({ m, button: toView(m).keyboard?.flat().find((b) => matches(b.text)) })).find((x) => x.button !== undefined);
    const data = message?.button?.callbackData;
    if (message === undefined || data === undefined) throw new Error(`no button ${String(label)} in chat ${chatId}`);
    this.act();
    const queryId = this.core.queries.create("callback", this.id);
    this.core.updates.push("callback_query", {
      id: queryId, from: userJson(this.record), message: messageJson(message.m, this.core), chat_instance: String(BigInt(chatId) * 7919n + 17n), data,
    });
    const answer = await waitForQueryAnswer<CallbackAnswer>(this.core, queryId, this.timeout(options), () => this.timeoutText(`answerCallbackQuery for "${data}" in chat ${chatId}`, options));
    return { ...(answer.text === undefined ? {} : { text: answer.text }), showAlert: answer.showAlert };
  }

  /** Picks a result of an inline query: with inline feedback on, Telegram tells the bot (chosen_inline_result). */
  chooseInlineResult(resultId: string, query: string): void {
    this.act();
    this.core.updates.push("chosen_inline_result", { result_id: resultId, from: userJson(this.record), query });
  }

  /** Presses the inline button with this label on the newest bot message that has it. */
  async press(label: string | RegExp, options?: WaitOptions): Promise<PressAnswer> {
    const matches = (text: string): boolean => (typeof label === "string" ? text === label : label.test(text));
    for (const message of this.messages().reverse()) {
      if (message.from !== "bot") continue;
      const button = message.keyboard?.flat().find((b) => matches(b.text));
      if (button === undefined) continue;
      if (button.callbackData === undefined) throw new Error(`button "${button.text}" has no callback_data (url: ${button.url ?? "none"})`);
      return this.pressData(button.callbackData, message.id, options);
    }
    const labels = this.messages().flatMap((m) => (m.from === "bot" ? m.buttons.flat() : []));
    throw new Error(`no button ${String(label)} in the chat; buttons: ${JSON.stringify(labels)}\n${this.transcript()}`);
  }

  /**
   * Sends a callback_query with arbitrary data, as a stale or forged button would.
   * Without messageId it is attached to the newest bot message (or to an inaccessible one).
   */
  async pressData(data: string, messageId?: number, options?: WaitOptions): Promise<PressAnswer> {
    this.act();
    const queryId = this.core.queries.create("callback", this.id);
    this.core.updates.push("callback_query", {
      id: queryId,
      from: userJson(this.record),
      message: this.callbackMessage(messageId),
      chat_instance: String(BigInt(this.chatId) * 7919n + 13n),
      data,
    });
    const answer = await waitForQueryAnswer<CallbackAnswer>(this.core, queryId, this.timeout(options), () =>
      this.timeoutText(`answerCallbackQuery for data "${data}"`, options),
    );
    return { ...(answer.text === undefined ? {} : { text: answer.text }), showAlert: answer.showAlert, ...(answer.url === undefined ? {} : { url: answer.url }) };
  }

  private callbackMessage(messageId: number | undefined): JsonObject {
    const newestBot = this.core.store.chatMessages(this.chatId).filter((m) => m.sender.kind === "bot").at(-1);
    const message = messageId === undefined ? newestBot : this.core.store.getMessage(this.chatId, messageId);
    if (message !== undefined) return messageJson(message, this.core);
    const chat = this.core.store.chats.get(this.chatId);
    const id = messageId ?? this.core.store.peekNextId(this.chatId);
    // a deleted (or never sent) message reaches the bot as InaccessibleMessage: date 0
    return { chat: chat === undefined ? { id: this.chatId, type: "private" } : chatJson(chat, this.core), message_id: id, date: 0 };
  }

  /** Types "@bot query" in a chat; resolves once the bot calls answerInlineQuery. */
  async inline(query: string, options: WaitOptions & { offset?: string; chatType?: string } = {}): Promise<InlineAnswerView> {
    if (!this.core.bot.supportsInlineQueries) throw new Error("the bot has inline mode off (supportsInlineQueries: false)");
    this.act();
    const queryId = this.core.queries.create("inline", this.id);
    this.core.updates.push("inline_query", {
      id: queryId, from: userJson(this.record), query, offset: options.offset ?? "", chat_type: options.chatType ?? "sender",
    });
    const answer = await waitForQueryAnswer<InlineAnswer>(this.core, queryId, this.timeout(options), () =>
      this.timeoutText(`answerInlineQuery for "${query}"`, options),
    );
    return { ...answer };
  }

  /** Resolves with the first bot message (sent or edited after this user's last action) matching the predicate. */
  waitForBotMessage(predicate: (message: ViewMessage) => boolean, options?: WaitOptions): Promise<ViewMessage> {
    const since = this.actionSeq;
    return waitUntil({
      core: this.core,
      timeoutMs: this.timeout(options),
      describe: () => this.timeoutText("a matching bot message", options),
      subscribe: (wake) => {
        const onChange = (event: { chatId: number }): void => {
          if (event.chatId === this.chatId) wake();
        };
        this.core.store.on("change", onChange);
        return () => this.core.store.off("change", onChange);
      },
      check: () => this.findBotMessage(predicate, since),
    });
  }

  private findBotMessage(predicate: (message: ViewMessage) => boolean, since: number): ViewMessage | undefined {
    const candidates = this.core.store
      .chatMessages(this.chatId)
      .filter((m) => m.sender.kind === "bot" && m.changeSeq > since && !this.consumed.has(`${m.id}@${m.changeSeq}`))
      .sort((a, b) => a.changeSeq - b.changeSeq);
    for (const message of candidates) {
      const view = toView(message);
      if (!predicate(view)) continue;
      this.consumed.add(`${message.id}@${message.changeSeq}`);
      return view;
    }
    return undefined;
  }

  private timeoutText(what: string, options: WaitOptions | undefined): string {
    return `${userLabel(this.record)} waited ${this.timeout(options)} ms for ${what}. Chat now:\n${this.transcript() || "(empty)"}`;
  }

  /** The chat as the person sees it now: edits applied, deleted messages gone. */
  messages(): ViewMessage[] {
    return this.core.store.chatMessages(this.chatId).map(toView);
  }

  transcript(): string {
    return chatTranscript(this.core, this.chatId, userLabel(this.record));
  }

  /**
   * Logs this chat from now on as it happens: sends, taps, the bot's messages, each edit and deletion,
   * and toasts. `onLines` gets each entry once it is final; `stop()` ends the log and returns it.
   */
  recordChat(onLines?: (lines: string) => void): ChatLog {
    return new ChatLog(this.core, this.chatId, userLabel(this.record), onLines);
  }

  /** The reply keyboard under the input field, if the bot set one. */
  replyKeyboard(): string[][] | undefined {
    return this.core.store.replyKeyboards.get(this.chatId);
  }

  /** Chat actions ("typing", "upload_video" …) the bot sent to this chat. */
  chatActions(): string[] {
    return this.core.chatActions.filter((a) => a.chatId === this.chatId).map((a) => a.action);
  }

  /** Blocks the bot: its sends fail with 403 and it gets a my_chat_member update. */
  block(): void {
    if (this.record.blocked) return;
    this.record.blocked = true;
    this.notifyMembership(["member", "kicked"]);
  }

  unblock(): void {
    if (!this.record.blocked) return;
    this.record.blocked = false;
    this.notifyMembership(["kicked", "member"]);
  }

  private notifyMembership(change: ["member" | "kicked", "member" | "kicked"]): void {
    const chat = this.core.store.chats.get(this.chatId);
    if (chat !== undefined) deliverMyChatMember(this.core, chat, userJson(this.record), change);
  }
}

/** Runs synchronously (the update is queued before the call returns) but reports failures as a rejection. */
function now<T>(action: () => T): Promise<T> {
  return new Promise((resolve) => resolve(action()));
}
