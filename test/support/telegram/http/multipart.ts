import { createHash, type Hash } from "node:crypto";
import { ApiError, badRequest, TEXTS } from "../api-error.js";
import type { UploadedFile } from "./raw-request.js";

export interface MultipartLimits {
  /** A file part above this size aborts parsing with 413, like Telegram's upload limit. */
  readonly maxFileBytes: number;
  /** Bytes of each file kept in memory (the rest is only counted and hashed). */
  readonly keepBytes: number;
  readonly maxFieldBytes: number;
}

export interface MultipartResult {
  readonly fields: Map<string, string>;
  readonly files: Map<string, UploadedFile>;
}

interface Part {
  readonly name: string;
  readonly fileName?: string;
  readonly contentType: string;
  readonly chunks: Buffer[];
  kept: number;
  size: number;
  readonly hash?: Hash;
}

type State = "preamble" | "delimiter" | "headers" | "body" | "done";

/**
 * A push parser for multipart/form-data that never holds more than one chunk
 * plus a boundary's worth of bytes, so multi-gigabyte uploads only cost time.
 */
export class MultipartParser {
  private buffer: Buffer = Buffer.from("\r\n"); // lets the first boundary look like all the others
  private state: State = "preamble";
  private part: Part | undefined;
  private readonly delimiter: Buffer;
  private readonly fields = new Map<string, string>();
  private readonly files = new Map<string, UploadedFile>();

  constructor(
    boundary: string,
    private readonly limits: MultipartLimits,
  ) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  write(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.advance()) {
      // each advance() consumes what it can; loop until it needs more input
    }
  }

  finish(): MultipartResult {
    if (this.state !== "done") throw badRequest("can't parse multipart/form-data: unexpected end of the body");
    return { fields: this.fields, files: this.files };
  }

  /** Returns true when it made progress and may make more with the bytes it has. */
  private advance(): boolean {
    switch (this.state) {
      case "preamble":
        return this.skipPreamble();
      case "delimiter":
        return this.afterDelimiter();
      case "headers":
        return this.readHeaders();
      case "body":
        return this.readBody();
      case "done":
        this.buffer = Buffer.alloc(0);
        return false;
    }
  }

  private skipPreamble(): boolean {
    const index = this.buffer.indexOf(this.delimiter);
    if (index < 0) {
      this.buffer = this.buffer.subarray(Math.max(0, this.buffer.length - this.delimiter.length));
      return false;
    }
    this.buffer = this.buffer.subarray(index + this.delimiter.length);
    this.state = "delimiter";
    return true;
  }

  private afterDelimiter(): boolean {
    if (this.buffer.length < 2) return false;
    const marker = this.buffer.toString("latin1", 0, 2);
    if (marker === "--") {
      this.state = "done";
      return true;
    }
    if (marker !== "\r\n") throw badRequest("can't parse multipart/form-data: malformed boundary line");
    this.buffer = this.buffer.subarray(2);
    this.state = "headers";
    return true;
  }

  private readHeaders(): boolean {
    const end = this.buffer.indexOf("\r\n\r\n");
    if (end < 0) {
      if (this.buffer.length > 16 * 1024) throw badRequest("can't parse multipart/form-data: part headers too long");
      return false;
    }
    this.part = startPart(this.buffer.toString("utf8", 0, end));
    this.buffer = this.buffer.subarray(end + 4);
    this.state = "body";
    return true;
  }

  private readBody(): boolean {
    const index = this.buffer.indexOf(this.delimiter);
    if (index < 0) {
      // keep a tail that could be the start of a delimiter split across chunks
      const safe = this.buffer.length - (this.delimiter.length - 1);
      if (safe > 0) {
        this.consume(this.buffer.subarray(0, safe));
        this.buffer = this.buffer.subarray(safe);
      }
      return false;
    }
    this.consume(this.buffer.subarray(0, index));
    this.buffer = this.buffer.subarray(index + this.delimiter.length);
    this.endPart();
    this.state = "delimiter";
    return true;
  }

  private consume(data: Buffer): void {
    const part = this.part;
    if (part === undefined || data.length === 0) return;
    part.size += data.length;
    const isFile = part.fileName !== undefined;
    if (isFile && part.size > this.limits.maxFileBytes) throw new ApiError(413, TEXTS.entityTooLarge, "violation");
    if (!isFile && part.size > this.limits.maxFieldBytes) throw new ApiError(413, TEXTS.entityTooLarge, "violation");
    part.hash?.update(data);
    const room = isFile ? this.limits.keepBytes - part.kept : data.length;
    if (room > 0) {
      // copy: the incoming chunk's memory is reused by the socket
      part.chunks.push(Buffer.from(data.subarray(0, room)));
      part.kept += Math.min(room, data.length);
    }
  }

  private endPart(): void {
    const part = this.part;
    this.part = undefined;
    if (part === undefined) return;
    const content = Buffer.concat(part.chunks);
    if (part.fileName === undefined) {
      this.fields.set(part.name, content.toString("utf8"));
      return;
    }
    this.files.set(part.name, {
      partName: part.name,
      fileName: part.fileName,
      contentType: part.contentType,
      size: part.size,
      sha256: part.hash?.digest("hex") ?? "",
      head: content,
    });
  }
}

function startPart(headerBlock: string): Part {
  const headers = new Map<string, string>();
  for (const line of headerBlock.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const disposition = headers.get("content-disposition") ?? "";
  const name = dispositionParam(disposition, "name");
  if (name === undefined) throw badRequest("can't parse multipart/form-data: a part has no name");
  const fileName = dispositionParam(disposition, "filename");
  const contentType = headers.get("content-type") ?? (fileName === undefined ? "text/plain" : "application/octet-stream");
  const hash = fileName === undefined ? undefined : createHash("sha256");
  return { name, fileName, contentType, chunks: [], kept: 0, size: 0, hash };
}

/** Accepts quoted and bare values: grammY sends `filename=video.mp4` without quotes. */
function dispositionParam(disposition: string, key: string): string | undefined {
  const pattern = new RegExp(`(?:^|;)\\s*${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, "i");
  const match = pattern.exec(disposition);
  if (match === null) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, "$1") : (match[2] ?? "").trim();
}
