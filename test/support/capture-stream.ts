import { Writable } from "node:stream";

/** A writable that keeps everything written to it, for reading log output in tests. */
export class CaptureStream extends Writable {
  readonly chunks: string[] = [];

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk.toString());
    callback();
  }

  get text(): string {
    return this.chunks.join("");
  }

  /** Parsed JSON log lines. */
  lines(): Record<string, unknown>[] {
    return this.text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}
