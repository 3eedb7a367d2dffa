import { runDemo } from "./session.js";

// `npm run demo`: vidlib working end to end with no Telegram account, on this machine only.
const line = (text = ""): void => void process.stdout.write(`${text}\n`);
const section = (title: string, body: string): void => {
  line();
  line(`━━━ ${title} ${"━".repeat(Math.max(0, 60 - title.length))}`);
  line(body === "" ? "(none)" : body);
};

try {
  // the chat is printed as it happens; the sections show where things stand at the end
  const result = await runDemo(line);
  section("The channel “Physics — Students”", result.channel);
  section("Brought in by the folder sync (library folder, status)", result.synced);
  section("The HLS export's files (in the export folder)", result.exported);
  section("The upload queue", result.queue);
  section("Audit trail (events by action)", result.audit);
  line();
  line("The demo ran the real bot against a Telegram emulator on 127.0.0.1; nothing left this machine.");
} catch (err) {
  process.stderr.write(`The demo failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
}
