import type { Feature } from "../feature.js";
import { tagsFeature } from "./tags/index.js";

/**
 * Every feature, in the order they see updates. Order matters only for plain text: a feature's
 * question answers before the search, which takes whatever text no question is waiting for.
 */
export const FEATURES: readonly Feature[] = [
  tagsFeature,
];
