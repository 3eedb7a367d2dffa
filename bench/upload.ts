// npm run bench -- upload: 1,000 queued items over 5 channels against the emulator with Telegram's limits on
// (20 posts a minute per channel, 30 requests a second). The baseline is the allowed rate itself: the
// figure is achieved posts per minute per channel ÷ 20, and the 429s our own pacing caused (target: none).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config.js";
import { createServices } from "../src/composition.js";
import { openDatabase } from "../src/infra/database/database.js";
import { createLogger } from "../src/infra/logging/logger.js";
import { systemClock } from "../src/services/shared/clock.js";
import { recoverUploads, registerUploadJobs } from "../src/app.js";
import { JobRunner } from "../src/workers/job-runner.js";
import { newProcessOwner } from "../src/infra/system/process-owner.js";
import { queueLibrary } from "../test/support/queued-library.js";
import { TelegramEmulator } from "../test/support/telegram/index.js";
import { round } from "./support.js";

const ITEMS = Number(process.env.BENCH_ITEMS ?? 1000);
const CHANNELS = [1, 2, 3, 4, 5].map((n) => -1005000000000 - n);
const ALLOWED = 20;

const dir = mkdtempSync(join(tmpdir(), "vidlib-bench-upload-"));
const emu = await TelegramEmulator.start({ profile: "local", rateLimits: { perChatPerMinute: ALLOWED, globalPerSecond: 30 } });
CHANNELS.forEach((id, i) => emu.channel({ id, title: `Channel ${i + 1}` }));
const config = loadConfig({ TELEGRAM_BOT_TOKEN: emu.token, TELEGRAM_API_ROOT: emu.apiRoot, TELEGRAM_LOCAL_MODE: "true", ADMIN_IDS: "1001", DATA_DIR: join(dir, "data"), LOG_LEVEL: "warn" }, dir);
const { dataSource } = await openDatabase({ path: config.databasePath });
await queueLibrary(dataSource, join(dir, "lib"), CHANNELS, ITEMS, 1001);
const logger = createLogger({ level: "warn", pretty: false, secrets: [config.telegram.token], destination: process.stderr });
const services = createServices(dataSource, config, { notifyAdmins: () => Promise.resolve() }, systemClock, logger);
await services.settings.load();
const runner = new JobRunner({ store: services.jobStore, queue: services.jobs, clock: systemClock, logger, owner: newProcessOwner() });
registerUploadJobs(runner, services, logger);
const started = Date.now();
await recoverUploads(services, systemClock, logger);
runner.start();
let last = -1;
for (;;) {
  const [row] = await dataSource.query<{ n: number }[]>(`SELECT count(*) AS n FROM upload_job WHERE state = 'sent'`);
  const sent = row?.n ?? 0;
  if (sent !== last && sent % 50 === 0) process.stderr.write(`${sent}/${ITEMS} sent after ${Math.round((Date.now() - started) / 1000)} s\n`);
  last = sent;
  if (sent >= ITEMS) break;
  await new Promise((r) => setTimeout(r, 500));
}
await runner.stop();
await services.notices.flush();

// Per channel: posts after the first, over the time since the first (the first minute's burst allowance is not used).
const rates = CHANNELS.map((id) => {
  const times = emu.requests.filter((r) => r.method === "sendVideo" && Number(r.params.chat_id) === id && r.status === 200).map((r) => r.at).sort((a, b) => a - b);
  const span = (times.at(-1) ?? 0) - (times[0] ?? 0);
  return span > 0 ? ((times.length - 1) / span) * 60_000 : 0;
});
const result = {
  benchmark: "upload",
  items: ITEMS,
  channels: CHANNELS.length,
  seconds: round((Date.now() - started) / 1000, 1),
  allowedPerMinutePerChannel: ALLOWED,
  achievedPerMinutePerChannel: rates.map((r) => round(r, 2)),
  ratioOfAllowed: round(Math.min(...rates) / ALLOWED, 3),
  rateLimited429: emu.rateLimitedCount,
  violations: emu.violations.length,
};
process.stdout.write(`posts/min per channel: ${result.achievedPerMinutePerChannel.join(", ")} (allowed ${ALLOWED}); ratio ${result.ratioOfAllowed}; 429s: ${result.rateLimited429}\n`);
process.stdout.write(`${JSON.stringify(result)}\n`);
await dataSource.destroy();
await emu.stop();
rmSync(dir, { recursive: true, force: true });
