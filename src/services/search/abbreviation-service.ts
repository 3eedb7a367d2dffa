import type { Actor } from "../people/actor.js";
import { requirePermission } from "../people/permissions.js";
import type { AuditService } from "../audit/audit.js";
import type { Clock } from "../shared/clock.js";
import { DEFAULT_ABBREVIATIONS } from "./abbreviations.js";
import { words, type Abbreviations } from "./normalise.js";

/** Settings changed at run time, as JSON text. */
export interface SettingsStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, now: number): Promise<void>;
}

const KEY = "search.abbreviations";
const MAX_EXPANSION_WORDS = 4;

export type AbbreviationEdit =
  | { readonly kind: "set"; readonly short: string; readonly long: string; readonly before: string | null }
  | { readonly kind: "removed"; readonly short: string; readonly before: string }
  | { readonly kind: "unknown"; readonly short: string }
  | { readonly kind: "invalid"; readonly reason: string };

/** Parses "adv = advanced" (add or change) and "-adv" (remove). */
export function parseAbbreviationLine(line: string): { short: string; long: string | null } | { invalid: string } {
  const text = line.trim();
  const removal = /^[-–—]\s*(.+)$/u.exec(text);
  if (removal !== null) return oneWord(removal[1] ?? "", null);
  const parts = /^(.+?)\s*[=:→]\s*(.+)$/u.exec(text);
  if (parts === null) return { invalid: "Write it as short = long (for example: adv = advanced), or -short to remove one." };
  const long = words(parts[2] ?? "");
  if (long.length === 0 || long.length > MAX_EXPANSION_WORDS) return { invalid: `The long form must be 1 to ${MAX_EXPANSION_WORDS} words.` };
  return oneWord(parts[1] ?? "", long.join(" "));
}

function oneWord(raw: string, long: string | null): { short: string; long: string | null } | { invalid: string } {
  const short = words(raw);
  if (short.length !== 1 || short[0] === undefined) return { invalid: "The short form must be one word of letters or digits, such as adv or l." };
  if (long !== null && long === short[0]) return { invalid: "The long form must differ from the short one." };
  return { short: short[0], long };
}

/** The abbreviation dictionary search uses: the defaults until an admin edits it, then the saved list. */
export class AbbreviationService {
  private current: Abbreviations = DEFAULT_ABBREVIATIONS;

  constructor(private readonly settings: SettingsStore, private readonly audit: AuditService, private readonly clock: Clock,
    private readonly reindex: () => Promise<unknown>) {}

  /** Reads the saved dictionary; call once at start-up. */
  async load(): Promise<void> {
    const saved = await this.settings.get(KEY);
    if (saved !== null) this.current = Object.freeze(JSON.parse(saved) as Record<string, string>);
  }

  /** The dictionary in force. */
  get(): Abbreviations {
    return this.current;
  }

  /** Applies one line typed by an admin, saves, audits and re-indexes the library. */
  async edit(line: string, actor: Actor): Promise<AbbreviationEdit> {
    requirePermission(actor, "settings");
    const parsed = parseAbbreviationLine(line);
    if ("invalid" in parsed) return { kind: "invalid", reason: parsed.invalid };
    const before = Object.hasOwn(this.current, parsed.short) ? this.current[parsed.short] ?? null : null;
    const next: Record<string, string> = { ...this.current };
    if (parsed.long === null) {
      if (before === null) return { kind: "unknown", short: parsed.short };
      delete next[parsed.short];
    } else next[parsed.short] = parsed.long;
    await this.settings.set(KEY, JSON.stringify(next), this.clock.now());
    this.current = Object.freeze(next);
    await this.audit.record({ actor, action: "search.abbreviation", target: { type: "abbreviation", id: parsed.short }, before, after: parsed.long });
    await this.reindex();
    return parsed.long === null ? { kind: "removed", short: parsed.short, before: before ?? "" } : { kind: "set", short: parsed.short, long: parsed.long, before };
  }
}
