import type { Feature } from "../feature.js";
import { cancelFeature } from "./cancel/index.js";
import { fallbackFeature } from "./fallback/index.js";
import { tagsFeature } from "./tags/index.js";
import { welcomeFeature } from "./welcome/index.js";
import { cardFeature } from "./card/index.js";
import { publishingFeature } from "./publishing/index.js";
import { inlineSearchFeature } from "./inline-search/index.js";
import { searchFeature } from "./search/index.js";
import { categoriesFeature } from "./categories/index.js";
import { bulkFeature } from "./bulk/index.js";
import { abbreviationsFeature } from "./abbreviations/index.js";
import { settingsFeature } from "./settings/index.js";
import { channelsFeature } from "./channels/index.js";
import { queueFeature } from "./queue/index.js";
import { reviewFeature } from "./review/index.js";
import { conversionsFeature } from "./conversions/index.js";
import { exportsFeature } from "./exports/index.js";
import { workersFeature } from "./workers/index.js";
import { statsFeature } from "./stats/index.js";
import { dupesFeature } from "./dupes/index.js";
import { trashFeature } from "./trash/index.js";
import { usersFeature } from "./users/index.js";
import { auditFeature } from "./audit/index.js";
import { syncFeature } from "./sync/index.js";
import { libraryFeature } from "./library/index.js";

/**
 * Every feature, in the order they see updates. Order matters only for plain text: a feature's
 * question answers before the search, which takes whatever text no question is waiting for.
 */
export const FEATURES: readonly Feature[] = [
  // First: /cancel reaches the bot even mid-dialogue.
  cancelFeature,
  // Next: the /newcategory dialogue sees the text typed in answer before anything else (it passes commands and other buttons on).
  categoriesFeature,
  welcomeFeature, cardFeature, publishingFeature, inlineSearchFeature, tagsFeature, bulkFeature, abbreviationsFeature, settingsFeature,
  channelsFeature, queueFeature, reviewFeature, conversionsFeature, exportsFeature, workersFeature, statsFeature,
  libraryFeature, dupesFeature, trashFeature, auditFeature, usersFeature, syncFeature,
  // Last but one: plain text that no question or dialogue took is a search.
  searchFeature,
  // After everything: stale buttons, unknown commands and messages get an answer.
  fallbackFeature,
];
