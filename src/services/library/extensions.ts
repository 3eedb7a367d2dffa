/** The file extensions a scan treats as videos unless VIDEO_EXTENSIONS says otherwise. */
export const DEFAULT_VIDEO_EXTENSIONS = [".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".ts", ".m2ts", ".mts", ".flv", ".wmv"] as const;

/** The lower-case extension with its dot, or "" when there is none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return "";
  const ext = name.slice(dot);
  // Most names are already lower-case; toLowerCase would copy every one of them.
  return /[A-Z]/.test(ext) ? ext.toLowerCase() : ext;
}
