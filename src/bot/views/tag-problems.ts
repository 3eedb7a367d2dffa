import type { TagNameProblem } from "../../services/catalog/tag-names.js";
import { escapeHtml } from "../format.js";

/** Why a typed tag was not used, in one short sentence (HTML). */
export const describeTagProblem = (problem: TagNameProblem): string => describe(problem, escapeHtml);

/** The same sentence as plain text, for a button's answer. */
export const tagProblemPlain = (problem: TagNameProblem): string => describe(problem, (name) => name);

function describe(problem: TagNameProblem, quote: (name: string) => string): string {
  switch (problem.kind) {
    case "empty": return "An empty tag was skipped.";
    case "too-long": return `“${quote(problem.name)}” is too long for a tag (at most ${problem.max} characters).`;
    case "no-letters": return `“${quote(problem.name)}” has no letters or digits, so it cannot be a tag.`;
  }
}
