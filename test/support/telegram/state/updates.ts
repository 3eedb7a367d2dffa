import { EventEmitter } from "node:events";
import { ApiError, TEXTS } from "../api-error.js";
import type { JsonObject } from "../json.js";

interface QueuedUpdate {
  readonly id: number;
  readonly kind: string;
  readonly payload: JsonObject;
}

export interface PollRequest {
  readonly offset?: number;
  readonly limit: number;
  readonly timeoutSeconds: number;
  readonly allowedUpdates?: readonly string[];
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
}

// Telegram's default when allowed_updates was never set or set to []
const NOT_BY_DEFAULT = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

/**
 * The bot's update queue with Telegram's getUpdates semantics: updates stay
 * until an offset confirms them, a long poll waits for the next update, and a
 * newer getUpdates terminates a pending one with 409 Conflict.
 */
export class UpdateQueue extends EventEmitter<{ update: []; queued: [kind: string, body: JsonObject] }> {
  private queue: QueuedUpdate[] = [];
  private nextId = 100_000_000 + Math.floor(Math.random() * 1_000_000);
  private allowed: ReadonlySet<string> | undefined;
  private active: { terminate: () => void } | undefined;

  push(kind: string, body: JsonObject): number {
    const id = this.nextId++;
    this.queue.push({ id, kind, payload: { update_id: id, [kind]: body } });
    // observers (a chat log) see what a person did before the bot can react to it
    this.emit("queued", kind, body);
    this.emit("update");
    return id;
  }

  pending(): JsonObject[] {
    return this.queue.map((update) => update.payload);
  }

  clear(): void {
    this.queue = [];
  }

  /** Resolves with the updates to return, or rejects with a 409 ApiError. */
  async poll(request: PollRequest): Promise<JsonObject[]> {
    this.confirm(request.offset);
    if (request.allowedUpdates !== undefined) this.allowed = toAllowed(request.allowedUpdates);
    this.active?.terminate();
    const deadline = Date.now() + request.timeoutSeconds * 1000;
    for (;;) {
      const ready = this.take(request.limit);
      const remaining = deadline - Date.now();
      if (ready.length > 0 || remaining <= 0 || request.signal.aborted) return ready;
      await this.waitForUpdate(request, remaining);
    }
  }

  private waitForUpdate(request: PollRequest, ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off("update", finish);
        request.signal.removeEventListener("abort", finish);
        if (this.active === entry) this.active = undefined;
      };
      const finish = (): void => {
        cleanup();
        resolve();
      };
      const entry = {
        terminate: (): void => {
          cleanup();
          reject(new ApiError(409, TEXTS.getUpdatesConflict, "violation"));
        },
      };
      const timer = setTimeout(finish, ms);
      this.active = entry;
      this.on("update", finish);
      request.signal.addEventListener("abort", finish);
    });
  }

  private confirm(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    if (offset < 0) {
      this.queue = this.queue.slice(offset); // -N keeps the last N updates
      return;
    }
    this.queue = this.queue.filter((update) => update.id >= offset);
  }

  private take(limit: number): JsonObject[] {
    // updates the bot did not ask for are dropped, as Telegram never delivers them
    this.queue = this.queue.filter((update) => this.isAllowed(update.kind));
    return this.queue.slice(0, limit >= 1 && limit <= 100 ? limit : 100).map((update) => update.payload);
  }

  private isAllowed(kind: string): boolean {
    return this.allowed === undefined ? !NOT_BY_DEFAULT.has(kind) : this.allowed.has(kind);
  }
}

function toAllowed(list: readonly string[]): ReadonlySet<string> | undefined {
  return list.length === 0 ? undefined : new Set(list);
}
