import type { TagNameProblem } from "../../services/catalog/tag-names.js";
import { html } from "../format.js";

/** Why a typed tag was not used, in one short sentence. */
export function describeTagProblem(problem: TagNameProblem): string {
  switch (problem.kind) {
    case "empty": return "An empty tag was skipped.";
    case "too-long": return html`“${problem.name}” is too long for a tag (at most ${problem.max} characters).`;
    case "no-letters": return html`“${problem.name}” has no letters or digits, so it cannot be a tag.`;
  }
}
