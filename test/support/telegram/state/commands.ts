import { jsonEqual, type Json, type JsonObject } from "../json.js";

export interface BotCommandEntry {
  readonly command: string;
  readonly description: string;
}

/** setMyCommands storage, one list per (scope, language) pair like Telegram keeps it. */
export class CommandStore {
  private readonly lists: Array<{ scope: JsonObject; language: string; commands: BotCommandEntry[] }> = [];

  set(scope: JsonObject, language: string, commands: BotCommandEntry[]): void {
    this.delete(scope, language);
    if (commands.length > 0) this.lists.push({ scope, language, commands });
  }

  get(scope: JsonObject, language: string): BotCommandEntry[] {
    return this.find(scope, language)?.commands ?? [];
  }

  delete(scope: JsonObject, language: string): void {
    const index = this.lists.findIndex((entry) => matches(entry, scope, language));
    if (index >= 0) this.lists.splice(index, 1);
  }

  all(): ReadonlyArray<{ readonly scope: JsonObject; readonly language: string; readonly commands: readonly BotCommandEntry[] }> {
    return this.lists;
  }

  private find(scope: JsonObject, language: string): { commands: BotCommandEntry[] } | undefined {
    return this.lists.find((entry) => matches(entry, scope, language));
  }
}

function matches(entry: { scope: JsonObject; language: string }, scope: Json, language: string): boolean {
  return entry.language === language && jsonEqual(entry.scope, scope);
}

export const DEFAULT_SCOPE: JsonObject = { type: "default" };
