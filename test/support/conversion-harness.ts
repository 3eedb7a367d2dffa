import { Video } from "../../src/entities/video.js";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { DataSource } from "typeorm";
import { FfmpegRunner } from "../../src/infra/ffmpeg/ffmpeg-runner.js";
import { Ffprobe } from "../../src/infra/ffmpeg/ffprobe.js";
import { NodeConversionFiles } from "../../src/infra/fs/conversion-files.js";
import { SqliteConversionStore } from "../../src/infra/database/stores/conversion-store.js";
import { SqliteSettingsStore } from "../../src/infra/database/stores/settings-store.js";
import { ConversionExecutor } from "../../src/services/conversion/executor.js";
import { ConversionService } from "../../src/services/conversion/conversion-service.js";
import type { AdminNotice, AdminNotifier } from "../../src/services/notices/notifier.js";
import { adminNoticeHtml } from "../../src/bot/views/admin-notices.js";
import { SettingsService } from "../../src/services/settings/settings.js";
import { systemClock, type Clock } from "../../src/services/shared/clock.js";
import { CONVERSION } from "../../src/services/conversion/conversion-kinds.js";
import { makeJobEngine } from "./jobs-harness.js";
import { makeScanner } from "./scanner-harness.js";
import type { VideoChanges } from "../../src/services/follow-up/video-follow-ups.js";

/** Collects the admins' notices instead of sending them. */
export class RecordingNotifier implements AdminNotifier {
  readonly messages: string[] = [];

  notifyAdmins(notice: AdminNotice): Promise<void> {
    this.messages.push(adminNoticeHtml(notice));
    return Promise.resolve();
  }
}

export interface ConversionHarnessOptions {
  readonly uploadLimitBytes?: number;
  readonly clock?: Clock;
  readonly ffmpegPath?: string;
  /** What the service and the executor tell after their writes (cards, search); none by default. */
  readonly followUps?: VideoChanges;
  /** The automatic sweep's batch size (100 in the app). */
  readonly autoBatch?: number;
}

/**
 * The real scanner, conversion store, executor (real ffmpeg), service and job engine on one SQLite file.
 * `runNext()` runs the next due conversion to its end (false when none is due), as `vidlib convert` does.
 */
export async function makeConversion(dataSource: DataSource, root: string, tempDir: string, options: ConversionHarnessOptions = {}) {
  const { scanner, scan, audit } = makeScanner(dataSource, [root]);
  const clock = options.clock ?? systemClock;
  const settings = new SettingsService(new SqliteSettingsStore(dataSource), audit, clock);
  await settings.load();
  mkdirSync(tempDir, { recursive: true });
  const store = new SqliteConversionStore(dataSource);
  const notifier = new RecordingNotifier();
  const executor = new ConversionExecutor({
    store, tool: new FfmpegRunner({ ffmpegPath: options.ffmpegPath ?? "ffmpeg", niceness: 0 }), prober: new Ffprobe({ ffprobePath: "ffprobe", timeoutMs: 30_000 }),
    files: new NodeConversionFiles(), adopter: scanner, clock, settings: () => settings.current,
    uploadLimitBytes: options.uploadLimitBytes ?? 2000 * 1024 * 1024, tempDir, progressIntervalMs: 200, followUps: options.followUps,
  });
  const engine = makeJobEngine(dataSource, clock, `test-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const service = new ConversionService({ store, executor, jobs: engine.queue, audit, notifier, settings, clock, autoExtensions: [".ts", ".mkv"],
    followUps: options.followUps, autoBatch: options.autoBatch });
  engine.runner.register(CONVERSION, (context) => service.run(context), () => service.concurrency);
  const runNext = (): Promise<boolean> => engine.runner.runOnce(CONVERSION);
  const idOf = async (relativePath: string): Promise<number> => {
    const row = await dataSource.getRepository(Video).findOne({ select: { id: true }, where: { relativePath } });
    if (row === null) throw new Error(`${relativePath} is not indexed`);
    return row.id;
  };
  return { scanner, scan, audit, settings, store, notifier, executor, service, engine, runNext, idOf, tempDir: join(tempDir) };
}
