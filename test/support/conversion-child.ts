// Run as a child process by the conversion tests: `node dist/test/support/conversion-child.js <db> <library> <tmp> <relative path>`.
// The same conversion services as vidlib builds, on the shared SQLite file, with the job engine's runner
// started: it scans the library, asks for a conversion of <relative path> (slowest preset, so it is still
// running when the test acts) and runs it. Heartbeats come every CONVERSION_HEARTBEAT_MS. It says "ready"
// once the request is queued; SIGTERM stops the runner gracefully and exits.
import { openDatabase } from "../../src/infra/database/database.js";
import { newProcessOwner } from "../../src/infra/system/process-owner.js";
import { userActor } from "../../src/services/people/actor.js";
import { makeConversion } from "./conversion-harness.js";
import { makeJobEngine } from "./jobs-harness.js";
import { CONVERSION } from "../../src/services/conversion/conversion-kinds.js";

const [dbPath = "", root = "", tmp = "", relativePath = ""] = process.argv.slice(2);
const say = (line: string) => process.stdout.write(`${line}\n`);

const { dataSource } = await openDatabase({ path: dbPath, busyTimeoutMs: 30_000 });
const c = await makeConversion(dataSource, root, tmp);
// This process's own runner, as the bot's: started, with a short heartbeat so a cancel arrives quickly.
const { runner } = makeJobEngine(dataSource, { now: () => Date.now() }, newProcessOwner(), {
  queue: c.engine.queue, heartbeatMs: Number(process.env.CONVERSION_HEARTBEAT_MS ?? 15_000), pollMs: 50,
});
runner.register(CONVERSION, (context) => c.service.run(context), 1);
const owner = userActor(1001, "owner");
await c.settings.setPreset("veryslow", owner);
await c.scan();
runner.start();
await c.service.request([await c.idOf(relativePath)], "card", owner);
const keepAlive = setInterval(() => undefined, 1 << 30);
say("ready");
process.once("SIGTERM", () => {
  clearInterval(keepAlive);
  void runner.stop().then(() => dataSource.destroy()).then(() => process.exit(0));
});
