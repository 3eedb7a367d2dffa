import { EventEmitter } from "node:events";
import { FaultInjector } from "./faults.js";
import type { FormatOptions } from "./format/formatted-text.js";
import type { JsonObject } from "./json.js";
import type { ResolvedOptions } from "./options.js";
import type { ChatActionRecord, ErrorRecord, RequestRecord, Violation } from "./public-types.js";
import { RateLimiter } from "./rate-limiter.js";
import { loadApiSchema } from "./schema/load-schema.js";
import type { ApiSchema } from "./schema/model.js";
import { userJsonById, type ApiView, type BotIdentity } from "./state/api-objects.js";
import { CommandStore } from "./state/commands.js";
import { FileRegistry } from "./state/files.js";
import { QueryTracker } from "./state/queries.js";
import { ChatStore } from "./state/store.js";
import { UpdateQueue } from "./state/updates.js";

/** Everything the HTTP side and the user side share; one per emulator. */
export class EmulatorCore implements ApiView {
  readonly schema: ApiSchema = loadApiSchema();
  readonly store = new ChatStore();
  readonly updates = new UpdateQueue();
  readonly queries = new QueryTracker();
  readonly commands = new CommandStore();
  readonly faults = new FaultInjector();
  readonly files: FileRegistry;
  readonly bot: BotIdentity;
  readonly rateLimiter: RateLimiter | undefined;
  readonly requests: RequestRecord[] = [];
  readonly violations: Violation[] = [];
  readonly errors: ErrorRecord[] = [];
  readonly chatActions: ChatActionRecord[] = [];
  readonly events = new EventEmitter<{ request: [RequestRecord]; answered: [RequestRecord]; stopped: [] }>();
  /** Requests being processed, long polls excluded (a poll waiting for updates is not "work"). */
  readonly inFlight = new Set<RequestRecord>();
  webhookUrl = "";
  /** requests.length when a simulated user last did something; waits look from there on. */
  lastActionRequestIndex = 0;
  /** store.seq when a simulated user last did something. */
  lastActionSeq = 0;
  stopped = false;

  constructor(readonly options: ResolvedOptions) {
    // the local server hands out absolute paths under its working directory
    this.files = new FileRegistry(options.profile === "local" ? `/var/lib/telegram-bot-api/${options.token}/` : "");
    this.bot = {
      id: options.botId,
      username: options.botUsername,
      firstName: options.botName,
      supportsInlineQueries: options.supportsInlineQueries,
    };
    this.rateLimiter = options.rateLimits === undefined ? undefined : new RateLimiter(options.rateLimits);
    // many drivers and waiters listen at once in big tests
    this.store.setMaxListeners(0);
    this.queries.setMaxListeners(0);
    this.updates.setMaxListeners(0);
    this.events.setMaxListeners(0);
  }

  formatOptions(): FormatOptions {
    return {
      strictHtmlAmpersand: this.options.strictHtmlAmpersand,
      resolveUser: (id: number): JsonObject => userJsonById(this, id),
    };
  }

  /** Called by the user-side driver before it acts; returns the change sequence to wait from. */
  markUserAction(): number {
    this.lastActionRequestIndex = this.requests.length;
    this.lastActionSeq = this.store.seq;
    return this.store.seq;
  }
}
