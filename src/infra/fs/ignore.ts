// Files and folders a scan never looks at: hidden ones, operating-system litter, and partial downloads
// or copies, which become real files under another name when they finish.

const SYSTEM_NAMES = new Set([
  "thumbs.db", "desktop.ini", "$recycle.bin", "system volume information", "lost+found", "@eadir", "#recycle", "#snapshot",
]);
const TEMPORARY_SUFFIXES = [".part", ".partial", ".crdownload", ".download", ".tmp", ".temp", ".!qb", ".filepart", ".opdownload"];

/** Hidden by convention: a leading dot, Office's "~$" lock files, editors' "~" backups. */
export function isHiddenName(name: string): boolean {
  return name.startsWith(".") || name.startsWith("~$") || name.endsWith("~");
}

/** True for a name that is hidden, a system file or folder, or a temporary file. */
export function isIgnoredName(name: string): boolean {
  if (isHiddenName(name)) return true;
  const lower = name.toLowerCase();
  return SYSTEM_NAMES.has(lower) || TEMPORARY_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}
