import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DataSource } from "typeorm";
import { SqliteSearchIndex } from "../../src/infra/stores/search-index.js";
import { DEFAULT_ABBREVIATIONS } from "../../src/services/search/abbreviations.js";
import { SearchService } from "../../src/services/search/search-service.js";
import { makeTestDatabase } from "../support/database.js";

let db: Awaited<ReturnType<typeof makeTestDatabase>>;
let ds: DataSource;
let search: SearchService;
const names = new Map<number, string>();

async function addVideo(relativePath: string, extra: { status?: string; category?: number } = {}): Promise<number> {
  const fileName = relativePath.split("/").pop()!;
  const [row] = await ds.query<{ id: number }[]>(
    `INSERT INTO video (path, root, relative_path, file_name, extension, size_bytes, mtime_ms, status, category_id, created_at, updated_at)
     VALUES (?, '/lib', ?, ?, '.mp4', 1, 1, ?, ?, 1, 1) RETURNING id`, [`/lib/${relativePath}`, relativePath, fileName, extra.status ?? "indexed", extra.category ?? null]);
  names.set(row!.id, fileName);
  return row!.id;
}

async function tag(videoId: number, name: string): Promise<void> {
  await ds.query(`INSERT OR IGNORE INTO tag (name, key, created_at) VALUES (?, ?, 1)`, [name, name.toLowerCase()]);
  await ds.query(`INSERT INTO video_tag (video_id, tag_id) SELECT ?, id FROM tag WHERE key = ?`, [videoId, name.toLowerCase()]);
}

async function find(query: string): Promise<string[]> {
  const outcome = await search.search(query, { limit: 50, offset: 0 });
  if (!outcome.ok) return [`(${outcome.reason})`];
  return outcome.ids.map((id) => names.get(id) ?? String(id));
}

beforeEach(async () => {
  db = await makeTestDatabase();
  ds = db.dataSource;
  names.clear();
  search = new SearchService(new SqliteSearchIndex(ds), () => DEFAULT_ABBREVIATIONS);
});
afterEach(async () => { await db.close(); });

describe("the seed example", () => {
  beforeEach(async () => {
    const seed = await addVideo("JEE/JEE-Adv_Phy-ElectroStatics_L04.ts");
    await tag(seed, "revision");
    for (const other of ["JEE/JEE-Adv_Phy-ElectroStatics_L14.ts", "JEE/JEE-Adv_Phy-ElectroStatics_L40.ts", "JEE/JEE-Main_Phy-Electrostatics_L04.ts",
      "NEET/NEET_Bio_Genetics_L04.mp4", "JEE/JEE-Adv_Chem-Organic_L4.mp4", "Electro Statics Notes.mp4", "JEE/JEE-Adv_Phy-Magnetism_L04.ts"]) {
      await addVideo(other);
    }
  });

  test.each([
    "JEE-Adv_Phy-ElectroStatics_L04",
    "electrostatics revision",
    "jee advanced physics electrostatics lecture 4",
    "JEE adv phy electrostatics lec 04",
  ])("%s: the seed video is the top result", async (query) => {
    expect((await find(query))[0]).toBe("JEE-Adv_Phy-ElectroStatics_L04.ts");
  });

  test("every query word must match, and numbers compare by value", async () => {
    expect(await find("jee advanced physics electrostatics lecture 4")).toEqual(["JEE-Adv_Phy-ElectroStatics_L04.ts"]);
    expect(await find("electrostatics lecture 14")).toEqual(["JEE-Adv_Phy-ElectroStatics_L14.ts"]);
    expect((await find("lecture 4")).sort()).toEqual(["JEE-Adv_Chem-Organic_L4.mp4", "JEE-Adv_Phy-ElectroStatics_L04.ts", "JEE-Adv_Phy-Magnetism_L04.ts",
      "JEE-Main_Phy-Electrostatics_L04.ts", "NEET_Bio_Genetics_L04.mp4"]);
  });

  test("words written together match words written apart, both ways", async () => {
    expect(await find("electro statics notes")).toEqual(["Electro Statics Notes.mp4"]);
    expect(await find("electrostatics notes")).toEqual(["Electro Statics Notes.mp4"]);
    expect(await find("electro statics main")).toEqual(["JEE-Main_Phy-Electrostatics_L04.ts"]);
  });

  test("prefixes match, and results come in natural order among equals", async () => {
    expect(await find("electrostat jee adv")).toEqual(["JEE-Adv_Phy-ElectroStatics_L04.ts", "JEE-Adv_Phy-ElectroStatics_L14.ts", "JEE-Adv_Phy-ElectroStatics_L40.ts"]);
  });
});

test("categories and folders are searched; missing videos are not, until they come back", async () => {
  await ds.query(`INSERT INTO category (name, key, audience, created_at) VALUES ('Physics (Staff)', 'physics (staff)', 'staff', 1)`);
  const v = await addVideo("Staff Only/Induction.mp4", { category: 1 });
  expect(await find("staff induction")).toEqual(["Induction.mp4"]);
  expect(await find("staff only")).toEqual(["Induction.mp4"]);
  await ds.query(`UPDATE video SET status = 'missing' WHERE id = ?`, [v]);
  expect(await find("induction")).toEqual([]);
  await ds.query(`UPDATE video SET status = 'indexed' WHERE id = ?`, [v]);
  expect(await find("induction")).toEqual(["Induction.mp4"]);
});

test("renaming a tag or a category, or removing a tag, reindexes the videos concerned", async () => {
  const v = await addVideo("Optics_L1.mp4");
  await tag(v, "revison");
  expect(await find("revison")).toEqual(["Optics_L1.mp4"]);
  await ds.query(`UPDATE tag SET name = 'revision', key = 'revision'`);
  expect(await find("revison")).toEqual([]);
  expect(await find("revision")).toEqual(["Optics_L1.mp4"]);
  await ds.query(`DELETE FROM video_tag`);
  expect(await find("revision")).toEqual([]);
  await ds.query(`INSERT INTO category (name, key, audience, created_at) VALUES ('Phys', 'phys', 'students', 1)`);
  await ds.query(`UPDATE video SET category_id = 1 WHERE id = ?`, [v]);
  await ds.query(`UPDATE category SET name = 'Optical Sciences'`);
  expect(await find("optical sciences")).toEqual(["Optics_L1.mp4"]);
});

test("bad queries get an answer, never an error", async () => {
  await addVideo("Physics L1.mp4");
  for (const query of [`NEAR`, `-physics`, `physics AND`, `physics OR NOT x`, `"physics"*`, `(physics`, `l1 -- "`, "x".repeat(300), "😀 physics"]) {
    const outcome = await search.search(query, { limit: 10, offset: 0 });
    expect(outcome.ok, query).toBe(true);
  }
  expect((await search.search("-physics", { limit: 10, offset: 0 }))).toMatchObject({ ok: true, total: 1 });
  for (const query of ["", "   ", "!!!", "🎬🎬", "—", `"`, `*`, `"*"`]) expect(await search.search(query, { limit: 10, offset: 0 })).toEqual({ ok: false, reason: "no-words" });
});

test("paging returns the total and the requested slice", async () => {
  for (let i = 1; i <= 25; i++) await addVideo(`Algebra_L${i}.mp4`);
  const first = await search.search("algebra", { limit: 10, offset: 0 });
  const third = await search.search("algebra", { limit: 10, offset: 20 });
  expect(first).toMatchObject({ ok: true, total: 25 });
  expect(first.ok && first.ids.map((id) => names.get(id))).toEqual(Array.from({ length: 10 }, (_, i) => `Algebra_L${i + 1}.mp4`));
  expect(third.ok && third.ids.map((id) => names.get(id))).toEqual(Array.from({ length: 5 }, (_, i) => `Algebra_L${i + 21}.mp4`));
});
