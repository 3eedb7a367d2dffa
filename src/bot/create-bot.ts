import { Bot } from "grammy";
import type { TelegramClients } from "../infra/telegram/telegram-clients.js";
import { sequentialize } from "@grammyjs/runner";
import { conversations, type ConversationData, type VersionedState } from "@grammyjs/conversations";
import type { BotContext, BotDeps, ConversationContext } from "./context.js";
import { createErrorHandler } from "./error-boundary.js";
import { accessGate } from "./filters/access-gate.js";
import { permissionGate } from "./filters/permission-gate.js";
import { answerEveryButton } from "./filters/answer-every-button.js";
import { InFlightUpdates } from "./in-flight.js";
import { cancelFeature } from "./features/cancel.js";
import { fallbackFeature } from "./features/fallback.js";
import { libraryFeature } from "./features/library.js";
import { LEGACY_PROMPT_KINDS, typedTextFeature } from "./features/typed-text.js";
import { FEATURES } from "./features/index.js";
import { ActionCatalogue } from "./actions.js";
import { servicesFor } from "./feature.js";
import { promptSessions } from "./prompts/prompt-session.js";
import { dupesFeature } from "./features/dupes.js";
import { trashFeature } from "./features/trash.js";
import { auditFeature } from "./features/audit.js";
import { usersFeature } from "./features/users.js";
import { syncFeature } from "./features/sync.js";
import { journalMiddleware, type UpdateJournal } from "./update-journal.js";

/** Where conversation state is persisted, keyed by chat. */
export interface ConversationStateStore {
  read(key: string): Promise<VersionedState<ConversationData> | undefined>;
  write(key: string, state: VersionedState<ConversationData>): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface CreateBotOptions extends BotDeps {
  readonly conversationStore: ConversationStateStore;
  readonly updateJournal: UpdateJournal;
  /** The process's Bot API clients: the bot's shares their throttle, retries, message guard and default parse mode. */
  readonly telegram: TelegramClients;
}

export interface VidlibBot {
  readonly bot: Bot<BotContext>;
  readonly inFlight: InFlightUpdates;
}

// Bump when a conversation changes shape, so dialogues saved by an older version are dropped, not misread.
const CONVERSATION_STATE_VERSION = 1;

/** Builds the bot from its dependencies; nothing here opens a database or starts polling. */
export function createBot(token: string, options: CreateBotOptions): VidlibBot {
  const { config, logger, services, conversationStore, updateJournal } = options;
  const bot = new Bot<BotContext>(token, { client: options.telegram.clientOptions() });
  options.telegram.install(bot.api);
  const inFlight = new InFlightUpdates();

  bot.use(inFlight.middleware);
  bot.use(journalMiddleware(updateJournal));
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
  bot.use(async (ctx, next) => {
    ctx.deps = { config, logger, services };
    ctx.role = null;
    await next();
  });

  bot.use(answerEveryButton);
  const guarded = bot.errorBoundary(createErrorHandler(logger));
  const actions = new ActionCatalogue(FEATURES);
  guarded.use(accessGate);
  guarded.use(permissionGate(actions));
  guarded.use(promptSessions(services.chat, new Set([...actions.prompts(), ...LEGACY_PROMPT_KINDS])));
  guarded.use(conversations<BotContext, ConversationContext>({
    storage: {
      type: "key",
      version: CONVERSATION_STATE_VERSION,
      prefix: "conversation:",
      getStorageKey: (ctx) => ctx.chatId?.toString(),
      adapter: conversationStore,
    },
  }));
  guarded.use(cancelFeature);
  guarded.use(libraryFeature, trashFeature, dupesFeature, auditFeature, usersFeature, syncFeature);
  for (const feature of FEATURES) guarded.use(feature.create(servicesFor(services, feature.uses)));
  // Last before the fallback: plain text answers a pending prompt that no feature owns yet.
  guarded.use(typedTextFeature);
  guarded.use(fallbackFeature);

  bot.catch(createErrorHandler(logger));
  return { bot, inFlight };
}
