import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { ADMIN_ID, startLibraryHarness, type LibraryHarness } from "../support/app-harness.js";
import { makeTempDir } from "../support/temp-dir.js";

let h: LibraryHarness | undefined;
let src: ReturnType<typeof makeTempDir>;
afterEach(async () => {
  await h?.stop();
  h = undefined;
  src.cleanup();
});

const editsOf = (harness: LibraryHarness, messageId: number): string[] =>
  harness.emu.requests.filter((r) => r.method === "editMessageText" && Number(r.params.message_id) === messageId).map((r) => (r.params.text as string));

test("/sync: an admin adds a folder by typing its path; a sync shows one message from Calculating to the preview to the outcome", async () => {
  src = makeTempDir("vidlib-dropbox-");
  const source = join(src.dir, "Lectures <&> 🎬");
  mkdirSync(join(source, "Phy"), { recursive: true });
  writeFileSync(join(source, "Phy", "L01.mp4"), "lecture one");
  writeFileSync(join(source, "L02.ts"), "lecture two");
  h = await startLibraryHarness();
  const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
  await admin.send("/sync");
  await admin.waitForBotMessage((m) => m.text?.startsWith("🔁 Sync folders") ?? false);
  await admin.press("➕ Add a sync folder");
  await admin.waitForBotMessage((m) => m.text?.startsWith("Send the full path") ?? false);
  await admin.send("relative/path");
  await admin.waitForBotMessage((m) => m.text?.includes("both folders must be full paths") ?? false);
  await admin.send(source);
  await admin.waitForBotMessage((m) => m.text?.startsWith("✅ Registered") ?? false);
  const target = join(h.library, "Lectures <&> 🎬");
  const list = await admin.waitForBotMessage((m) => (m.text?.startsWith("🔁 Sync folders") ?? false) && m.buttons.flat().includes("🔄 Sync 1"));
  // The target is shown inside its library folder, not as a server path.
  expect(list.text).toContain(`1. ${source} → Lectures <&> 🎬`);
  expect(list.text).not.toContain(h.library);

  await admin.press("🔄 Sync 1");
  const done = await admin.waitForBotMessage((m) => m.text?.startsWith("✅ Sync finished") ?? false);
  expect(done.text).toContain("Copied 2 files");
  expect(readdirSync(target).sort()).toEqual(["L02.ts", "Phy"]);
  const sent = h.emu.requests.find((r) => r.method === "sendMessage" && (r.params.text as string).includes("Calculating…"));
  expect(sent).toBeDefined();
  expect(editsOf(h, done.id).at(-1)).toContain("Sync finished");

  // A file leaves the source: the next sync stops at a preview on the same message, with the choice.
  rmSync(join(source, "L02.ts"));
  await admin.press("🔄 Sync 1");
  const preview = await admin.waitForBotMessage((m) => m.text?.startsWith("🔍 Sync preview") ?? false);
  expect(preview.text).toContain("1 file is no longer in the source");
  expect(preview.text).toContain("• L02.ts");
  expect(preview.buttons.flat()).toEqual(["🗑 Copy, and move removals to the trash", "📥 Only copy", "✖ Cancel"]);
  expect(existsSync(join(target, "L02.ts"))).toBe(true);

  // An editor cannot answer it.
  await h.app.services.roles.setRole({ kind: "user", id: ADMIN_ID, role: "owner" }, 2002, "editor");
  const editor = h.emu.user({ id: 2002, firstName: "Ed" });
  const forged = await editor.pressData(preview.keyboard?.[0]?.[0]?.callbackData ?? "", undefined);
  expect(forged.text).toContain("needs admin");

  expect((await admin.press("🗑 Copy, and move removals to the trash")).text).toBe("Syncing; removals go to the trash");
  await admin.waitForBotMessage((m) => m.id === preview.id && (m.text?.startsWith("✅ Sync finished") ?? false));
  expect(editsOf(h, preview.id).at(-1)).toContain("moved 1 to the trash");
  expect(existsSync(join(target, "L02.ts"))).toBe(false);
  expect(readdirSync(join(h.config.folders.trash)).some((d) => d.startsWith("sync-"))).toBe(true);
  const answered = await admin.pressData(preview.keyboard?.[1]?.[0]?.callbackData ?? "", preview.id);
  expect(answered.text).toContain("out of date");
});

test("/trash lists a sync's removals by their library path and restores them, refusing while another file is at the old place; an emptied source offers no removal and alerts", async () => {
  src = makeTempDir("vidlib-dropbox-");
  const source = join(src.dir, "Lectures");
  mkdirSync(source, { recursive: true });
  for (const name of ["L01.mp4", "L02.ts", "L03.mp4", "L04.mp4", "L05.mp4"]) writeFileSync(join(source, name), `lecture ${name}`);
  h = await startLibraryHarness();
  const target = join(h.library, "Lectures");
  const added = await h.app.services.sync.register({ kind: "user", id: ADMIN_ID, role: "owner" }, source, target);
  expect(added.ok).toBe(true);
  const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
  await admin.send("/sync");
  await admin.waitForBotMessage((m) => m.buttons.flat().includes("🔄 Sync 1"));
  await admin.press("🔄 Sync 1");
  await admin.waitForBotMessage((m) => m.text?.startsWith("✅ Sync finished") ?? false);

  rmSync(join(source, "L02.ts"));
  await admin.press("🔄 Sync 1");
  const preview = await admin.waitForBotMessage((m) => m.text?.startsWith("🔍 Sync preview") ?? false);
  await admin.press("🗑 Copy, and move removals to the trash");
  await admin.waitForBotMessage((m) => m.id === preview.id && (m.text?.includes("moved 1 to the trash") ?? false));
  expect(existsSync(join(target, "L02.ts"))).toBe(false);

  await admin.send("/trash");
  const list = await admin.waitForBotMessage((m) => m.text?.startsWith("🗑 Recently moved") ?? false);
  expect(list.text).toContain("(1 file)");
  expect(list.text).toContain("1. Lectures/L02.ts");
  expect(list.text).toContain("left its sync source");
  expect(list.text).not.toContain(h.library);
  expect(list.buttons.flat()).toEqual(["↩ Restore 1. L02.ts"]);

  writeFileSync(join(target, "L02.ts"), "someone put another file here");
  const refused = await admin.press("↩ Restore 1. L02.ts");
  expect(refused.text).toBe("Not restored: another file is now at its old place");
  rmSync(join(target, "L02.ts"));
  await admin.press("↩ Restore 1. L02.ts");
  const restored = await admin.waitForBotMessage((m) => m.text?.startsWith("↩ Restored to") ?? false);
  expect(restored.text).toContain("↩ Restored to Lectures/L02.ts.");
  expect(readFileSync(join(target, "L02.ts"), "utf8")).toBe("lecture L02.ts");
  await admin.waitForBotMessage((m) => m.id === list.id && (m.text?.includes("nothing to restore") ?? false));
  const audit = await h.app.dataSource.query<{ action: string }[]>(`SELECT action FROM audit_event WHERE action = 'sync.restore'`);
  expect(audit).toHaveLength(1);

  // The share is unmounted: its mount point is there, and empty. Nothing is offered for removal; the admins hear why.
  rmSync(source, { recursive: true });
  mkdirSync(source);
  await admin.send("/sync");
  await admin.waitForBotMessage((m) => (m.text?.startsWith("🔁 Sync folders") ?? false) && m.buttons.flat().includes("🔄 Sync 1"));
  await admin.press("🔄 Sync 1");
  const guarded = await admin.waitForBotMessage((m) => (m.text?.startsWith("🔍 Sync preview") ?? false) && (m.text?.includes("Nothing was removed") ?? false));
  expect(guarded.text).toContain("the source folder is empty (is the share mounted?)");
  expect(guarded.buttons.flat()).toEqual(["📥 Only copy", "✖ Cancel"]);
  await admin.waitForBotMessage((m) => m.text?.startsWith("⚠️ Sync held back its removals") ?? false);
  expect(readdirSync(target).sort()).toEqual(["L01.mp4", "L02.ts", "L03.mp4", "L04.mp4", "L05.mp4"]);
});
