import { join } from "node:path";
import type { DataSource } from "typeorm";
import { Ffprobe } from "../../src/infra/ffmpeg/ffprobe.js";
import { LibraryFileSystem } from "../../src/infra/fs/library-fs.js";
import { TypeormAuditStore } from "../../src/infra/database/stores/audit-store.js";
import { SqliteLibraryIndex } from "../../src/infra/database/stores/library-index.js";
import { AuditService } from "../../src/services/audit/audit.js";
import { systemClock } from "../../src/services/shared/clock.js";
import { DEFAULT_VIDEO_EXTENSIONS } from "../../src/services/library/extensions.js";
import type { MediaProber } from "../../src/services/library/media.js";
import { LibraryScanner, type ScannerOptions } from "../../src/services/library/scanner.js";
import { systemActor } from "../../src/services/people/actor.js";
import type { ScanReport } from "../../src/services/library/scan-report.js";

/** A prober that counts the files it was asked about. */
export class CountingProber implements MediaProber {
  readonly probed: string[] = [];
  private readonly real = new Ffprobe({ ffprobePath: "ffprobe", timeoutMs: 30_000 });

  probe(path: string) {
    this.probed.push(path);
    return this.real.probe(path);
  }
}

/** The SQLite index, counting how often the whole index is read. */
export class CountingIndex extends SqliteLibraryIndex {
  snapshots = 0;

  override snapshot() {
    this.snapshots++;
    return super.snapshot();
  }
}

export function makeScanner(dataSource: DataSource, roots: string[], options: Partial<ScannerOptions> = {}) {
  const prober = new CountingProber();
  const audit = new AuditService(new TypeormAuditStore(dataSource), systemClock);
  const index = new CountingIndex(dataSource);
  const scanner = new LibraryScanner(
    { index, lister: new LibraryFileSystem(new Set(DEFAULT_VIDEO_EXTENSIONS)), prober, hasher: new LibraryFileSystem(new Set()), audit, clock: systemClock },
    { roots, maxMissingShare: 0.2, settleMs: 0, probeConcurrency: 2, ...options },
  );
  const scan = async (): Promise<ScanReport> => {
    const start = scanner.start(systemActor("test"));
    if (!start.started) throw new Error("a scan is already running");
    return start.report;
  };
  return { scanner, prober, audit, scan, index };
}

export const rootIn = (dir: string, name: string): string => join(dir, name);
