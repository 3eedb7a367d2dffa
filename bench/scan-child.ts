// One no-change rescan in a process of its own, so that its peak memory is measured alone.
import { openDatabase } from "../src/infra/database/database.js";
import { SqliteLibraryIndex } from "../src/infra/database/stores/library-index.js";
import { TypeormAuditStore } from "../src/infra/database/stores/audit-store.js";
import { LibraryFileSystem } from "../src/infra/fs/library-fs.js";
import { AuditService } from "../src/services/audit/audit.js";
import { systemClock } from "../src/services/shared/clock.js";
import { systemActor } from "../src/services/people/actor.js";
import { LibraryScanner } from "../src/services/library/scanner.js";
import { DEFAULT_VIDEO_EXTENSIONS } from "../src/services/library/extensions.js";

const [databasePath = "", root = ""] = process.argv.slice(2);
const { dataSource } = await openDatabase({ path: databasePath });
const files = new LibraryFileSystem(new Set(DEFAULT_VIDEO_EXTENSIONS));
const scanner = new LibraryScanner({
  index: new SqliteLibraryIndex(dataSource), lister: files, hasher: files, audit: new AuditService(new TypeormAuditStore(dataSource), systemClock),
  clock: systemClock, prober: { probe: () => Promise.reject(new Error("a no-change rescan must not probe")) },
}, { roots: [root], maxMissingShare: 0.2, settleMs: 0, probeConcurrency: 2 });
/** One scan with nothing changed: its wall time, and a check that it really found nothing to do. */
async function rescan(): Promise<number> {
  const started = performance.now();
  const start = scanner.start(systemActor("bench"));
  if (!start.started) throw new Error("scan did not start");
  const report = await start.report;
  if (report.found === 0 || report.new + report.changed + report.missing + report.moved !== 0) {
    throw new Error(`a no-change rescan found ${report.found} files and changes: ${JSON.stringify(report)}`);
  }
  return (performance.now() - started) / 1000;
}

// The first scan in a fresh process pays for JIT compilation and worker start-up; the bot runs for
// weeks and rescans on every change and every reconcile, so the second scan is the steady state.
const cold = await rescan();
const coldRssMb = process.resourceUsage().maxRSS / 1024;
const warm = await rescan();
await dataSource.destroy();
process.stdout.write(JSON.stringify({ cold, warm, coldRssMb, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + "\n");
