import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { startPublishHarness, type PublishHarness } from "../test/support/publish-harness.js";
import { makeClip } from "../test/support/media.js";
import { makeTempDir } from "../test/support/temp-dir.js";
import { playSession, SYNC_FOLDER } from "./steps.js";

/** What the demo showed, for its test. */
export interface DemoResult {
  /** The steps' titles, in order. */
  readonly steps: readonly string[];
  /** The admin's chat as it happened: sends, taps, the bot's messages, every edit, toasts. */
  readonly chat: string;
  /** The channel's posts, as its members see them now. */
  readonly channel: string;
  /** The videos the folder sync brought into the library: path in the library folder, status. */
  readonly synced: string;
  /** The files of the HLS export, relative to the export folder. */
  readonly exported: string;
  readonly queue: string;
  readonly audit: string;
}

/** Sample recordings, made with ffmpeg's test sources: a .ts to convert, MP4s, and a .ts/.mp4 pair to clean up. */
function sampleLibrary(root: string): void {
  makeClip(join(root, "Physics", "JEE-Adv_Phy-ElectroStatics_L05.mp4"), { seconds: 2, tag: "l05" });
  makeClip(join(root, "Staff", "Staff_Meeting_November.mp4"), { seconds: 1, tag: "staff" });
  const ts = makeClip(join(root, "Chemistry", "Organic_Chem_L01.ts"), { seconds: 2, tag: "chem" });
  execFileSync("ffmpeg", ["-v", "error", "-y", "-i", ts, "-c", "copy", "-movflags", "+faststart", join(root, "Chemistry", "Organic_Chem_L01.mp4")]);
}

/**
 * The scripted admin session: vidlib's real bot against the Telegram emulator, with a sample library.
 * `print` gets every line of the demo's running commentary and of the chat as it happens.
 */
export async function runDemo(print: (line: string) => void): Promise<DemoResult> {
  const library = makeTempDir("vidlib-demo-library-");
  const dropbox = makeTempDir("vidlib-demo-dropbox-");
  try {
    print("· Generating a sample library with ffmpeg…");
    sampleLibrary(library.dir);
    print("· Starting the Telegram emulator and vidlib's real bot (local Bot API mode); it scans the library at start-up…");
    const h = await startPublishHarness({ LIBRARY_ROOTS: library.dir });
    try {
      return await recorded(h, library.dir, dropbox.dir, print);
    } finally {
      await h.stop();
    }
  } finally {
    dropbox.cleanup();
    library.cleanup();
  }
}

async function recorded(h: PublishHarness, root: string, dropbox: string, print: (line: string) => void): Promise<DemoResult> {
  await h.waitFor(async () => (await h.app.services.library.status((t) => t)).includes("Videos: 4"), "the start-up scan", 60_000);
  print("· Setting up: channel “Physics — Students” (students) and “Staff Room” (staff), categories Physics and Staff.");
  const students = await h.channel(-1001000000101, "Physics — Students", "students");
  const staff = await h.channel(-1001000000102, "Staff Room", "staff");
  await h.category("Physics", "students", students.rowId);
  await h.category("Staff", "staff", staff.rowId);
  print("");
  print("The admin's chat with the bot, as it happens (» is what Asha does, ✎ an edit of an earlier message):");

  const log = h.admin.recordChat((block) => print(block));
  const steps: string[] = [];
  const step = (title: string): void => {
    steps.push(title);
    log.note(title);
  };
  let chat: string;
  try {
    await playSession({ h, log, students, root, dropbox, step });
  } finally {
    chat = log.stop();
  }

  const queueRows = await h.app.dataSource.query<{ file_name: string; state: string; channel: string | null }[]>(
    `SELECT v.file_name, j.state, (SELECT c.title FROM channel c WHERE c.id = j.channel_id) AS channel FROM upload_job j JOIN video v ON v.id = j.video_id ORDER BY j.id`);
  const auditRows = await h.app.dataSource.query<{ action: string; n: number }[]>(`SELECT action, count(*) AS n FROM audit_event GROUP BY action ORDER BY action`);
  const syncedRows = await h.app.dataSource.query<{ relative_path: string; status: string }[]>(
    `SELECT relative_path, status FROM video WHERE relative_path LIKE ? ORDER BY relative_path`, [`${SYNC_FOLDER}${sep}%`]);
  return {
    steps,
    chat,
    channel: students.emulated.transcript(),
    synced: syncedRows.map((r) => `${r.relative_path} (${r.status})`).join("\n"),
    exported: filesUnder(h.config.folders.exports).join("\n"),
    queue: queueRows.map((r) => `${r.state.padEnd(10)} ${r.file_name} → ${r.channel ?? "(no channel)"}`).join("\n"),
    audit: auditRows.map((r) => `${String(r.n).padStart(4)}  ${r.action}`).join("\n"),
  };
}

/** Every file below `dir`, relative to it, sorted (segments and all). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}
