import type { Feature } from "../feature.js";
import { tagsFeature } from "./tags/index.js";
// group 1 (card, search) imports here
import { welcomeFeature } from "./welcome/index.js";
import { cardFeature } from "./card/index.js";
import { publishingFeature } from "./publishing/index.js";
import { inlineSearchFeature } from "./inline-search/index.js";
import { searchFeature } from "./search/index.js";

// group 2 (bulk, categories, settings) imports here

// group 3 (channels, queue, publishing) imports here

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
  // Takes plain text only when no question is pending, so it may come before the features that ask.
  searchFeature,

  // group 2

  // group 3

  // group 4

];
