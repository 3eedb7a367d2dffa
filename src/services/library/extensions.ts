/** The file extensions a scan treats as videos unless VIDEO_EXTENSIONS says otherwise. */
export const DEFAULT_VIDEO_EXTENSIONS = [".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".ts", ".m2ts", ".mts", ".flv", ".wmv"] as const;
