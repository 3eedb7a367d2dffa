import { afterAll, beforeAll, expect, test } from "vitest";
import { inlineAnswer, videoOfResult } from "../../src/bot/views/inline-results.js";
import { eachDatabase, type TestDatabase } from "../support/postgres.js";
import { searchLibrary, type SearchLibrary } from "../support/search-library.js";
import { systemActor } from "../../src/services/people/actor.js";
import { scanMove, scanStatus } from "../support/videos.js";

const LIBRARY: readonly [path: string, options?: { tags?: string[]; category?: string; status?: string }][] = [
  ["JEE/JEE-Adv_Phy-ElectroStatics_L04.mp4", { tags: ["revision"] }],
  ["JEE/JEE-Adv_Phy-ElectroStatics_L14.ts"],
  ["JEE/JEE-Adv_Phy-ElectroStatics_L40.mp4"],
  ["JEE/JEE-Main_Phy-Electrostatics_L04.ts"],
  ["JEE/JEE-Adv_Chem-Organic_L4.mp4", { tags: ["exam-prep"] }],
  ["NEET/NEET_Bio_Genetics_L04.mp4", { category: "Biology (Students)" }],
  ["Electro Statics Notes.mp4"],
  ["JEE/JEE-Adv_Phy-Magnetism_L04.ts", { tags: ["revision", "important"] }],
  ["Übung/Physik Übung 3 – Élan.mkv"],
  ["日本語/東京 講義 01.mp4"],
  ["Ελληνικά/ΣΟΦΊΑΣ Διάλεξη 2.mp4"],
  ["Fun/🎬 Movie Night 🍿 <&> Special.mp4", { tags: ["fun & games"] }],
  ["CS/CS_Rev_DataStructures_L2.mp4"],
  ["Misc/Tom & Jerry's <Best> Of.mp4"],
  ["Modern Physics Intro.mp4"],
  ["Module 3 Review.mp4"],
  ["Optics_L1.mp4"],
  ["Optics_L10.mp4"],
  ["Optics_L2.mp4"],
  ["Lecture_1.mp4", { tags: ["optics"] }],
  ["Optics/Part_1.mp4"],
  ["Staff Only/Induction.mp4", { category: "Physics (Staff)" }],
  ["Gone_L1.mp4", { status: "missing" }],
  ["Tagged Clip.mp4", { tags: ["statics", "electro"] }],
  ["Algebra Extra/Worksheet_A.mp4"],
  ["Revision/Worksheet_B.mp4", { tags: ["algebra"] }],
  ...Array.from({ length: 55 }, (_, i): [string] => [`Maths/Algebra_L${String(i + 1).padStart(2, "0")}.mp4`]),
];

/** Query, total, the first page of 10 (file names stand for ids: they are unique). null: the query has no words. */
const QUERIES: readonly (readonly [query: string, total: number | null, firstPage: readonly string[]])[] = [
  ["JEE-Adv_Phy-ElectroStatics_L04", 1, ["JEE-Adv_Phy-ElectroStatics_L04.mp4"]],
  ["electrostatics revision", 1, ["JEE-Adv_Phy-ElectroStatics_L04.mp4"]],
  ["jee advanced physics electrostatics lecture 4", 1, ["JEE-Adv_Phy-ElectroStatics_L04.mp4"]],
  ["JEE adv phy electrostatics lec 04", 1, ["JEE-Adv_Phy-ElectroStatics_L04.mp4"]],
  // Numbers compare by value and exactly: L04 = L4 = lecture 4, never L40.
  ["lecture 4", 6, ["Algebra_L04.mp4", "JEE-Adv_Chem-Organic_L4.mp4", "JEE-Adv_Phy-ElectroStatics_L04.mp4", "JEE-Adv_Phy-Magnetism_L04.ts", "JEE-Main_Phy-Electrostatics_L04.ts", "NEET_Bio_Genetics_L04.mp4"]],
  ["electrostatics lecture 14", 1, ["JEE-Adv_Phy-ElectroStatics_L14.ts"]],
  // Words written together match words written apart, both ways.
  ["electro statics notes", 1, ["Electro Statics Notes.mp4"]],
  ["electrostatics notes", 1, ["Electro Statics Notes.mp4"]],
  ["electro statics main", 1, ["JEE-Main_Phy-Electrostatics_L04.ts"]],
  ["electrostat jee adv", 3, ["JEE-Adv_Phy-ElectroStatics_L04.mp4", "JEE-Adv_Phy-ElectroStatics_L14.ts", "JEE-Adv_Phy-ElectroStatics_L40.mp4"]],
  // Prefixes, in natural order within a tier; a tag match (Tagged Clip) after the name matches.
  ["electro", 6, ["Electro Statics Notes.mp4", "JEE-Adv_Phy-ElectroStatics_L04.mp4", "JEE-Adv_Phy-ElectroStatics_L14.ts", "JEE-Adv_Phy-ElectroStatics_L40.mp4", "JEE-Main_Phy-Electrostatics_L04.ts", "Tagged Clip.mp4"]],
  ["stat", 5, ["Electro Statics Notes.mp4", "JEE-Adv_Phy-ElectroStatics_L04.mp4", "JEE-Adv_Phy-ElectroStatics_L14.ts", "JEE-Adv_Phy-ElectroStatics_L40.mp4", "Tagged Clip.mp4"]],
  // A one-letter prefix stands for more than 16 words: a real prefix query; folder matches come last.
  ["e", 9, ["Electro Statics Notes.mp4", "JEE-Adv_Phy-ElectroStatics_L04.mp4", "JEE-Adv_Phy-ElectroStatics_L14.ts", "JEE-Adv_Phy-ElectroStatics_L40.mp4", "JEE-Main_Phy-Electrostatics_L04.ts", "Physik Übung 3 – Élan.mkv", "JEE-Adv_Chem-Organic_L4.mp4", "Tagged Clip.mp4", "Worksheet_A.mp4"]],
  ["4", 6, ["Algebra_L04.mp4", "JEE-Adv_Chem-Organic_L4.mp4", "JEE-Adv_Phy-ElectroStatics_L04.mp4", "JEE-Adv_Phy-Magnetism_L04.ts", "JEE-Main_Phy-Electrostatics_L04.ts", "NEET_Bio_Genetics_L04.mp4"]],
  // Accents, case, CJK, Greek (a final sigma is σ), emoji and <&> are separators or folded alike.
  ["ubung", 1, ["Physik Übung 3 – Élan.mkv"]],
  ["ÜBUNG élan", 1, ["Physik Übung 3 – Élan.mkv"]],
  ["physik 3", 1, ["Physik Übung 3 – Élan.mkv"]],
  ["東京", 1, ["東京 講義 01.mp4"]],
  ["講義 1", 1, ["東京 講義 01.mp4"]],
  ["σοφίας", 1, ["ΣΟΦΊΑΣ Διάλεξη 2.mp4"]],
  ["ΣΟΦΙΑ διαλεξη", 1, ["ΣΟΦΊΑΣ Διάλεξη 2.mp4"]],
  ["σοφιασ", 1, ["ΣΟΦΊΑΣ Διάλεξη 2.mp4"]],
  ["movie night", 1, ["🎬 Movie Night 🍿 <&> Special.mp4"]],
  ["🎬 special <&>", 1, ["🎬 Movie Night 🍿 <&> Special.mp4"]],
  ["<&>", null, []],
  ["fun games", 1, ["🎬 Movie Night 🍿 <&> Special.mp4"]],
  ["tom jerry", 1, ["Tom & Jerry's <Best> Of.mp4"]],
  ["jerry s best", 1, ["Tom & Jerry's <Best> Of.mp4"]],
  // Abbreviations: cs is the phrase "computer science"; mod is module, and modern as written.
  ["cs", 1, ["CS_Rev_DataStructures_L2.mp4"]],
  ["computer science revision", 1, ["CS_Rev_DataStructures_L2.mp4"]],
  ["datastructures", 1, ["CS_Rev_DataStructures_L2.mp4"]],
  ["data struct", 1, ["CS_Rev_DataStructures_L2.mp4"]],
  ["mod", 2, ["Modern Physics Intro.mp4", "Module 3 Review.mp4"]],
  ["modern", 1, ["Modern Physics Intro.mp4"]],
  // Tiers: name, then tags, then folder and category.
  ["optics", 5, ["Optics_L1.mp4", "Optics_L2.mp4", "Optics_L10.mp4", "Lecture_1.mp4", "Part_1.mp4"]],
  ["optics l1", 2, ["Optics_L1.mp4", "Lecture_1.mp4"]],
  ["staff", 1, ["Induction.mp4"]],
  ["physics staff induction", 1, ["Induction.mp4"]],
  ["biology", 1, ["NEET_Bio_Genetics_L04.mp4"]],
  ["bio genetics 4", 1, ["NEET_Bio_Genetics_L04.mp4"]],
  // Missing videos are not found; tags run together in tag order (statics was tagged first); syntax is text.
  ["gone", 0, []],
  ["staticselectro", 1, ["Tagged Clip.mp4"]],
  ["l 4 chem", 1, ["JEE-Adv_Chem-Organic_L4.mp4"]],
  ["\"physics\"* NEAR", 0, []],
  // 55 names, a tag, a folder.
  ["algebra", 57, ["Algebra_L01.mp4", "Algebra_L02.mp4", "Algebra_L03.mp4", "Algebra_L04.mp4", "Algebra_L05.mp4", "Algebra_L06.mp4", "Algebra_L07.mp4", "Algebra_L08.mp4", "Algebra_L09.mp4", "Algebra_L10.mp4"]],
  ["algebra 7", 1, ["Algebra_L07.mp4"]],
  ["worksheet", 2, ["Worksheet_A.mp4", "Worksheet_B.mp4"]],
];

const ALGEBRA = [...Array.from({ length: 55 }, (_, i) => `Algebra_L${String(i + 1).padStart(2, "0")}.mp4`), "Worksheet_B.mp4", "Worksheet_A.mp4"];

/**
 * The same library, indexed through the real services, gives the same answers on SQLite (FTS5) and on
 * PostgreSQL (tsvector): every list is written out, and both databases must give it.
 */
eachDatabase("search on a library of tricky names", (open) => {
  let db: TestDatabase;
  let lib: SearchLibrary;
  beforeAll(async () => {
    db = await open();
    lib = searchLibrary(db.dataSource);
    for (const [path, options] of LIBRARY) await lib.add(path, options);
  });
  afterAll(async () => { await db.close(); });

  async function page(query: string, limit: number, offset: number): Promise<{ total: number | null; names: string[] }> {
    const outcome = await lib.search.search(query, { limit, offset });
    return outcome.ok ? { total: outcome.total, names: outcome.ids.map((id) => lib.names.get(id) ?? String(id)) } : { total: null, names: [] };
  }

  test.each(QUERIES)("%s", async (query, total, firstPage) => {
    expect(await page(query, 10, 0)).toEqual({ total, names: firstPage });
  });

  test("chat pages walk through every tier, whatever their size", async () => {
    for (const [query, all] of [["algebra", ALGEBRA], ["optics", ["Optics_L1.mp4", "Optics_L2.mp4", "Optics_L10.mp4", "Lecture_1.mp4", "Part_1.mp4"]],
      ["e", ["Electro Statics Notes.mp4", "JEE-Adv_Phy-ElectroStatics_L04.mp4", "JEE-Adv_Phy-ElectroStatics_L14.ts", "JEE-Adv_Phy-ElectroStatics_L40.mp4",
        "JEE-Main_Phy-Electrostatics_L04.ts", "Physik Übung 3 – Élan.mkv", "JEE-Adv_Chem-Organic_L4.mp4", "Tagged Clip.mp4", "Worksheet_A.mp4"]]] as const) {
      for (const size of [1, 4, 10]) {
        const seen: string[] = [];
        for (let offset = 0; offset < all.length + size; offset += size) {
          const got = await page(query, size, offset);
          expect(got.total, `${query} from ${offset}`).toBe(all.length);
          seen.push(...got.names);
        }
        expect(seen, `${query} in pages of ${size}`).toEqual(all);
      }
    }
  });

  test("inline answers page by 50 with the offset of the next page", async () => {
    const first = await inlineAnswer(lib.search, lib.catalog, "algebra", 0, "vidlib_bot");
    expect({ total: first.total, next: first.nextOffset }).toEqual({ total: 57, next: "50" });
    expect(first.results.map((r) => lib.names.get(videoOfResult(r.id) ?? 0))).toEqual(ALGEBRA.slice(0, 50));
    const second = await inlineAnswer(lib.search, lib.catalog, "algebra", 50, "vidlib_bot");
    expect({ total: second.total, next: second.nextOffset }).toEqual({ total: 57, next: "" });
    expect(second.results.map((r) => lib.names.get(videoOfResult(r.id) ?? 0))).toEqual(ALGEBRA.slice(50));
    expect(await inlineAnswer(lib.search, lib.catalog, "<&>", 0, "vidlib_bot")).toEqual({ results: [], nextOffset: "", total: null });
  });

  test("a query whose word can match nothing finds nothing", async () => {
    // "cs" reads "computer science" (and this library has it); "bot" reads "botany", which no video holds.
    expect(await page("bot", 10, 0)).toEqual({ total: 0, names: [] });
    expect(await page("zzz electro", 10, 0)).toEqual({ total: 0, names: [] });
  });

  // Last: it changes the library the tests above read.
  test("changes reach the index: renamed tags and categories, moves, missing files, newcomers in natural order", async () => {
    const actor = systemActor("test");
    const clip = lib.idOf("Tagged Clip.mp4");
    const [statics] = (await lib.catalog.videos([clip]))[0]?.tags.filter((t) => t.name === "statics") ?? [];
    await lib.catalog.renameTag(statics!.id, "dynamics", actor);
    expect(await page("staticselectro", 10, 0)).toEqual({ total: 0, names: [] });
    expect(await page("dynamics electro", 10, 0)).toEqual({ total: 1, names: ["Tagged Clip.mp4"] });
    const [biology] = (await lib.categories.list()).filter((c) => c.name === "Biology (Students)");
    await lib.categories.rename(biology!.id, "Life Sciences", actor);
    expect(await page("life sciences", 10, 0)).toEqual({ total: 1, names: ["NEET_Bio_Genetics_L04.mp4"] });
    await scanMove(db.dataSource, lib.idOf("Optics_L10.mp4"), "Optics_L3.mp4");
    lib.names.set(lib.idOf("Optics_L10.mp4"), "Optics_L3.mp4");
    await scanStatus(db.dataSource, lib.idOf("Optics_L1.mp4"), "missing");
    await lib.add("Optics_L02b.mp4");
    await lib.add("Optics/Part_0.mp4", { tags: ["optics"] });
    expect(await page("optics", 10, 0)).toEqual({ total: 6, names: ["Optics_L2.mp4", "Optics_L02b.mp4", "Optics_L3.mp4", "Lecture_1.mp4", "Part_0.mp4", "Part_1.mp4"] });
    // A phrase never runs from one field into the next: the name ends in "electro", the folder is "statics".
    await lib.add("Statics/Intro Electro.mp4");
    expect((await page("electro statics", 10, 0)).names).toContain("Intro Electro.mp4");
    expect(await page("electrostatics intro", 10, 0)).toEqual({ total: 0, names: [] });
  });
});
