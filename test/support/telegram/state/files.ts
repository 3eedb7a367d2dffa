import { randomBytes } from "node:crypto";
import type { FileKind, FileRecord } from "./records.js";

// Telegram file ids start with a type-specific prefix; mimicking it helps eyeballing logs
const PREFIX: Record<FileKind, string> = { video: "BAAC", photo: "AgAC", document: "BQAC", thumbnail: "AAMC" };
const FOLDER: Record<FileKind, string> = { video: "videos", photo: "photos", document: "documents", thumbnail: "thumbnails" };

export type NewFile = Omit<FileRecord, "fileId" | "fileUniqueId" | "filePath"> & { readonly filePath?: string };

/** Every file the emulated server "stores", by file_id. */
export class FileRegistry {
  private readonly byId = new Map<string, FileRecord>();
  private counter = 0;

  constructor(private readonly pathPrefix: string) {}

  add(file: NewFile): FileRecord {
    const n = this.counter++;
    const extension = extensionOf(file.fileName, file.kind);
    const record: FileRecord = {
      ...file,
      fileId: PREFIX[file.kind] + randomBytes(30).toString("base64url"),
      fileUniqueId: "AgAD" + randomBytes(9).toString("base64url"),
      filePath: file.filePath ?? `${this.pathPrefix}${FOLDER[file.kind]}/file_${n}${extension}`,
    };
    this.byId.set(record.fileId, record);
    return record;
  }

  get(fileId: string): FileRecord | undefined {
    return this.byId.get(fileId);
  }

  byPath(filePath: string): FileRecord | undefined {
    return [...this.byId.values()].find((file) => file.filePath === filePath);
  }
}

function extensionOf(fileName: string | undefined, kind: FileKind): string {
  const match = /\.[A-Za-z0-9]{1,8}$/.exec(fileName ?? "");
  if (match !== null) return match[0];
  return kind === "video" ? ".mp4" : kind === "document" ? "" : ".jpg";
}
