import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DataSource } from "typeorm";
import { SqliteSearchIndex } from "../../src/infra/database/stores/sqlite-fts-search-index.js";
import { DEFAULT_ABBREVIATIONS } from "../../src/services/search/abbreviations.js";
import { SearchService } from "../../src/services/search/search-service.js";
import { makeTestDatabase } from "../support/database.js";
import { insertVideo, scanMove, scanStatus, type VideoExtra } from "../support/videos.js";
import { systemActor } from "../../src/services/people/actor.js";
import { AuditService } from "../../src/services/audit/audit.js";
import { CatalogService } from "../../src/services/catalog/catalog-service.js";
import { CategoryService } from "../../src/services/catalog/categories.js";
import { systemClock } from "../../src/services/shared/clock.js";
import { VideoFollowUps } from "../../src/services/follow-up/video-follow-ups.js";
import { JobQueue } from "../../src/services/jobs/job-queue.js";
import { TypeormAuditStore } from "../../src/infra/database/stores/audit-store.js";
import { SqliteCatalogStore } from "../../src/infra/database/stores/catalog-store.js";
import { TypeormCategoryStore } from "../../src/infra/database/stores/category-store.js";
import { TypeormFollowUpStore } from "../../src/infra/database/stores/follow-up-store.js";
import { TypeormJobStore } from "../../src/infra/database/stores/job-store.js";

let db: Awaited<ReturnType<typeof makeTestDatabase>>;
let ds: DataSource;
let search: SearchService;
// Tags and categories change through the services that change them, which list the videos for the index.
let catalog: CatalogService;
let categories: CategoryService;
const actor = systemActor("test");
const names = new Map<number, string>();

async function addVideo(relativePath: string, extra: VideoExtra = {}): Promise<number> {
  const id = await insertVideo(ds, relativePath, extra);
  names.set(id, relativePath.split("/").pop()!);
  return id;
}

async function tag(videoId: number, name: string): Promise<void> {
  await catalog.addTags(videoId, [name], actor);
}

async function tagId(key: string): Promise<number> {
  const [row] = await ds.query<{ id: number }[]>(`SELECT id FROM tag WHERE key = ?`, [key]);
  return row!.id;
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
  const audit = new AuditService(new TypeormAuditStore(ds), systemClock);
  const followUps = new VideoFollowUps(new TypeormFollowUpStore(ds), new JobQueue(new TypeormJobStore(ds), systemClock));
  catalog = new CatalogService(new SqliteCatalogStore(ds), audit, systemClock, followUps);
  categories = new CategoryService(new TypeormCategoryStore(ds), audit, systemClock, followUps);
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
  await scanStatus(ds, v, "missing");
  expect(await find("induction")).toEqual([]);
  await scanStatus(ds, v, "indexed");
  expect(await find("induction")).toEqual(["Induction.mp4"]);
});

test("renaming a tag or a category, or removing a tag, reindexes the videos concerned", async () => {
  const v = await addVideo("Optics_L1.mp4");
  await tag(v, "revison");
  expect(await find("revison")).toEqual(["Optics_L1.mp4"]);
  await catalog.renameTag(await tagId("revison"), "revision", actor);
  expect(await find("revison")).toEqual([]);
  expect(await find("revision")).toEqual(["Optics_L1.mp4"]);
  await catalog.removeTag(v, await tagId("revision"), actor);
  expect(await find("revision")).toEqual([]);
  const phys = await categories.create("Phys", "students", actor);
  if (!phys.ok) throw new Error("category not created");
  await catalog.setCategory(v, phys.category, actor);
  await categories.rename(phys.category.id, "Optical Sciences", actor);
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

describe("natural order survives incremental changes", () => {
  async function all(query: string): Promise<string[]> {
    const outcome = await search.search(query, { limit: 1000, offset: 0 });
    return outcome.ok ? outcome.ids.map((id) => names.get(id) ?? String(id)) : [];
  }

  test("newcomers land between their neighbours, renamed videos move, missing ones leave", async () => {
    for (const i of [1, 3, 5, 7, 9, 11]) await addVideo(`Algebra_L${i}.mp4`);
    expect(await all("algebra")).toEqual([1, 3, 5, 7, 9, 11].map((i) => `Algebra_L${i}.mp4`));
    for (const i of [2, 10, 4, 12]) await addVideo(`Algebra_L${i}.mp4`);
    expect(await all("algebra")).toEqual([1, 2, 3, 4, 5, 7, 9, 10, 11, 12].map((i) => `Algebra_L${i}.mp4`));
    const seven = [...names].find(([, n]) => n === "Algebra_L7.mp4")![0];
    await scanMove(ds, seven, "Algebra_L6.mp4");
    names.set(seven, "Algebra_L6.mp4");
    await scanStatus(ds, [...names].find(([, n]) => n === "Algebra_L9.mp4")![0], "missing");
    expect(await all("algebra")).toEqual([1, 2, 3, 4, 5, 6, 10, 11, 12].map((i) => `Algebra_L${i}.mp4`));
  });

  test("a gap that fills up is laid out afresh, and paging across tiers stays consistent", async () => {
    await addVideo("b.mp4");
    await addVideo("c.mp4");
    // Each name sorts just after the previous one, so each halves the same gap: 70 halvings use up 2^53.
    const inserted = ["a"];
    for (let i = 0; i < 70; i++) {
      await addVideo(`${inserted.at(-1)!}.mp4`);
      await search.refresh();
      inserted.push(`${inserted.at(-1)!}b`);
    }
    const expected = [...inserted.slice(0, 70).map((n) => `${n}.mp4`), "b.mp4", "c.mp4"];
    expect(await all("mp4")).toEqual([]); // extensions are not words
    const seen: string[] = [];
    for (let offset = 0; offset < 80; offset += 7) {
      const page = await search.search("a", { limit: 7, offset });
      if (page.ok) seen.push(...page.ids.map((id) => names.get(id)!));
    }
    expect(seen).toEqual(expected.filter((n) => n.startsWith("a")));
  });

  test("pages walk through the tiers: name matches, then tag matches, then folder matches", async () => {
    for (let i = 1; i <= 4; i++) await addVideo(`Optics_L${i}.mp4`);
    for (let i = 1; i <= 3; i++) await tag(await addVideo(`Lecture_${i}.mp4`), "optics");
    for (let i = 1; i <= 3; i++) await addVideo(`Optics/Part_${i}.mp4`);
    const expected = [1, 2, 3, 4].map((i) => `Optics_L${i}.mp4`).concat([1, 2, 3].map((i) => `Lecture_${i}.mp4`), [1, 2, 3].map((i) => `Part_${i}.mp4`));
    expect(await all("optics")).toEqual(expected);
    for (const size of [1, 2, 3, 5]) {
      const seen: string[] = [];
      for (let offset = 0; offset < expected.length; offset += size) {
        const page = await search.search("optics", { limit: size, offset });
        expect(page).toMatchObject({ ok: true, total: expected.length });
        if (page.ok) seen.push(...page.ids.map((id) => names.get(id)!));
      }
      expect(seen, `pages of ${size}`).toEqual(expected);
    }
  });
});
