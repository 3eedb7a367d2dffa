import { join, sep } from "node:path";
import type { PublishHarness } from "../test/support/publish-harness.js";
import { makeClip } from "../test/support/media.js";
import type { ChatLog, EmulatedChannel, ViewMessage } from "../test/support/telegram/index.js";

const STEP_TIMEOUT_MS = 60_000;

export interface DemoScene {
  readonly h: PublishHarness;
  readonly log: ChatLog;
  readonly students: { readonly emulated: EmulatedChannel; readonly rowId: number };
  /** The library folder the sample recordings are in. */
  readonly root: string;
  /** A folder outside the library, standing in for a synced Dropbox folder. */
  readonly dropbox: string;
  /** Prints a step's title and notes it in the chat log. */
  readonly step: (title: string) => void;
}

/** The name of the sync source folder, and of the library folder it is mirrored into. */
export const SYNC_FOLDER = "Lecture uploads";
/** The synced recording that gets an HLS export (720p, so the ladder has two rungs). */
export const EXPORTED = "Thermodynamics_L02.mp4";

const textHas = (part: string) => (m: ViewMessage): boolean => (m.text ?? m.caption ?? "").includes(part);
const hasButton = (label: string) => (m: ViewMessage): boolean => m.buttons.flat().includes(label);

/**
 * The scripted admin session. Every wait is for a state the admin can see (a message or an edit), so
 * the session keeps pace with the bot however busy the machine is.
 */
export async function playSession(scene: DemoScene): Promise<void> {
  const { h, step, root, students } = scene;
  const { admin } = h;
  const until = (predicate: (m: ViewMessage) => boolean): Promise<ViewMessage> => admin.waitForBotMessage(predicate, { timeoutMs: STEP_TIMEOUT_MS });

  step("1. /start");
  await admin.send("/start");
  await until(textHas("Welcome to vidlib"));

  step("2. A new recording arrives; /scan indexes it with ffprobe");
  makeClip(join(root, "Physics", "JEE-Adv_Phy-ElectroStatics_L04.ts"), { seconds: 3, tag: "l04" });
  await admin.send("/scan");
  await until(textHas("✅ Scan finished"));

  step("3. Search in plain words");
  await admin.send("jee advanced physics electrostatics lecture 4");
  await until(textHas("match"));
  await admin.press(/^1\. JEE-Adv_Phy-ElectroStatics_L04\.ts/u);
  await until(textHas("🎬 JEE-Adv_Phy-ElectroStatics_L04.ts"));

  step("4. Tag it");
  await admin.press("🏷 Tags");
  await until(textHas("send them separated by commas"));
  await admin.send("electrostatics, JEE advanced");
  await until(textHas("Added:"));
  await admin.press("✔️ Done");
  await until(hasButton("📂 Category"));

  step("5. Categorise it");
  await admin.press("📂 Category");
  await until(hasButton("Physics (students)"));
  await admin.press("Physics (students)");
  const card = await until((m) => textHas("Category: Physics")(m) && hasButton("🔄 Convert to MP4")(m));

  step("6. Convert the .ts recording to a streaming-ready MP4");
  await admin.press("🔄 Convert to MP4");
  await until(textHas("✅ Converted"));
  // the card the admin is looking at follows: it now links the MP4
  await until((m) => m.id === card.id && textHas("🎞 MP4")(m));

  step("7. Queue the MP4 for its category's channel");
  await admin.send("electrostatics lecture 4");
  await until((m) => textHas("match")(m) && m.buttons.flat().some((b) => b.includes("L04.mp4")));
  await admin.press(/^\d+\. JEE-Adv_Phy-ElectroStatics_L04\.mp4/u);
  await until(textHas("🎬 JEE-Adv_Phy-ElectroStatics_L04.mp4"));
  await admin.press(/^📤 Send to Physics — Students/u);

  step("8. The upload worker publishes it to the channel");
  await students.emulated.waitForPost((p) => p.media?.kind === "video", { timeoutMs: STEP_TIMEOUT_MS });
  await until(textHas("📤 Posted in Physics — Students"));
  // the admins' summary of what was posted comes once the queue has been quiet for a moment
  await until(textHas("📤 Posted 1 video"));
  await admin.send("/queue");
  await until(textHas("Upload queue"));

  step("9. Clean up a .ts/.mp4 duplicate pair");
  await admin.send("/dupes");
  await until(textHas("duplicate pair"));
  await admin.press("👀 Review one by one");
  const pair = await until((m) => m.media?.kind === "photo");
  await admin.press("🗑 Delete A");
  await until((m) => m.id === pair.id && (m.caption ?? "").includes("moved to the trash"));
  await until((m) => m.media?.kind === "photo" && m.id !== pair.id); // the next pair to review

  await folderSync(scene, until);
  await hlsExport(scene, until);
}

type Until = (predicate: (m: ViewMessage) => boolean) => Promise<ViewMessage>;

/** Step 10: a source folder outside the library is registered, synced from the bot, and its files indexed. */
async function folderSync({ h, step, dropbox }: DemoScene, until: Until): Promise<void> {
  const { admin } = h;
  step(`10. Sync a folder: two new recordings in “${SYNC_FOLDER}” (a synced Dropbox folder) are copied into the library`);
  const source = join(dropbox, SYNC_FOLDER);
  makeClip(join(source, "Thermodynamics_L01.mp4"), { seconds: 2, tag: "thermo-1" });
  makeClip(join(source, EXPORTED), { seconds: 2, size: "1280x720", tag: "thermo-2" });
  await admin.send("/sync");
  await until(textHas("Sync folders"));
  await admin.press("➕ Add a sync folder");
  await until(textHas("Send the full path"));
  await admin.send(source);
  await until(textHas("✅ Registered"));
  await until((m) => textHas("Sync folders")(m) && hasButton("🔄 Sync 1")(m));
  await admin.press("🔄 Sync 1");
  await until(textHas("Sync finished"));
  // a sync that copied files starts a scan by itself; search once it has indexed them
  await h.waitFor(async () => (await syncedIndexed(h)) === 2, "the scan after the sync", STEP_TIMEOUT_MS);
  await admin.send("thermodynamics");
  await until((m) => textHas("2 videos match")(m));
}

async function syncedIndexed(h: PublishHarness): Promise<number> {
  const [row] = await h.app.dataSource.query<{ n: number }[]>(
    `SELECT count(*) AS n FROM video WHERE relative_path LIKE ? AND status = 'indexed'`, [`${SYNC_FOLDER}${sep}%`]);
  return row?.n ?? 0;
}

/** Step 11: the 720p recording is exported as HLS from its card and the admin follows the job in /exports. */
async function hlsExport({ h, step }: DemoScene, until: Until): Promise<void> {
  const { admin } = h;
  step("11. Export a recording as HLS for the web player, and follow the job in /exports");
  await admin.press(new RegExp(`^\\d+\\. ${EXPORTED.replace(".", "\\.")}`, "u"));
  await until(hasButton("📡 HLS export"));
  await admin.press("📡 HLS export");
  await admin.send("/exports");
  await until(textHas("HLS exports"));
  await until(textHas("HLS export ready"));
  await admin.press("🔄 Refresh");
  await until((m) => textHas("HLS exports")(m) && textHas(`✅ ${EXPORTED}`)(m));
}
