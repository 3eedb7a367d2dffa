import type { EmulatorCore } from "../core.js";
import { getObject, getString, type JsonObject } from "../json.js";
import type { ViewMessage } from "../public-types.js";
import type { CallbackAnswer, InlineAnswer } from "../state/queries.js";
import type { ChangeEvent } from "../state/store.js";
import { renderMessage } from "./transcript.js";
import { toView } from "./view.js";

/** Consecutive edits of one message beyond this many are counted, not shown. */
const SHOWN_PROGRESS_EDITS = 4;

interface EditRun {
  readonly id: number;
  /** The version before the run's first edit, to show what each edit changed. */
  readonly before: ViewMessage | undefined;
  readonly versions: ViewMessage[];
}

/**
 * A private chat as it happened, in order: what the person sent and tapped, every message the bot sent,
 * every edit and deletion, and the toasts their taps got. A run of edits of one message with nothing
 * in between (a progress bar) shows what changed in each and the last version in full. Lines are
 * passed to `onLines` as soon as they are final.
 */
export class ChatLog {
  private readonly lines: string[] = [];
  private readonly lastSeen = new Map<number, ViewMessage>();
  private readonly tapIds = new Set<string>();
  private run: EditRun | undefined;
  private readonly detach: () => void;

  constructor(
    private readonly core: EmulatorCore,
    private readonly chatId: number,
    private readonly userLabel: string,
    private readonly onLines: (lines: string) => void = () => {},
  ) {
    for (const message of core.store.chatMessages(chatId)) this.lastSeen.set(message.id, toView(message));
    const onChange = (event: ChangeEvent): void => this.changed(event);
    const onQueued = (kind: string, body: JsonObject): void => this.queued(kind, body);
    const onAnswered = (id: string, answer: CallbackAnswer | InlineAnswer): void => this.answered(id, answer);
    core.store.on("change", onChange);
    core.updates.on("queued", onQueued);
    core.queries.on("answered", onAnswered);
    this.detach = () => {
      core.store.off("change", onChange);
      core.updates.off("queued", onQueued);
      core.queries.off("answered", onAnswered);
    };
  }

  /** A line of narration between the chat's entries (a step's title). */
  note(text: string): void {
    this.emit(`\n── ${text} ──`);
  }

  /** Everything logged so far, pending edits included. */
  text(): string {
    return [...this.lines, ...(this.run === undefined ? [] : renderRun(this.run))].join("\n");
  }

  /** Stops listening and writes out pending edits. */
  stop(): string {
    this.detach();
    this.flushRun();
    return this.text();
  }

  private changed(event: ChangeEvent): void {
    if (event.chatId !== this.chatId) return;
    if (event.kind === "delete") {
      this.emit(`bot 🗑 deleted #${event.messageId}`);
      this.lastSeen.delete(event.messageId);
      return;
    }
    const stored = this.core.store.getMessage(this.chatId, event.messageId);
    if (stored === undefined) return;
    const view = toView(stored);
    const before = this.lastSeen.get(view.id);
    this.lastSeen.set(view.id, view);
    if (view.from === "user") return this.emit(`» ${renderMessage(view, this.userLabel, { markEdited: false })}`);
    if (event.kind === "new") return this.emit(renderMessage(view, `bot #${view.id}`, { markEdited: false }));
    if (this.run?.id === view.id) {
      this.run.versions.push(view);
      return;
    }
    this.flushRun();
    this.run = { id: view.id, before, versions: [view] };
  }

  private queued(kind: string, body: JsonObject): void {
    if (kind !== "callback_query") return;
    const message = getObject(body, "message");
    const chat = message === undefined ? undefined : getObject(message, "chat");
    if (chat?.id !== this.chatId || getObject(body, "from")?.id !== this.chatId) return;
    const id = getString(body, "id");
    if (id !== undefined) this.tapIds.add(id);
    const data = getString(body, "data");
    const button = this.lastSeen.get(Number(message?.message_id))?.keyboard?.flat().find((b) => b.callbackData === data);
    this.emit(button === undefined ? `» ${this.userLabel} taps a button that is no longer shown` : `» ${this.userLabel} taps [${button.text}]`);
  }

  private answered(id: string, answer: CallbackAnswer | InlineAnswer): void {
    if (!this.tapIds.delete(id) || !("showAlert" in answer) || answer.text === undefined || answer.text === "") return;
    this.emit(answer.showAlert ? `   ⚠️ alert: ${answer.text}` : `   ↳ toast: ${answer.text}`);
  }

  private emit(block: string): void {
    this.flushRun();
    this.lines.push(block);
    this.onLines(block);
  }

  private flushRun(): void {
    const run = this.run;
    if (run === undefined) return;
    this.run = undefined;
    const block = renderRun(run).join("\n");
    this.lines.push(block);
    this.onLines(block);
  }
}

/** One edit in full; a longer run as one line per edit (what changed), then the last version in full. */
function renderRun(run: EditRun): string[] {
  const last = run.versions.at(-1);
  if (last === undefined) return [];
  const full = renderMessage(last, `bot ✎ edited #${run.id}`, { markEdited: false });
  const steps = run.versions.slice(0, -1).map((version, i) => `  ⋯ ✎ #${run.id}: ${changedLines(i === 0 ? run.before : run.versions[i - 1], version)}`);
  const hidden = steps.length - SHOWN_PROGRESS_EDITS;
  const shown = hidden > 1 ? [...steps.slice(0, 2), `  ⋯ ${hidden} more edits`, ...steps.slice(-(SHOWN_PROGRESS_EDITS - 2))] : steps;
  return [...shown, full];
}

/** The lines of `after` that differ from `before`, on one line; the buttons when only they changed. */
function changedLines(before: ViewMessage | undefined, after: ViewMessage): string {
  const old = new Set((before?.text ?? before?.caption ?? "").split("\n"));
  const changed = (after.text ?? after.caption ?? "").split("\n").filter((line) => line.trim() !== "" && !old.has(line));
  if (changed.length > 0) return changed.join(" · ");
  return `buttons ${after.buttons.flat().map((b) => `[${b}]`).join(" ") || "removed"}`;
}
