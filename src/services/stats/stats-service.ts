import type { Actor } from "../people/actor.js";
import type { Clock } from "../shared/clock.js";
import { requirePermission } from "../people/permissions.js";
import { words } from "../search/normalise.js";
import { weeklyChartSvg } from "./weekly-chart.js";

export type SearchSource = "chat" | "inline";

export interface WeekFigures {
  /** Monday 00:00 UTC of the week. */
  readonly weekStart: number;
  /** Posts made in the week, by channel title. */
  readonly postsByChannel: ReadonlyMap<string, number>;
  readonly videosAdded: number;
  /** Videos in the library at the end of the week. */
  readonly videosTotal: number;
}

export interface StatsReport {
  readonly since: number;
  readonly searches: number;
  readonly topWords: readonly { word: string; count: number }[];
  readonly noResults: readonly { query: string; count: number }[];
  readonly topChosen: readonly { videoId: number; fileName: string; count: number }[];
  readonly weeks: readonly WeekFigures[];
}

/** Search analytics and weekly figures in SQLite. */
export interface StatsStore {
  /** The user's newest inline search since `since` that nothing was chosen from, to extend while they type. */
  lastOpenInline(userId: number, since: number): Promise<{ id: number; query: string } | null>;
  insertSearch(entry: { userId: number; source: SearchSource; query: string; words: readonly string[]; results: number }, now: number): Promise<number>;
  updateSearch(id: number, entry: { query: string; words: readonly string[]; results: number }, now: number): Promise<void>;
  /** Marks the chosen video of a search of this user; false when there is no such search. */
  choose(searchId: number, userId: number, videoId: number, now: number): Promise<boolean>;
  /** The user's newest inline search with this text, since `since`. */
  inlineSearchFor(userId: number, query: string, since: number): Promise<number | null>;
  searchCount(since: number): Promise<number>;
  topWords(since: number, limit: number): Promise<{ word: string; count: number }[]>;
  noResults(since: number, limit: number): Promise<{ query: string; count: number }[]>;
  topChosen(since: number, limit: number): Promise<{ videoId: number; fileName: string; count: number }[]>;
  postsPerChannel(from: number, to: number): Promise<{ channel: string; at: number }[]>;
  videosAddedSince(from: number): Promise<number[]>;
  videosBefore(at: number): Promise<number>;
}

/** Turns an SVG picture into PNG bytes (a native renderer with a font it ships). */
export interface ChartRasteriser {
  png(svg: string): Promise<Buffer>;
}

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Inline queries arrive on every keystroke; those this close together, each extending the last, are one search. */
export const TYPING_GAP_MS = 30_000;

/** Monday 00:00 UTC of the week containing `at`. */
export function weekStartOf(at: number): number {
  const day = Math.floor(at / DAY);
  const weekday = (new Date(day * DAY).getUTCDay() + 6) % 7; // Monday = 0
  return (day - weekday) * DAY;
}

/** Records what people search for and choose, and reports it with the weekly publishing and library figures. */
export class StatsService {
  constructor(private readonly store: StatsStore, private readonly clock: Clock, private readonly rasteriser: ChartRasteriser) {}

  /** Records a search by a person; returns its id (for the choice that may follow). */
  async recordSearch(userId: number, source: SearchSource, query: string, results: number): Promise<number> {
    const now = this.clock.now();
    const entry = { query: query.trim().slice(0, 200), words: words(query).slice(0, 20), results };
    if (source === "inline") {
      const last = await this.store.lastOpenInline(userId, now - TYPING_GAP_MS);
      // "elec", "electro", "electrostatics": the person is still typing the same search.
      if (last !== null && (entry.query.startsWith(last.query) || last.query.startsWith(entry.query))) {
        await this.store.updateSearch(last.id, entry, now);
        return last.id;
      }
    }
    return this.store.insertSearch({ userId, source, ...entry }, now);
  }

  /** The video a person opened from the results of one of their chat searches. */
  async recordChoice(searchId: number, userId: number, videoId: number): Promise<boolean> {
    return this.store.choose(searchId, userId, videoId, this.clock.now());
  }

  /** The result a person picked from an inline search (Telegram's chosen_inline_result). */
  async recordInlineChoice(userId: number, query: string, videoId: number): Promise<boolean> {
    const now = this.clock.now();
    const searchId = await this.store.inlineSearchFor(userId, query.trim().slice(0, 200), now - DAY)
      ?? (await this.recordSearch(userId, "inline", query, 1));
    return this.store.choose(searchId, userId, videoId, now);
  }

  /** The last `days` days of searches, and the last `weeks` weeks of posts and library growth. */
  async report(actor: Actor, days = 30, weeks = 8): Promise<StatsReport> {
    requirePermission(actor, "stats");
    const now = this.clock.now();
    const since = now - days * DAY;
    const firstWeek = weekStartOf(now) - (weeks - 1) * WEEK;
    const posts = await this.store.postsPerChannel(firstWeek, now);
    const added = await this.store.videosAddedSince(firstWeek);
    let total = await this.store.videosBefore(firstWeek);
    const figures: WeekFigures[] = [];
    for (let i = 0; i < weeks; i++) {
      const start = firstWeek + i * WEEK;
      const inWeek = (at: number): boolean => at >= start && at < start + WEEK;
      const byChannel = new Map<string, number>();
      for (const p of posts.filter((p) => inWeek(p.at))) byChannel.set(p.channel, (byChannel.get(p.channel) ?? 0) + 1);
      const videosAdded = added.filter(inWeek).length;
      total += videosAdded;
      figures.push({ weekStart: start, postsByChannel: byChannel, videosAdded, videosTotal: total });
    }
    return {
      since,
      searches: await this.store.searchCount(since),
      topWords: await this.store.topWords(since, 10),
      noResults: await this.store.noResults(since, 10),
      topChosen: await this.store.topChosen(since, 10),
      weeks: figures,
    };
  }

  /** The weekly figures of a report as a PNG chart. */
  async weeklyChart(weeks: readonly WeekFigures[]): Promise<Buffer> {
    return this.rasteriser.png(weeklyChartSvg(weeks));
  }
}
