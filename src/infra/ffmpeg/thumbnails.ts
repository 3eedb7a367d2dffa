import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import type { MediaTool } from "../../services/conversion/ports.js";
import type { ThumbnailMaker } from "../../services/publish/ports.js";
import { THUMBNAIL_MAX_BYTES, thumbnailSpec, thumbnailTime } from "../../services/publish/thumbnail-args.js";
import type { Logger } from "../logging/logger.js";

/** Thumbnails for sendVideo, made with ffmpeg in the scratch folder; a video without one is still sent. */
export class FfmpegThumbnails implements ThumbnailMaker {
  constructor(private readonly tool: MediaTool, private readonly tempDir: string, private readonly logger: Logger) {}

  async thumbnail(path: string, durationS: number | null): Promise<Uint8Array | null> {
    const out = join(this.tempDir, `thumb-${randomUUID()}.jpg`);
    try {
      for (const [quality, at] of [[4, thumbnailTime(durationS)], [10, thumbnailTime(durationS)], [4, 0]] as const) {
        const result = await this.tool.run(thumbnailSpec(path, out, at, quality));
        const bytes = result.ok ? await readFile(out).catch(() => null) : null;
        if (bytes !== null && bytes.length > 0 && bytes.length <= THUMBNAIL_MAX_BYTES) return bytes;
      }
      this.logger.warn({ path }, "no thumbnail could be made; the video is sent without one");
      return null;
    } finally {
      await rm(out, { force: true });
    }
  }
}
