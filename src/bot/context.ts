import type { Context } from "grammy";
import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Config } from "../config.js";
import type { Role } from "../entities/user.js";
import type { Logger } from "../infra/logger.js";
import type { AccessService } from "../services/access.js";
import type { AuditService } from "../services/audit.js";
import type { CategoryService } from "../services/categories.js";
import type { LibraryService } from "../services/library/library-service.js";

export interface BotServices {
  readonly access: AccessService;
  readonly audit: AuditService;
  readonly categories: CategoryService;
  readonly library: LibraryService;
}

export interface BotDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly services: BotServices;
}

interface VidlibFlavor {
  /** Put on every context by the first middleware. */
  deps: BotDeps;
  /** Set by the access gate; features behind it only ever see a non-null role. */
  role: Role | null;
}

export type BotContext = ConversationFlavor<Context & VidlibFlavor>;
/** The context inside conversations: a plain Context rebuilt by the plugin on every replay. */
export type ConversationContext = Context;
