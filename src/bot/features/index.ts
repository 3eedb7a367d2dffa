import type { Feature } from "../feature.js";
import { tagsFeature } from "./tags/index.js";
// group 1 (card, search) imports here

// group 2 (bulk, categories, settings) imports here

// group 3 (channels, queue, publishing) imports here

// group 4 (dupes, trash, users, audit, sync, library) imports here
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
  tagsFeature,
  // group 1

  // group 2

  // group 3

  // group 4
  libraryFeature, dupesFeature, trashFeature, auditFeature, usersFeature, syncFeature,

];
