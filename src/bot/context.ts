import type { Context } from "grammy";
import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Config } from "../config.js";
import type { Role } from "../entities/user.js";
import type { Logger } from "../infra/logging/logger.js";
import type { AccessService } from "../services/people/access.js";
import type { RoleService } from "../services/people/roles.js";
import type { AuditService } from "../services/audit/audit.js";
import type { CategoryService } from "../services/catalog/categories.js";
import type { BulkEditService } from "../services/catalog/bulk-edit.js";
import type { CatalogService } from "../services/catalog/catalog-service.js";
import type { ChatStateService } from "../services/chat/chat-state.js";
import type { LibraryService } from "../services/library/library-service.js";
import type { AbbreviationService } from "../services/search/abbreviation-service.js";
import type { SearchService } from "../services/search/search-service.js";
import type { ConversionService } from "../services/conversion/conversion-service.js";
import type { ConfiguredSettings, SettingsService } from "../services/settings/settings.js";
import type { DupeService } from "../services/dupes/dupe-service.js";
import type { TrashService } from "../services/trash/trash.js";
import type { ChannelService } from "../services/publish/channels.js";
import type { UploadQueueService } from "../services/publish/publish-service.js";
import type { PublishedPosts } from "../services/publish/published-posts.js";
import type { ReviewService } from "../services/publish/review.js";
import type { StatsService } from "../services/stats/stats-service.js";
import type { SyncService } from "../services/sync/sync-service.js";
import type { ExportService } from "../services/export/export-service.js";
import type { ProcessRegistry } from "../services/processes/process-registry.js";
import type { PromptSession } from "./prompts/prompt-session.js";

export interface BotServices {
  readonly access: AccessService;
  readonly roles: RoleService;
  readonly audit: AuditService;
  readonly categories: CategoryService;
  readonly library: LibraryService;
  readonly search: SearchService;
  readonly abbreviations: AbbreviationService;
  readonly catalog: CatalogService;
  readonly bulk: BulkEditService;
  readonly chat: ChatStateService;
  readonly settings: SettingsService;
  /** What the configuration fixes, for /settings to show: features never read the configuration itself. */
  readonly configured: ConfiguredSettings;
  readonly conversions: ConversionService;
  readonly dupes: DupeService;
  readonly trash: TrashService;
  readonly channels: ChannelService;
  readonly uploads: UploadQueueService;
  readonly posts: PublishedPosts;
  readonly reviews: ReviewService;
  readonly stats: StatsService;
  readonly sync: SyncService;
  readonly exports: ExportService;
  readonly processes: ProcessRegistry;
  /** For what a feature cannot tell the person (a background run that failed, a menu Telegram refused). */
  readonly logger: Logger;
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
  /** The chat's pending question (see prompts/). */
  prompt: PromptSession;
}

export type BotContext = ConversationFlavor<Context & VidlibFlavor>;
/** The context inside conversations: a plain Context rebuilt by the plugin on every replay. */
export type ConversationContext = Context;
