import type { Json } from "../json.js";

/** A file part of a multipart request. Only `head` is kept: uploads are counted, not buffered. */
export interface UploadedFile {
  readonly partName: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  /** The first bytes of the file (all of it when small enough), for getFile downloads. */
  readonly head: Buffer;
}

/**
 * How a parameter arrived: JSON bodies carry typed values, while query strings,
 * form-urlencoded and multipart bodies carry text that must be coerced.
 */
export type RawParam = { readonly source: "json"; readonly value: Json } | { readonly source: "text"; readonly value: string };

export interface RawRequest {
  readonly params: Map<string, RawParam>;
  /** Multipart file parts by part name. */
  readonly files: Map<string, UploadedFile>;
}

export function emptyRawRequest(): RawRequest {
  return { params: new Map(), files: new Map() };
}
