import { basename, relative, sep } from "node:path";

/**
 * How paths are shown to people: relative to their library folder, never as full server paths. With
 * several folders, a path starts with its folder's name; folders with the same name get their parent's too.
 */
export class LibraryPaths {
  private readonly labels: ReadonlyMap<string, string>;

  constructor(private readonly roots: readonly string[]) {
    this.labels = rootLabels(roots);
  }

  /** The name a library folder is shown by. */
  folder(root: string): string {
    return this.labels.get(root) ?? (basename(root) || root);
  }

  /** A file or folder path as shown: "Phy/L01.mp4", or "Lectures/Phy/L01.mp4" when there are several folders. */
  show(path: string): string {
    const root = this.rootOf(path);
    if (root === undefined) return path;
    const rel = relative(root, path).split(sep).join("/");
    if (this.roots.length <= 1) return rel === "" ? this.folder(root) : rel;
    return rel === "" ? this.folder(root) : `${this.folder(root)}/${rel}`;
  }

  /** The library folder holding a path (the deepest when folders nest). */
  rootOf(path: string): string | undefined {
    let best: string | undefined;
    for (const root of this.roots) {
      const inside = path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
      if (inside && (best === undefined || root.length > best.length)) best = root;
    }
    return best;
  }
}

/** Each folder's shortest distinct tail: "Lectures", or "A/Lectures" and "B/Lectures". */
function rootLabels(roots: readonly string[]): Map<string, string> {
  const parts = roots.map((r) => r.split(sep).filter((p) => p !== ""));
  const labels = new Map<string, string>();
  roots.forEach((root, i) => {
    const mine = parts[i] ?? [];
    let take = 1;
    const tail = (p: readonly string[], n: number): string => p.slice(-n).join("/");
    while (take < mine.length && parts.some((other, j) => j !== i && tail(other, take) === tail(mine, take))) take++;
    labels.set(root, tail(mine, take) || root);
  });
  return labels;
}
