import type { AnyButton, Needs } from "./callback-data/button.js";
import { decodeCallback } from "./callback-data/codec.js";
import type { Feature } from "./feature.js";
import { PERMISSIONS } from "../services/people/permissions.js";

/** A declared permission must be one that exists: a typo or a missing one would otherwise let anyone through. */
function checkNeeds(what: string, needs: unknown): Needs {
  if (needs === "anyone" || (typeof needs === "string" && Object.hasOwn(PERMISSIONS, needs))) return needs as Needs;
  throw new Error(`${what} declares no known permission (${String(needs)})`);
}

/** Every button and command of the bot, by key, with the permission each needs: what the permission gate reads. */
export class ActionCatalogue {
  private readonly buttons = new Map<string, AnyButton>();
  private readonly commands = new Map<string, Needs>();
  private readonly promptKinds = new Set<string>();

  constructor(features: readonly Pick<Feature, "name" | "buttons" | "commands" | "prompts">[]) {
    for (const feature of features) {
      for (const button of feature.buttons) {
        if (this.buttons.has(button.key)) throw new Error(`button ${button.key} is declared twice (again by ${feature.name})`);
        checkNeeds(`button ${button.key}`, button.needs);
        this.buttons.set(button.key, button);
      }
      for (const [command, needs] of Object.entries(feature.commands)) {
        if (this.commands.has(command)) throw new Error(`command /${command} is declared twice (again by ${feature.name})`);
        this.commands.set(command, checkNeeds(`command /${command}`, needs));
      }
      for (const kind of feature.prompts) {
        if (this.promptKinds.has(kind)) throw new Error(`question kind ${kind} is declared twice (again by ${feature.name})`);
        this.promptKinds.add(kind);
      }
    }
  }

  /** The declared button this data belongs to, or null for stale, forged or malformed data. */
  buttonFor(data: string | undefined): AnyButton | null {
    const decoded = decodeCallback(data);
    const button = decoded === null ? undefined : this.buttons.get(`${decoded.feature}:${decoded.verb}`);
    return button !== undefined && button.unpack(data) !== null ? button : null;
  }

  /** What a command needs, or null for a command no feature answers. */
  commandNeeds(command: string): Needs | null {
    return this.commands.get(command) ?? null;
  }

  /** The kinds of question some feature answers. */
  prompts(): ReadonlySet<string> {
    return this.promptKinds;
  }

  allButtons(): readonly AnyButton[] {
    return [...this.buttons.values()];
  }

  allCommands(): ReadonlyMap<string, Needs> {
    return this.commands;
  }
}
