import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { startPublishHarness, type PublishHarness } from "../test/support/publish-harness.js";
import { makeClip } from "../test/support/media.js";
import { makeTempDir } from "../test/support/temp-dir.js";
import type { ViewMessage } from "../test/support/telegram/index.js";

/** What the demo showed, for its test: the admin's chat, the channel, the queue and the audit summary. */
export interface DemoResult {
  readonly chat: string;
  readonly channel: string;
  readonly queue: string;
  readonly audit: string;
}

const STEP_TIMEOUT_MS = 30_000;

/** Sample recordings, made with ffmpeg's test sources: a .ts to convert, MP4s, and a .ts/.mp4 pair to clean up. */
function sampleLibrary(root: string): void {
  makeClip(join(root, "Physics", "JEE-Adv_Phy-ElectroStatics_L05.mp4"), { seconds: 2, tag: "l05" });
  makeClip(join(root, "Staff", "Staff_Meeting_November.mp4"), { seconds: 1, tag: "staff" });
  const ts = makeClip(join(root, "Chemistry", "Organic_Chem_L01.ts"), { seconds: 2, tag: "chem" });
  execFileSync("ffmpeg", ["-v", "error", "-y", "-i", ts, "-c", "copy", "-movflags", "+faststart", join(root, "Chemistry", "Organic_Chem_L01.mp4")]);
}

/**
 * The scripted admin session: vidlib's real bot against the Telegram emulator, with a sample library.
 * `say` prints each step as it happens.
 */
export async function runDemo(say: (line: string) => void): Promise<DemoResult> {
  const library = makeTempDir("vidlib-demo-library-");
  try {
    say("Generating a sample library with ffmpeg…");
    sampleLibrary(library.dir);
    say("Starting the Telegram emulator and vidlib's real bot (local Bot API mode); it scans the library at start-up…");
    const h = await startPublishHarness({ LIBRARY_ROOTS: library.dir });
    try {
      return await session(h, library.dir, say);
    } finally {
      await h.stop();
    }
  } finally {
    library.cleanup();
  }
}

async function session(h: PublishHarness, root: string, say: (line: string) => void): Promise<DemoResult> {
  const { admin } = h;
  const until = (predicate: (m: ViewMessage) => boolean): Promise<ViewMessage> => admin.waitForBotMessage(predicate, { timeoutMs: STEP_TIMEOUT_MS });
  const textHas = (part: string) => (m: ViewMessage): boolean => (m.text ?? m.caption ?? "").includes(part);

  await h.waitFor(async () => (await h.app.services.library.status((t) => t)).includes("Videos: 4"), "the start-up scan", STEP_TIMEOUT_MS);
  say("Setting up: channel “Physics — Students” (students) and “Staff Room” (staff), categories Physics and Staff.");
  const students = await h.channel(-1001000000101, "Physics — Students", "students");
  const staff = await h.channel(-1001000000102, "Staff Room", "staff");
  await h.category("Physics", "students", students.rowId);
  await h.category("Staff", "staff", staff.rowId);

  say("1. /start");
  await admin.send("/start");
  await until(textHas("Welcome to vidlib"));

  say("2. A new recording arrives; /scan indexes it with ffprobe");
  makeClip(join(root, "Physics", "JEE-Adv_Phy-ElectroStatics_L04.ts"), { seconds: 3, tag: "l04" });
  await admin.send("/scan");
  await until(textHas("✅ Scan finished"));

  say("3. Search in plain words");
  await admin.send("jee advanced physics electrostatics lecture 4");
  await until(textHas("match"));
  await admin.press(/^1\. JEE-Adv_Phy-ElectroStatics_L04\.ts/u);
  await until(textHas("🎬 JEE-Adv_Phy-ElectroStatics_L04.ts"));

  say("4. Tag it");
  await admin.press("🏷 Tags");
  await until(textHas("send them separated by commas"));
  await admin.send("electrostatics, JEE advanced");
  await until(textHas("Added:"));
  await admin.press("✔️ Done");
  await until((m) => m.buttons.flat().includes("📂 Category"));

  say("5. Categorise it");
  await admin.press("📂 Category");
  await until((m) => m.buttons.flat().includes("Physics (students)"));
  await admin.press("Physics (students)");
  await until((m) => (m.text ?? "").includes("Category: Physics") && m.buttons.flat().includes("🔄 Convert to MP4"));

  say("6. Convert the .ts recording to a streaming-ready MP4");
  await admin.press("🔄 Convert to MP4");
  await until(textHas("✅ Converted"));

  say("7. Queue the MP4 for its category's channel");
  await admin.send("electrostatics lecture 4");
  await until((m) => textHas("match")(m) && m.buttons.flat().some((b) => b.includes("L04.mp4")));
  await admin.press(/^\d+\. JEE-Adv_Phy-ElectroStatics_L04\.mp4/u);
  await until(textHas("🎬 JEE-Adv_Phy-ElectroStatics_L04.mp4"));
  await admin.press(/^📤 Send to Physics — Students/u);

  say("8. The upload worker publishes it to the channel");
  await students.emulated.waitForPost((p) => p.media?.kind === "video", { timeoutMs: STEP_TIMEOUT_MS });
  await until(textHas("Posted"));
  await admin.send("/queue");
  await until(textHas("Upload queue"));

  say("9. Clean up a .ts/.mp4 duplicate pair");
  await admin.send("/dupes");
  await until(textHas("duplicate pair"));
  await admin.press("👀 Review one by one");
  const pair = await until((m) => m.media?.kind === "photo");
  await admin.press("🗑 Delete A");
  await until((m) => m.id === pair.id && (m.caption ?? "").includes("moved to the trash"));

  const queueRows = await h.app.dataSource.query<{ file_name: string; state: string; channel: string | null }[]>(
    `SELECT v.file_name, j.state, (SELECT c.title FROM channel c WHERE c.id = j.channel_id) AS channel FROM upload_job j JOIN video v ON v.id = j.video_id ORDER BY j.id`);
  const auditRows = await h.app.dataSource.query<{ action: string; n: number }[]>(`SELECT action, count(*) AS n FROM audit_event GROUP BY action ORDER BY action`);
  return {
    chat: admin.transcript(),
    channel: students.emulated.transcript(),
    queue: queueRows.map((r) => `${r.state.padEnd(10)} ${r.file_name} → ${r.channel ?? "(no channel)"}`).join("\n"),
    audit: auditRows.map((r) => `${String(r.n).padStart(4)}  ${r.action}`).join("\n"),
  };
}
