import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { badRequest, TEXTS } from "../api-error.js";
import type { Json } from "../json.js";

export interface CallbackAnswer {
  readonly text?: string;
  readonly showAlert: boolean;
  readonly url?: string;
  readonly cacheTime?: number;
}

export interface InlineAnswer {
  readonly results: Json[];
  readonly nextOffset: string;
  readonly cacheTime: number;
  readonly isPersonal: boolean;
  readonly button?: Json;
}

type QueryKind = "callback" | "inline";
type Answer<K extends QueryKind> = K extends "callback" ? CallbackAnswer : InlineAnswer;

interface Pending {
  readonly kind: QueryKind;
  readonly userId: number;
  answered: boolean;
}

/**
 * Callback and inline queries in flight. Each may be answered exactly once;
 * a second answer, or an unknown id, gets Telegram's "query is too old" error.
 */
export class QueryTracker extends EventEmitter<{ answered: [string, CallbackAnswer | InlineAnswer] }> {
  private readonly queries = new Map<string, Pending>();
  private readonly answers = new Map<string, CallbackAnswer | InlineAnswer>();

  create(kind: QueryKind, userId: number): string {
    // Telegram query ids are large decimal numbers
    const id = BigInt(`0x${randomBytes(7).toString("hex")}`).toString();
    this.queries.set(id, { kind, userId, answered: false });
    return id;
  }

  answer<K extends QueryKind>(kind: K, id: string, answer: Answer<K>): void {
    const pending = this.queries.get(id);
    if (pending === undefined || pending.kind !== kind || pending.answered) {
      throw badRequest(TEXTS.queryTooOld, "error");
    }
    pending.answered = true;
    this.answers.set(id, answer);
    this.emit("answered", id, answer);
  }

  answerOf(id: string): CallbackAnswer | InlineAnswer | undefined {
    return this.answers.get(id);
  }
}
