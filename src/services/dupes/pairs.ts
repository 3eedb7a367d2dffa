/** A video as duplicate detection sees it. */
export interface DupeVideo {
  readonly id: number;
  readonly path: string;
  readonly root: string;
  readonly relativePath: string;
  readonly fileName: string;
  readonly extension: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly fingerprint: string | null;
  readonly durationS: number | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly videoCodec: string | null;
  readonly audioCodec: string | null;
  readonly pixelFormat: string | null;
  readonly container: string | null;
}

export type PairKind = "ts-mp4" | "exact";

/** Two files that hold the same video; `remove` is the one cleanup acts on, `keep` stays. */
export interface CandidatePair {
  readonly kind: PairKind;
  readonly remove: DupeVideo;
  readonly keep: DupeVideo;
}

const folderOf = (v: DupeVideo): string => {
  const cut = v.relativePath.lastIndexOf("/");
  return `${v.root}\u0000${cut < 0 ? "" : v.relativePath.slice(0, cut).toLowerCase()}`;
};
const stemOf = (v: DupeVideo): string => v.fileName.slice(0, v.fileName.length - v.extension.length).toLowerCase();

/**
 * `.ts`/`.mp4` pairs: same folder, same name but for the extension (case aside), durations within 1 s.
 * The `.ts` (the recording) is the one to clean up; the MP4 is what Telegram plays.
 */
export function tsMp4Pairs(videos: readonly DupeVideo[]): CandidatePair[] {
  const groups = new Map<string, { ts: DupeVideo[]; mp4: DupeVideo[] }>();
  for (const v of videos) {
    if (v.extension !== ".ts" && v.extension !== ".mp4") continue;
    const key = `${folderOf(v)}\u0000${stemOf(v)}`;
    const group = groups.get(key) ?? { ts: [], mp4: [] };
    (v.extension === ".ts" ? group.ts : group.mp4).push(v);
    groups.set(key, group);
  }
  const pairs: CandidatePair[] = [];
  for (const { ts, mp4 } of groups.values()) {
    for (const t of ts) {
      const match = mp4.find((m) => t.durationS !== null && m.durationS !== null && Math.abs(t.durationS - m.durationS) <= 1);
      if (match !== undefined) pairs.push({ kind: "ts-mp4", remove: t, keep: match });
    }
  }
  return pairs;
}

/**
 * Files with the same fingerprint (size, first and last MiB, duration) anywhere in the library: candidates
 * for exact duplicates, to be confirmed by a full hash. The oldest entry is kept; each later one is a copy.
 */
export function sameFingerprint(videos: readonly DupeVideo[]): CandidatePair[] {
  const groups = new Map<string, DupeVideo[]>();
  for (const v of videos) {
    if (v.fingerprint === null) continue;
    groups.set(v.fingerprint, [...(groups.get(v.fingerprint) ?? []), v]);
  }
  const pairs: CandidatePair[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const [keep, ...copies] = [...group].sort((a, b) => a.id - b.id);
    for (const copy of copies) pairs.push({ kind: "exact", remove: copy, keep: keep as DupeVideo });
  }
  return pairs;
}

/** A pair's key regardless of order, for "keep both" decisions. */
export const pairKey = (a: number, b: number): [number, number] => (a < b ? [a, b] : [b, a]);
