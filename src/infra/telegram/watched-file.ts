import { createReadStream } from "node:fs";

/** A file's bytes for an upload, and whether the request has taken all of them. */
export interface WatchedFile {
  readonly chunks: AsyncIterable<Uint8Array>;
  /** True once the last byte was handed to the request: from then on Telegram may have the whole file. */
  readonly consumed: () => boolean;
}

/**
 * Streams a file and notes when it was read to the end. grammY pulls the next chunk only after the
 * previous one went to the connection, so a stream that never ended means the request never ended:
 * Telegram cannot have processed it.
 */
export function watchedFile(path: string): WatchedFile {
  let done = false;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for await (const chunk of createReadStream(path)) yield chunk as Buffer;
    done = true;
  }
  return { chunks: chunks(), consumed: () => done };
}
