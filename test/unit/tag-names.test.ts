import { describe, expect, test } from "vitest";
import { cleanTagName, hashtagFor, splitTagList, MAX_TAG_LENGTH } from "../../src/services/catalog/tag-names.js";

describe("cleanTagName", () => {
  test("keeps the display form and matches spellings case-insensitively", () => {
    expect(cleanTagName("  Exam   Prep ")).toEqual({ ok: true, name: "Exam Prep", key: "exam prep" });
    expect(cleanTagName("#Revision")).toEqual({ ok: true, name: "Revision", key: "revision" });
    expect(cleanTagName("Ü\u0308bung")).toMatchObject({ ok: true }); // combining marks are composed
    expect(cleanTagName("हिंदी")).toEqual({ ok: true, name: "हिंदी", key: "हिंदी" });
  });
  test("refuses empty, over-long and letterless tags with the reason", () => {
    expect(cleanTagName("   ")).toEqual({ ok: false, problem: { kind: "empty" } });
    expect(cleanTagName("#")).toEqual({ ok: false, problem: { kind: "empty" } });
    expect(cleanTagName("x".repeat(MAX_TAG_LENGTH + 1))).toMatchObject({ ok: false, problem: { kind: "too-long" } });
    expect(cleanTagName("🎬🎬")).toEqual({ ok: false, problem: { kind: "no-letters", name: "🎬🎬" } });
    expect(cleanTagName("<&>")).toMatchObject({ ok: false, problem: { kind: "no-letters" } });
  });
});

test("splitTagList takes commas, semicolons, new lines, or #hashtags separated by spaces", () => {
  expect(splitTagList("revision, exam prep ,, important")).toEqual(["revision", "exam prep", "important"]);
  expect(splitTagList("one;two\nthree")).toEqual(["one", "two", "three"]);
  expect(splitTagList("#one #two words")).toEqual(["#one", "#two words"]);
  expect(splitTagList("exam prep")).toEqual(["exam prep"]);
  expect(splitTagList(" , ")).toEqual([]);
});

describe("hashtagFor", () => {
  test.each([
    ["sci-fi", "#sci_fi"],
    ["Class 12", "#Class_12"],
    ["exam--prep!!", "#exam_prep"],
    ["__x__", "#x"],
    ["2024", "#tag_2024"],
    ["12-2024", "#tag_12_2024"],
    ["हिंदी माध्यम", "#हिंदी_माध्यम"],
    ["C++ & <DSA>", "#C_DSA"],
    ["🎬", ""],
  ])("%s → %s", (tag, hashtag) => {
    expect(hashtagFor(tag)).toBe(hashtag);
  });
});
