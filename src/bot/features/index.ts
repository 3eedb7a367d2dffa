import type { Feature } from "../feature.js";
import { tagsFeature } from "./tags/index.js";
// group 1 (card, search) imports here

// group 2 (bulk, categories, settings) imports here

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

  // group 2

  // group 3
  channelsFeature,
  queueFeature,
  reviewFeature,
  conversionsFeature,
  exportsFeature,
  workersFeature,
  statsFeature,

  // group 4

];
