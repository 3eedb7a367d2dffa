import { runDemo } from "./session.js";

// `npm run demo`: vidlib working end to end with no Telegram account, on this machine only.
const line = (text = ""): void => void process.stdout.write(`${text}\n`);
const section = (title: string, body: string): void => {
  line();
  line(`━━━ ${title} ${"━".repeat(Math.max(0, 60 - title.length))}`);
  line(body);
};

try {
  const result = await runDemo((text) => line(`» ${text}`));
  section("The admin's chat with the bot", result.chat);
  section("The channel “Physics — Students”", result.channel);
  section("The upload queue", result.queue);
  section("Audit trail (events by action)", result.audit);
  line();
  line("The demo ran the real bot against a Telegram emulator on 127.0.0.1; nothing left this machine.");
} catch (err) {
  process.stderr.write(`The demo failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
}
