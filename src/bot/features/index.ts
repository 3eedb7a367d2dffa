import type { Feature } from "../feature.js";
import { tagsFeature } from "./tags/index.js";
// group 1 (card, search) imports here
import { welcomeFeature } from "./welcome/index.js";
import { cardFeature } from "./card/index.js";
import { publishingFeature } from "./publishing/index.js";
import { inlineSearchFeature } from "./inline-search/index.js";
import { searchFeature } from "./search/index.js";

// group 2 (bulk, categories, settings) imports here
import { categoriesFeature } from "./categories/index.js";
import { bulkFeature } from "./bulk/index.js";
import { abbreviationsFeature } from "./abbreviations/index.js";
import { settingsFeature } from "./settings/index.js";

// group 3 (channels, queue, publishing) imports here
import { channelsFeature } from "./channels/index.js";
import { queueFeature } from "./queue/index.js";
import { reviewFeature } from "./review/index.js";
import { conversionsFeature } from "./conversions/index.js";
import { exportsFeature } from "./exports/index.js";
import { workersFeature } from "./workers/index.js";
import { statsFeature } from "./stats/index.js";

// group 4 (dupes, trash, users, audit, sync, library) imports here

/**
 * Every feature, in the order they see updates. Order matters only for plain text: a feature's
 * question answers before the search, which takes whatever text no question is waiting for.
 */
export const FEATURES: readonly Feature[] = [
  tagsFeature,
  // group 1
  welcomeFeature,
  cardFeature,
  publishingFeature,
  inlineSearchFeature,

  // group 2: categories first, as its /newcategory dialogue must see the text typed in answer before any other feature
  categoriesFeature,
  bulkFeature,
  abbreviationsFeature,
  settingsFeature,

  // group 3
  channelsFeature,
  queueFeature,
  reviewFeature,
  conversionsFeature,
  exportsFeature,
  workersFeature,
  statsFeature,

  // group 4

  // Last: plain text that no question or dialogue took is a search.
  searchFeature,
];
