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
import { CommandMenu } from "./command-menu.js";
import { FEATURES } from "./features/index.js";
import { ActionCatalogue } from "./actions.js";
import { servicesFor } from "./feature.js";
import { promptSessions } from "./prompts/prompt-session.js";
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
  /** The command menus, from what the features declare. */
  readonly menu: CommandMenu;
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
  const menu = new CommandMenu(actions);
  guarded.use(accessGate);
  guarded.use(permissionGate(actions));
  guarded.use(promptSessions(services.chat, actions.prompts()));
  guarded.use(conversations<BotContext, ConversationContext>({
    // A dialogue's context gets a fresh Api without the bot's transformers: give it the same client setup
    // (throttle, retries, message guard, HTML by default).
    plugins: [async (ctx, next) => {
      options.telegram.install(ctx.api);
      await next();
    }],
    storage: {
      type: "key",
      version: CONVERSATION_STATE_VERSION,
      prefix: "conversation:",
      getStorageKey: (ctx) => ctx.chatId?.toString(),
      adapter: conversationStore,
    },
  }));
  for (const feature of FEATURES) guarded.use(feature.create(servicesFor({ ...services, menu }, feature.uses)));

  bot.catch(createErrorHandler(logger));
  return { bot, inFlight, menu };
}
