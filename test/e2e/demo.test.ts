import { expect, test } from "vitest";
import { runDemo } from "../../demo/session.js";

test("npm run demo: the scripted admin session runs end to end and its transcript shows each step as a person sees it", async () => {
  const steps: string[] = [];
  const result = await runDemo((line) => steps.push(line));
  expect(steps.filter((s) => /^\d\./u.test(s))).toHaveLength(9);
  const chat = result.chat;
  // scan, search, tag, categorise, convert, queue, publish, dedupe; messages edited in place show their last state
  const milestones = [
    "Welcome to vidlib, Asha!",
    "✅ Scan finished",
    "found 5 · new 1",
    "🔎 1 video matches “jee advanced physics electrostatics lecture 4”",
    "Tags: electrostatics, JEE advanced",
    "Category: Physics (students)",
    "✅ Converted JEE-Adv_Phy-ElectroStatics_L04.ts → JEE-Adv_Phy-ElectroStatics_L04.mp4",
    "📤 Posted in Physics — Students",
    "📤 Upload queue",
    "🧹 2 duplicate pairs",
    "A was moved to the trash",
  ];
  for (const milestone of milestones) expect(chat, milestone).toContain(milestone);
  expect(chat.indexOf("Asha: /scan")).toBeLessThan(chat.indexOf("Asha: jee advanced physics"));
  expect(chat.indexOf("Asha: /queue")).toBeLessThan(chat.indexOf("Asha: /dupes"));
  expect(result.channel).toContain("[video JEE-Adv_Phy-ElectroStatics_L04.mp4 3s]");
  expect(result.channel).toContain("#Physics #electrostatics #JEE_advanced");
  expect(result.queue).toBe("sent       JEE-Adv_Phy-ElectroStatics_L04.mp4 → Physics — Students");
  for (const action of ["library.scan", "video.tags", "video.category", "conversion.done", "upload.enqueue", "upload.sent", "dupes.trash"]) {
    expect(result.audit).toMatch(new RegExp(`\\d+  ${action.replace(".", "\\.")}$`, "mu"));
  }
}, 120_000);
