import { afterEach, beforeEach, expect, test } from "vitest";
import { ConversionJob } from "../../src/entities/conversion-job.js";
import { Job } from "../../src/entities/job.js";
import { UploadJob } from "../../src/entities/upload-job.js";
import { Video } from "../../src/entities/video.js";
import { SqliteBulkStore } from "../../src/infra/database/stores/bulk-store.js";
import { SqliteCatalogStore } from "../../src/infra/database/stores/catalog-store.js";
import { TypeormAuditStore } from "../../src/infra/database/stores/audit-store.js";
import { TypeormCategoryStore } from "../../src/infra/database/stores/category-store.js";
import { AuditService } from "../../src/services/audit/audit.js";
import { BulkEditService } from "../../src/services/catalog/bulk-edit.js";
import { CatalogService } from "../../src/services/catalog/catalog-service.js";
import { CategoryService } from "../../src/services/catalog/categories.js";
import { parseAbbreviationLine } from "../../src/services/search/abbreviation-service.js";
import { eachDatabase, type TestDatabase } from "../support/postgres.js";
import { insertVideo } from "../support/videos.js";

// Plain query-builder stores: the same tests on SQLite and on PostgreSQL.
eachDatabase("catalog, categories, bulk edits and audit", (open, kind) => {
  let db: TestDatabase;
  let catalog: CatalogService;
  let bulk: BulkEditService;
  let categories: CategoryService;
  let audit: AuditService;
  const asha = { kind: "user" as const, id: 1, role: "owner" as const };
  const ravi = { kind: "user" as const, id: 2, role: "owner" as const };

  const addVideo = (name: string): Promise<number> => insertVideo(db.dataSource, name);
  const tagsOf = async (id: number): Promise<string[]> => ((await catalog.video(id))?.tags ?? []).map((t) => t.name);

  beforeEach(async () => {
    db = await open();
    const clock = { now: () => 1_700_000_000_000 };
    audit = new AuditService(new TypeormAuditStore(db.dataSource), clock);
    const store = new SqliteCatalogStore(db.dataSource);
    catalog = new CatalogService(store, audit, clock);
    bulk = new BulkEditService(store, new SqliteBulkStore(db.dataSource), audit, clock);
    categories = new CategoryService(new TypeormCategoryStore(db.dataSource), audit, clock);
  });
  afterEach(async () => { await db.close(); });

  test("two admins editing one video at the same time: both changes land, each audited", async () => {
    const id = await addVideo("Optics.mp4");
    const physics = await categories.create("Physics", "students", asha);
    if (!physics.ok) throw new Error("category");
    await Promise.all([
      catalog.addTags(id, ["waves", "light"], asha),
      catalog.addTags(id, ["Light", "exam"], ravi),
      catalog.setCategory(id, physics.category, ravi),
    ]);
    // One "light" tag, in whichever spelling was saved first.
    expect((await tagsOf(id)).map((t) => t.toLowerCase())).toEqual(["exam", "light", "waves"]);
    expect((await catalog.video(id))?.category?.name).toBe("Physics");
    const events = await audit.about("video", id, 10);
    expect(events.map((e) => [e.action, e.actorId]).sort()).toEqual([["video.category", "2"], ["video.tags", "1"], ["video.tags", "2"]]);
    // Removing a tag someone already removed is reported, not an error.
    const light = (await catalog.video(id))!.tags.find((t) => t.name.toLowerCase() === "light")!;
    const removed = await Promise.all([catalog.removeTag(id, light.id, asha), catalog.removeTag(id, light.id, ravi)]);
    // SQLite's one connection runs them in call order; on PostgreSQL's pool they race, and exactly one wins.
    expect(kind === "sqlite" ? removed : [...removed].sort()).toEqual(kind === "sqlite" ? [true, false] : [false, true]);
  });

  test("a deleted video's edits are refused without touching anything", async () => {
    const id = await addVideo("Gone.mp4");
    await db.dataSource.getRepository(Video).delete(id);
    expect(await catalog.addTags(id, ["x"], asha)).toBeNull();
    expect(await catalog.setCategory(id, null, asha)).toBe("missing");
    const result = await bulk.tagAll([id], ["x"], asha);
    expect(result).toMatchObject({ changed: 0, bulkId: null });
  });

  test("bulk undo restores exactly what changed, once, and only the actor's own last action", async () => {
    const ids = [await addVideo("A.mp4"), await addVideo("B.mp4"), await addVideo("C.mp4")];
    await catalog.addTags(ids[0]!, ["keep"], asha);
    const tagged = await bulk.tagAll(ids, ["keep", "new"], asha);
    expect(tagged.changed).toBe(3);
    await bulk.tagAll(ids, ["ravis"], ravi);
    expect(await bulk.undoLast(asha)).toMatchObject({ changed: 3 });
    // "keep" was already on A before the bulk edit, so it stays; ravi's edit is untouched.
    expect(await tagsOf(ids[0]!)).toEqual(["keep", "ravis"]);
    expect(await tagsOf(ids[1]!)).toEqual(["ravis"]);
    expect(await bulk.undoLast(asha)).toBeNull();
    expect(await Promise.all([bulk.undoLast(ravi), bulk.undoLast(ravi)])).toContainEqual(null);
    expect(await tagsOf(ids[1]!)).toEqual([]);
  });

  test("categories: a category in use is deleted only with somewhere for its videos", async () => {
    const a = await categories.create("Physics", "students", asha);
    const b = await categories.create("Archive", "staff", asha);
    if (!a.ok || !b.ok) throw new Error("category");
    const id = await addVideo("Optics.mp4");
    await catalog.setCategory(id, a.category, asha);
    expect(await categories.delete(a.category.id, asha)).toEqual({ kind: "in-use", videos: 1 });
    expect(await categories.rename(a.category.id, "archive", asha)).toMatchObject({ ok: false, problem: { kind: "exists" } });
    expect(await categories.delete(a.category.id, asha, b.category.id)).toEqual({ kind: "deleted", moved: 1 });
    expect((await catalog.video(id))?.category?.name).toBe("Archive");
    expect((await audit.about("video", id, 1))[0]).toMatchObject({ action: "video.category", before: JSON.stringify("Physics"), after: JSON.stringify("Archive") });
  });

  test("renaming a tag onto another merges them; the merged tag's videos keep one copy", async () => {
    const [x, y] = [await addVideo("X.mp4"), await addVideo("Y.mp4")];
    await catalog.addTags(x, ["Revison", "revision"], asha);
    await catalog.addTags(y, ["Revison"], asha);
    const typo = (await catalog.video(y))!.tags[0]!;
    expect(await catalog.renameTag(typo.id, " REVISION ", asha)).toMatchObject({ kind: "merged", videos: 2 });
    expect([await tagsOf(x), await tagsOf(y)]).toEqual([["revision"], ["revision"]]);
    expect(await catalog.renameTag(typo.id, "x", asha)).toEqual({ kind: "missing" });
    expect(await catalog.renameTag((await catalog.video(x))!.tags[0]!.id, "🎬", asha)).toMatchObject({ kind: "invalid" });
  });

  test("abbreviation lines: add, change, remove, and clear refusals", () => {
    expect(parseAbbreviationLine("adv = Advanced")).toEqual({ short: "adv", long: "advanced" });
    expect(parseAbbreviationLine("cs: computer science")).toEqual({ short: "cs", long: "computer science" });
    expect(parseAbbreviationLine("-adv")).toEqual({ short: "adv", long: null });
    expect(parseAbbreviationLine("two words = x")).toHaveProperty("invalid");
    expect(parseAbbreviationLine("adv")).toHaveProperty("invalid");
    expect(parseAbbreviationLine("adv = adv")).toHaveProperty("invalid");
    expect(parseAbbreviationLine("x = 🎬")).toHaveProperty("invalid");
  });

  test("a card shows its video's newest conversion job, newest converted copy in the library and newest upload", async () => {
    const m = db.dataSource.manager;
    const source = await addVideo("L1.ts");
    const plain = await addVideo("L2.mp4");
    const job = (state: ConversionJob["state"], progress: number | null) => ({ videoId: source, state, origin: "manual", actorKind: "user", actorId: "1", progress, createdAt: 1, updatedAt: 1 });
    await m.insert(ConversionJob, [job("failed", null), job("running", 0.5)]);
    const [older, newer, gone] = [await addVideo("L1.mp4"), await addVideo("L1 (2).mp4"), await insertVideo(db.dataSource, "L1 (3).mp4", { status: "missing" })];
    await m.update(Video, [older, newer, gone], { derivedFromId: source });
    const engine = await m.insert(Job, { kind: "upload.send", payload: "{}", state: "queued", key: null, groupKey: null, priority: 0, runAt: 5000,
      attempts: 1, maxAttempts: 5, owner: null, leaseUntil: null, cancelRequested: false, progress: null, reason: null, createdAt: 1, updatedAt: 1, finishedAt: null });
    const upload = (state: UploadJob["state"], seq: number, jobId: number | null) => ({ videoId: source, state, seq, force: 0, origin: "manual", actorKind: "user", actorId: "42", jobId, createdAt: 1, updatedAt: 1 });
    await m.insert(UploadJob, [upload("failed", 1, null), upload("queued", 2, Number(engine.identifiers[0]?.id))]);

    const [card, other] = await new SqliteCatalogStore(db.dataSource).details([source, plain]);
    expect(card?.conversion?.job).toMatchObject({ state: "running", progress: 0.5 });
    expect(card?.converted).toEqual({ id: newer, fileName: "L1 (2).mp4" });
    expect(card?.publishing.upload).toMatchObject({ state: "queued", notBefore: 5000, queuedBy: 42 });
    expect(other).toMatchObject({ id: plain, conversion: null, converted: null, publishing: { upload: null, posts: [], route: null } });
  });
});
