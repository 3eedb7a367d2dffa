import { describe, expect, test } from "vitest";
import { decodeCallback, encodeCallback, MAX_CALLBACK_BYTES } from "../../src/bot/callback-data/codec.js";

describe("callback data", () => {
  test("round-trips feature, verb and arguments", () => {
    const data = encodeCallback("video", "tags", 123, "p2");
    expect(data).toBe("video:tags:123:p2");
    expect(decodeCallback(data)).toEqual({ feature: "video", verb: "tags", args: ["123", "p2"] });
  });

  test("refuses to build data Telegram would reject", () => {
    expect(() => encodeCallback("video", "x".repeat(MAX_CALLBACK_BYTES))).toThrow(/64 bytes/);
    expect(() => encodeCallback("video", "open", "Physics L4.ts")).toThrow(/ASCII/);
    expect(() => encodeCallback("video", "open", "é")).toThrow(/ASCII/);
    expect(encodeCallback("f", "v", "a".repeat(60))).toHaveLength(64);
  });

  test("forged or foreign data decodes to null", () => {
    for (const data of [undefined, "", "nocolon", "a::b", "a:b:<script>", "x".repeat(65), "v:é"]) {
      expect(decodeCallback(data)).toBeNull();
    }
  });
});
