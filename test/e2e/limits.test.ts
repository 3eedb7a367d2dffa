import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ADMIN_ID, startAppHarness, type AppHarness } from "../support/app-harness.js";
import { insertVideo } from "../support/videos.js";
import type { ViewMessage } from "../support/telegram/index.js";

// Every list-like reply must arrive within Telegram's limits (the emulator refuses more, after entity
// parsing), say how much it left out, and lose nothing that was saved.

let h: AppHarness;
const admin = () => h.emu.user({ id: ADMIN_ID, firstName: "Asha" });

/** Telegram's count: UTF-16 units of the text as shown. */
const fits = (m: ViewMessage, limit = 4096): boolean => (m.text ?? m.caption ?? "").length <= limit;
const refused = (): string[] => h.emu.requests.filter((r) => r.status >= 400).map((r) => `${r.method}:${r.status}:${r.description ?? ""}`);
/** 40-character tags, each distinct, with characters that HTML escapes. */
const longTag = (i: number): string => `t${String(i).padStart(3, "0")} & <long> tag name for the limit test`.slice(0, 40);

beforeEach(async () => {
  h = await startAppHarness();
});
afterEach(async () => {
  expect(h.emu.violations).toEqual([]);
  await h.stop();
});

describe("tags at Telegram's limits", () => {
  test("150 tags of 40 characters typed at once: all are saved, the reply fits and says how many more", async () => {
    const id = await insertVideo(h.app.dataSource, "Physics/Electrostatics_L01.mp4", { probed: true });
    const a = admin();
    await a.send("electrostatics");
    await a.waitForBotMessage((m) => m.text?.includes("match") ?? false);
    await a.press("1. Electrostatics_L01.mp4");
    await a.waitForBotMessage((m) => m.text?.startsWith("🎬 Electrostatics_L01.mp4") ?? false);
    await a.press("🏷 Tags");
    await a.waitForBotMessage((m) => (m.edited === true && m.text?.includes("send them separated by commas")) ?? false);
    const tags = Array.from({ length: 150 }, (_, i) => longTag(i));
    await a.send(tags.join(", "));
    const reply = await a.waitForBotMessage((m) => m.text?.startsWith("Added 150 tags:") ?? false);
    expect(fits(reply)).toBe(true);
    expect(reply.text).toMatch(/… and \d+ more\./u);
    expect(reply.text).toMatch(/Tags: .*… and \d+ more/u);
    expect(reply.text).not.toContain("Sorry");
    const saved = ((await h.app.services.catalog.video(id))?.tags ?? []).map((t) => t.name).sort();
    expect(saved).toEqual([...tags].sort());
    expect(reply.buttons.flat().length).toBeLessThanOrEqual(100);
    // Typing them again: all already there, still one reply that fits.
    await a.send(tags.join(", "));
    const again = await a.waitForBotMessage((m) => m.text?.startsWith("Already tagged 150 tags:") ?? false);
    expect(fits(again)).toBe(true);
    // The card itself, opened afresh, fits and counts the rest.
    await a.send("/search electrostatics");
    await a.waitForBotMessage((m) => m.text?.includes("match") ?? false);
    await a.press("1. Electrostatics_L01.mp4");
    const card = await a.waitForBotMessage((m) => (m.text?.startsWith("🎬 Electrostatics_L01.mp4") && m.text.includes("more")) ?? false);
    expect(fits(card)).toBe(true);
    expect(refused()).toEqual([]);
    expect(h.logs.text).not.toContain("over Telegram's limit was shortened");
  });
});
