import type { Actor } from "../people/actor.js";
import { requirePermission } from "../people/permissions.js";
import type { AuditService } from "../audit/audit.js";
import type { Clock } from "../shared/clock.js";
import { X264_PRESETS, type X264Preset } from "../conversion/conversion-args.js";
import type { SettingsStore } from "../search/abbreviation-service.js";
import { DEFAULT_CAPTION_TEMPLATE, MAX_TEMPLATE, unknownPlaceholders } from "../publish/caption.js";

/** Why a caption template cannot be used, or null when it can. */
export function templateProblem(template: string): string | null {
  if (template.trim() === "") return "the template is empty";
  if (template.length > MAX_TEMPLATE) return `the template is longer than ${MAX_TEMPLATE} characters`;
  const unknown = unknownPlaceholders(template);
  if (unknown.length > 0) return `unknown placeholder${unknown.length > 1 ? "s" : ""}: ${unknown.map((u) => `{${u}}`).join(", ")}`;
  return null;
}

/** The settings a team changes from the bot (/settings). */
export interface RuntimeSettings {
  /** When automatic conversion of new non-MP4 files was turned on (files added since then qualify), or null when off. */
  readonly autoConvertSince: number | null;
  readonly convertConcurrency: number;
  readonly convertPreset: X264Preset;
  /** Days a deleted file stays in the trash before it is removed for good. */
  readonly trashDays: number;
  /** Queue a video for its channel as soon as it gets a category. */
  readonly publishAuto: boolean;
  /** The upload queue sends nothing while paused (it still accepts items). */
  readonly publishPaused: boolean;
  /** The caption template (see publish/caption.ts for its placeholders). */
  readonly captionTemplate: string;
  /** The chat drafts of "review first" categories go to: a staff channel's chat id, or null for the first owner's chat. */
  readonly reviewChatId: number | null;
  /** The most files one sync may move to the trash; a sync that would remove more only copies. */
  readonly syncMaxDeletions: number;
}

/** What the configuration fixes (changed only by restarting with other values); /settings shows it beside the rest. */
export interface ConfiguredSettings {
  readonly uploadLimitBytes: number;
  /** Uploads go through a Local Bot API server (larger files) rather than the cloud Bot API. */
  readonly localBotApi: boolean;
  readonly archiveDir: string;
}

export const DEFAULT_SETTINGS: RuntimeSettings = {
  autoConvertSince: null, convertConcurrency: 1, convertPreset: "veryfast", trashDays: 30, publishAuto: false, publishPaused: false, captionTemplate: DEFAULT_CAPTION_TEMPLATE, reviewChatId: null,
  syncMaxDeletions: 20,
};
export const LIMITS = { convertConcurrency: [1, 4], trashDays: [1, 365], syncMaxDeletions: [0, 10_000] } as const;

const KEYS: Record<keyof RuntimeSettings, string> = {
  autoConvertSince: "convert.auto_since", convertConcurrency: "convert.concurrency", convertPreset: "convert.preset", trashDays: "trash.days",
  publishAuto: "publish.auto", publishPaused: "publish.paused", captionTemplate: "publish.caption_template",
  reviewChatId: "publish.review_chat", syncMaxDeletions: "sync.max_deletions",
};
const bool = (raw: string): boolean | undefined => (raw === "true" ? true : raw === "false" ? false : undefined);

const clamp = (n: number, [min, max]: readonly [number, number]): number => Math.min(max, Math.max(min, Math.round(n)));

function parse(name: keyof RuntimeSettings, raw: string): RuntimeSettings[keyof RuntimeSettings] | undefined {
  switch (name) {
    case "autoConvertSince": return raw === "off" ? null : Number.isFinite(Number(raw)) ? Number(raw) : undefined;
    case "convertConcurrency": return Number.isFinite(Number(raw)) ? clamp(Number(raw), LIMITS.convertConcurrency) : undefined;
    case "convertPreset": return (X264_PRESETS as readonly string[]).includes(raw) ? (raw) : undefined;
    case "trashDays": return Number.isFinite(Number(raw)) ? clamp(Number(raw), LIMITS.trashDays) : undefined;
    case "publishAuto": return bool(raw);
    case "publishPaused": return bool(raw);
    case "captionTemplate": return templateProblem(raw) === null ? raw : undefined;
    case "reviewChatId": return raw === "off" ? null : Number.isSafeInteger(Number(raw)) ? Number(raw) : undefined;
    case "syncMaxDeletions": return raw.trim() !== "" && Number.isFinite(Number(raw)) ? clamp(Number(raw), LIMITS.syncMaxDeletions) : undefined;
  }
}

/** Reads and changes the run-time settings; every change is audited and takes effect at once. */
export class SettingsService {
  private values: RuntimeSettings = DEFAULT_SETTINGS;
  private readonly listeners = new Set<(name: keyof RuntimeSettings) => void>();

  constructor(private readonly store: SettingsStore, private readonly audit: AuditService, private readonly clock: Clock) {}

  /** Reads the saved values; call once at start-up. Unreadable values fall back to the defaults. */
  async load(): Promise<void> {
    const loaded: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const name of Object.keys(KEYS) as (keyof RuntimeSettings)[]) {
      const raw = await this.store.get(KEYS[name]);
      const value = raw === null ? undefined : parse(name, raw);
      if (value !== undefined) loaded[name] = value;
    }
    this.values = loaded as unknown as RuntimeSettings;
  }

  get current(): RuntimeSettings {
    return this.values;
  }

  /** Runs `listener` after each change (the job runner re-reads a concurrency at once); returns the unsubscribe function. */
  onChange(listener: (name: keyof RuntimeSettings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Turns automatic conversion of new files on or off. */
  setAutoConvert(on: boolean, actor: Actor): Promise<RuntimeSettings> {
    requirePermission(actor, "settings");
    if (on === (this.values.autoConvertSince !== null)) return Promise.resolve(this.values);
    return this.change("autoConvertSince", on ? this.clock.now() : null, actor);
  }

  /** How many conversions run at once (1–4). */
  setConcurrency(n: number, actor: Actor): Promise<RuntimeSettings> {
    requirePermission(actor, "settings");
    return this.change("convertConcurrency", clamp(n, LIMITS.convertConcurrency), actor);
  }

  setPreset(preset: X264Preset, actor: Actor): Promise<RuntimeSettings> {
    requirePermission(actor, "settings");
    return this.change("convertPreset", preset, actor);
  }

  /** Days in the trash (1–365). */
  setTrashDays(days: number, actor: Actor): Promise<RuntimeSettings> {
    requirePermission(actor, "settings");
    return this.change("trashDays", clamp(days, LIMITS.trashDays), actor);
  }

  /** Queue videos for their channel as soon as they get a category. */
  setPublishAuto(on: boolean, actor: Actor): Promise<RuntimeSettings> {
    requirePermission(actor, "settings");
    return this.change("publishAuto", on, actor);
  }

  /** Pauses or resumes sending (the queue keeps its items). */
  setPublishPaused(paused: boolean, actor: Actor): Promise<RuntimeSettings> {
    requirePermission(actor, "publish");
    return this.change("publishPaused", paused, actor);
  }

  /** Where drafts for review go: a channel's chat id (the bot checks its audience), or null for the first owner's chat. */
  setReviewChat(chatId: number | null, actor: Actor): Promise<RuntimeSettings> {
    requirePermission(actor, "settings");
    return this.change("reviewChatId", chatId, actor);
  }

  /** The deletion cap of a sync (0–10,000; 0 means a sync never removes anything). */
  setSyncMaxDeletions(n: number, actor: Actor): Promise<RuntimeSettings> {
    requirePermission(actor, "settings");
    return this.change("syncMaxDeletions", clamp(n, LIMITS.syncMaxDeletions), actor);
  }

  /** A new caption template; refused with the reason when it cannot be used. */
  async setCaptionTemplate(template: string, actor: Actor): Promise<{ ok: true } | { ok: false; problem: string }> {
    requirePermission(actor, "settings");
    const cleaned = template.replace(/\r\n?/gu, "\n").trim();
    const problem = templateProblem(cleaned);
    if (problem !== null) return { ok: false, problem };
    await this.change("captionTemplate", cleaned, actor);
    return { ok: true };
  }

  private async change<K extends keyof RuntimeSettings>(name: K, value: RuntimeSettings[K], actor: Actor): Promise<RuntimeSettings> {
    const before = this.values[name];
    if (before === value) return this.values;
    await this.store.set(KEYS[name], value === null ? "off" : String(value), this.clock.now());
    this.values = { ...this.values, [name]: value };
    for (const listener of this.listeners) listener(name);
    await this.audit.record({ actor, action: "setting.change", target: { type: "setting", id: KEYS[name] }, before: { [KEYS[name]]: before }, after: { [KEYS[name]]: value } });
    return this.values;
  }
}
