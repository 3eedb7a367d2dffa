import { Bot } from "grammy";
import { telegramClientOptions } from "../infra/telegram/api-client.js";
import { TelegramMessageGuard } from "../infra/telegram/message-guard.js";
import { sequentialize } from "@grammyjs/runner";
import { conversations, createConversation, type ConversationData, type VersionedState } from "@grammyjs/conversations";
import type { BotContext, BotDeps, ConversationContext } from "./context.js";
import { createErrorHandler } from "./error-boundary.js";
import { accessGate } from "./filters/access-gate.js";
import { permissionGate } from "./filters/permission-gate.js";
import { answerEveryButton } from "./filters/answer-every-button.js";
import { InFlightUpdates } from "./in-flight.js";
import { cancelFeature } from "./features/cancel.js";
import { categoriesFeature } from "./features/categories.js";
import { fallbackFeature } from "./features/fallback.js";
import { welcomeFeature } from "./features/welcome.js";
import { abbreviationsFeature } from "./features/abbreviations.js";
import { bulkFeature } from "./features/bulk.js";
import { inlineSearchFeature } from "./features/inline-search.js";
import { searchFeature } from "./features/search.js";
import { LEGACY_PROMPT_KINDS, typedTextFeature } from "./features/typed-text.js";
import { FEATURES } from "./features/index.js";
import { ActionCatalogue } from "./actions.js";
import { servicesFor } from "./feature.js";
import { promptSessions } from "./prompts/prompt-session.js";
import { videoCardFeature } from "./features/video-card.js";
import { conversionsFeature } from "./features/conversions.js";
import { settingsFeature } from "./features/settings.js";
import { channelsFeature } from "./features/channels.js";
import { queueFeature } from "./features/queue.js";
import { publishingFeature } from "./features/publishing.js";
import { reviewFeature } from "./features/review.js";
import { statsFeature } from "./features/stats.js";
import { workersFeature } from "./features/workers.js";
import { exportsFeature } from "./features/exports.js";
import { createNewCategoryConversation, NEW_CATEGORY } from "./conversations/new-category.js";
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
  /** Keeps every text within Telegram's limits and skips edits that change nothing; shared with the other clients. */
  readonly messageGuard?: TelegramMessageGuard;
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
  const bot = new Bot<BotContext>(token, { client: telegramClientOptions({ token, apiRoot: config.telegram.apiRoot }) });
  (options.messageGuard ?? new TelegramMessageGuard(logger)).install(bot.api);
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
  guarded.use(createConversation<BotContext, ConversationContext>(createNewCategoryConversation(services.categories), NEW_CATEGORY));
  guarded.use(welcomeFeature, searchFeature, videoCardFeature, bulkFeature, categoriesFeature, abbreviationsFeature, conversionsFeature, settingsFeature,
    channelsFeature, queueFeature, publishingFeature, reviewFeature, statsFeature, exportsFeature, workersFeature);
  for (const feature of FEATURES) guarded.use(feature.create(servicesFor(services, feature.uses)));
  guarded.use(inlineSearchFeature);
  // Last before the fallback: plain text answers a pending prompt or searches.
  guarded.use(typedTextFeature);
  guarded.use(fallbackFeature);

  bot.catch(createErrorHandler(logger));
  return { bot, inFlight };
}
