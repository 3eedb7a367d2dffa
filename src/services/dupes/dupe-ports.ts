import type { FileStamp } from "../conversion/ports.js";
import type { FileIdentity } from "./file-identity.js";
import type { DupeVideo, PairKind } from "./pairs.js";

/** A pair as it was shown to a person, with the files' sizes and times at that moment. */
export interface ShownPair {
  readonly id: number;
  readonly kind: PairKind;
  readonly removeId: number;
  readonly keepId: number;
  readonly removeStamp: FileStamp;
  readonly keepStamp: FileStamp;
  readonly verified: boolean;
  readonly listedAt: number;
  readonly resolution: string | null;
}

/** A file moved to the trash or the archive, and what undoing it needs. */
export interface FileMove {
  readonly id: number;
  readonly videoId: number;
  readonly kind: "trash" | "archive";
  readonly fromPath: string;
  readonly toPath: string;
  readonly stamp: FileStamp;
  readonly movedAt: number;
  readonly expiresAt: number | null;
  readonly fileName: string;
}

/** Duplicate pairs, decisions, hashes and moves in SQLite. */
export interface DupeStore {
  /** Indexed videos that may have a duplicate: .ts/.mp4 files, and files sharing a fingerprint. */
  candidates(): Promise<DupeVideo[]>;
  videos(ids: readonly number[]): Promise<DupeVideo[]>;
  keptPairs(): Promise<Set<string>>;
  keepBoth(lowId: number, highId: number, actorId: string, now: number): Promise<void>;
  /** A full hash recorded for this exact size and time, if any. */
  hashOf(videoId: number, stamp: FileStamp): Promise<string | null>;
  saveHash(videoId: number, stamp: FileStamp, sha256: string, now: number): Promise<void>;
  /** Saves one listing; returns the pairs with their ids, in order. */
  saveListing(pairs: readonly Omit<ShownPair, "id" | "listedAt" | "resolution">[], now: number): Promise<ShownPair[]>;
  pair(id: number): Promise<ShownPair | null>;
  /** Unresolved pairs of the listing a pair belongs to, after it. */
  nextInListing(pair: ShownPair): Promise<ShownPair | null>;
  unresolvedInListing(listedAt: number): Promise<ShownPair[]>;
  resolve(id: number, resolution: string, now: number): Promise<boolean>;
  /** Records a move and marks the video missing with a reason; moves its tags and category to `heirId`. */
  /** Records the move, the removed file missing, and the heir's inheritance; says whether the heir was given a category. */
  recordMove(move: Omit<FileMove, "id" | "fileName">, heirId: number | null, actorId: string, reason: string): Promise<{ id: number; heirGotCategory: boolean }>;
  move(id: number): Promise<FileMove | null>;
  recentMoves(limit: number): Promise<FileMove[]>;
  /** Marks a move undone and the video indexed again (its file is back, unchanged). */
  undoMove(id: number, now: number): Promise<void>;
  expiredTrash(now: number): Promise<FileMove[]>;
  markPurged(id: number, now: number): Promise<void>;
}

/** File operations for cleanup. */
export interface DupeFiles {
  stamp(path: string): Promise<FileStamp | null>;
  /** Whether the path is a link, and which file it is; null when nothing is there. */
  identity(path: string): Promise<FileIdentity | null>;
  /** SHA-256 of the whole file. */
  sha256(path: string): Promise<string>;
  /** Moves a file to a path that must not exist (across devices by copying), keeping its modification time. */
  move(from: string, to: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** Removes a folder if it is empty (a trash entry after its file left). */
  removeEmptyFolder(path: string): Promise<void>;
  remove(path: string): Promise<void>;
}
