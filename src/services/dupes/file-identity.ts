/** What the file system says a path is, right now: a link or a file, and which file (device and inode). */
export interface FileIdentity {
  /** The path itself is a symbolic link. */
  readonly isLink: boolean;
  /** The file it is (after following a link); null when nothing is there or the link is broken. */
  readonly file: { readonly dev: number; readonly ino: number; readonly links: number } | null;
  /** The path with every link resolved; null when it cannot be resolved. */
  readonly realPath: string | null;
}

/** Whether cleanup may move A away while B stays, and what people should know about the two paths. */
export interface PairSafety {
  readonly deletable: boolean;
  /** Why deleting is not offered, or a caution (A is a hard link); null when there is nothing to say. */
  readonly note: string | null;
}

const sameFile = (a: FileIdentity, b: FileIdentity): boolean =>
  a.file !== null && b.file !== null && a.file.dev === b.file.dev && a.file.ino === b.file.ino;

/**
 * No cleanup may remove the only real copy of content: B must be a real file of its own, a different
 * file (inode) from A, and not a link; A must be a real file too (moving a link frees nothing).
 */
export function pairSafety(remove: FileIdentity | null, keep: FileIdentity | null): PairSafety {
  if (keep === null || keep.file === null) return { deletable: false, note: "B is no longer there, so A may be the only copy" };
  if (remove === null || remove.file === null) return { deletable: false, note: "A is no longer there" };
  if (keep.isLink) {
    return { deletable: false, note: sameFile(remove, keep) ? "B is only a link to A: they are one file, so deleting A is not offered"
      : "B is only a link, not a copy of its own, so deleting A is not offered" };
  }
  if (remove.isLink) {
    return { deletable: false, note: sameFile(remove, keep) ? "A is only a link to B: they are one file; deleting A would free no space"
      : "A is only a link, not a copy of its own; deleting it would free no space" };
  }
  if (sameFile(remove, keep)) return { deletable: false, note: "A and B are hard links: one file under two names, so deleting A frees no space and is not offered" };
  if (remove.file.links > 1) return { deletable: true, note: "A is a hard link: the same file has another name too, so deleting A frees no space" };
  return { deletable: true, note: null };
}
