import { delimiter as osDelimiter, resolve as osResolve } from "node:path";

/** A library folder: the name every process knows it by, and its path on the primary. */
export interface LibraryFolder {
  readonly name: string;
  readonly path: string;
}

/** How paths are resolved and separated; the platform's own, or another one's in tests. */
export interface PathFlavour {
  readonly resolve: (...paths: string[]) => string;
  readonly delimiter: string;
}

const NATIVE: PathFlavour = { resolve: osResolve, delimiter: osDelimiter };
const NAME = /^[\p{L}\p{N}_-]{1,64}$/u;
const NAME_RULE = "letters, digits, - and _ only (at most 64)";

/** Folder names compare without regard to case: they are kept in lower case. */
export function folderName(raw: string): string {
  return raw.trim().normalize("NFC").toLowerCase();
}

/** A name for an unnamed folder, from its last path segment: lower case, letters, digits, - and _ only, unique among `taken`. */
export function derivedName(path: string, taken: ReadonlySet<string>): string {
  // Either separator: the path may be another system's (a Windows path parsed on Linux in tests, say).
  const last = path.replace(/[\\/]+$/, "").split(/[\\/]/).pop() ?? "";
  const base = folderName(last).replace(/[^\p{L}\p{N}_-]+/gu, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "folder";
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  return name;
}

/** Names the folders of the old, unnamed form, in order. */
export function namedFolders(paths: readonly string[]): LibraryFolder[] {
  const taken = new Set<string>();
  return paths.map((path) => {
    const name = derivedName(path, taken);
    taken.add(name);
    return { name, path };
  });
}

export type FoldersParsed = { readonly folders: LibraryFolder[]; readonly problems: readonly string[] };

/** `name=path` entries separated by `;`, split on each entry's first `=` (so `C:\x` stays whole). */
function parseNamed(raw: string, what: string, flavour: PathFlavour, cwd: string): FoldersParsed {
  const folders: LibraryFolder[] = [];
  const problems: string[] = [];
  for (const entry of raw.split(";").map((s) => s.trim()).filter((s) => s !== "")) {
    const cut = entry.indexOf("=");
    const name = cut < 0 ? "" : folderName(entry.slice(0, cut));
    const path = cut < 0 ? "" : entry.slice(cut + 1).trim();
    if (cut < 0) problems.push(`"${entry}" has no name: write name=path, e.g. lectures=/srv/nas/lectures (entries separated by ;)`);
    else if (!NAME.test(name)) problems.push(`the ${what} name "${entry.slice(0, cut).trim()}" is not allowed: ${NAME_RULE}`);
    else if (path === "") problems.push(`${name} has no path: write ${name}=/path/to/the/folder`);
    else if (folders.some((f) => f.name === name)) problems.push(`the name ${name} is given twice; each folder needs a name of its own`);
    else folders.push({ name, path: flavour.resolve(cwd, path) });
  }
  const paths = new Map<string, string>();
  for (const f of folders) {
    const other = paths.get(f.path);
    if (other !== undefined) problems.push(`${f.path} is named twice (${other} and ${f.name}); name each folder once`);
    paths.set(f.path, f.name);
  }
  return { folders, problems };
}

/** Whether a value uses the named form: it has `=`, and what comes before the first one is no path. */
function isNamedForm(raw: string): boolean {
  const cut = raw.indexOf("=");
  return cut >= 0 && !/[\\/]/.test(raw.slice(0, cut));
}

/**
 * LIBRARY_ROOTS: `name=path;name=path`, or the old form (paths separated by the platform's delimiter), whose
 * folders are named after their last path segment. Relative paths resolve against `cwd`.
 */
export function parseLibraryRoots(raw: string | undefined, cwd: string, flavour: PathFlavour = NATIVE): FoldersParsed {
  if (raw === undefined || raw.trim() === "") return { folders: [], problems: [] };
  if (isNamedForm(raw)) return parseNamed(raw, "folder", flavour, cwd);
  const paths = [...new Set(raw.split(flavour.delimiter).map((s) => s.trim()).filter((s) => s !== "").map((s) => flavour.resolve(cwd, s)))];
  return { folders: namedFolders(paths), problems: [] };
}

/** VIDLIB_PATH_MAP: `name=path;…`, where this machine mounts the primary's folders of those names. */
export function parsePathMap(raw: string | undefined, cwd: string, flavour: PathFlavour = NATIVE): { readonly map: Map<string, string>; readonly problems: readonly string[] } {
  if (raw === undefined || raw.trim() === "") return { map: new Map(), problems: [] };
  const { folders, problems } = parseNamed(raw, "folder", flavour, cwd);
  return { map: new Map(folders.map((f) => [f.name, f.path])), problems };
}
