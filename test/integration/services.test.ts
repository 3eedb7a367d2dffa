import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DataSource } from "typeorm";
import { TypeormAuditStore } from "../../src/infra/database/stores/audit-store.js";
import { TypeormCategoryStore } from "../../src/infra/database/stores/category-store.js";
import { SqliteKeyValueStore } from "../../src/infra/database/stores/conversation-store.js";
import { TypeormUserStore } from "../../src/infra/database/stores/user-store.js";
import { AccessService, REFUSAL_INTERVAL_MS } from "../../src/services/people/access.js";
import { userActor } from "../../src/services/people/actor.js";
import { AuditService } from "../../src/services/audit/audit.js";
import { CategoryService } from "../../src/services/catalog/categories.js";
import { User } from "../../src/entities/user.js";
import { makeTestDatabase, manualClock } from "../support/database.js";

describe("services on a real SQLite file", () => {
  let db: Awaited<ReturnType<typeof makeTestDatabase>>;
  let ds: DataSource;
  const clock = manualClock();
  beforeEach(async () => { db = await makeTestDatabase(); ds = db.dataSource; });
  afterEach(async () => { await db.close(); });

  test("owners come from ADMIN_IDS, granted roles from the database, everyone else is a stranger", async () => {
    const access = new AccessService(new TypeormUserStore(ds), [1], clock);
    expect(await access.identify({ id: 1, first_name: "Owner" })).toBe("owner");
    expect(await access.identify({ id: 2, first_name: "Ed", username: "ed" })).toBeNull();
    await ds.getRepository(User).update({ telegramId: 2 }, { role: "editor" });
    expect(await access.identify({ id: 2, first_name: "Ed", username: "ed_new" })).toBe("editor");
    expect(await ds.getRepository(User).findOneByOrFail({ telegramId: 2 })).toMatchObject({ username: "ed_new", role: "editor" });
  });

  test("a stranger is refused at most once a day", async () => {
    const access = new AccessService(new TypeormUserStore(ds), [1], clock);
    await access.identify({ id: 9, first_name: "Eve" });
    expect(await access.claimRefusal(9)).toBe(true);
    expect(await access.claimRefusal(9)).toBe(false);
    clock.advance(REFUSAL_INTERVAL_MS - 1);
    expect(await access.claimRefusal(9)).toBe(false);
    clock.advance(1);
    expect(await access.claimRefusal(9)).toBe(true);
  });

  test("categories: names are unique case-insensitively, audiences normalised, creation audited", async () => {
    const audit = new AuditService(new TypeormAuditStore(ds), clock);
    const categories = new CategoryService(new TypeormCategoryStore(ds), audit, clock);
    const created = await categories.create("  Physics   Lectures ", " Students ", userActor(1, "owner"));
    expect(created).toMatchObject({ ok: true, category: { name: "Physics Lectures", key: "physics lectures", audience: "students" } });
    expect(await categories.create("PHYSICS lectures", "staff", userActor(1, "owner"))).toEqual({ ok: false, problem: { kind: "exists", existing: "Physics Lectures" } });
    expect(await categories.create("   ", "staff", userActor(1, "owner"))).toEqual({ ok: false, problem: { kind: "empty-name" } });
    expect(await categories.create("Maths", "<script>", userActor(1, "owner"))).toEqual({ ok: false, problem: { kind: "bad-audience" } });
    const events = await audit.latest(10);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "category.create", actorId: "1", at: clock.now() });
  });

  test("the conversation store keeps JSON values per key", async () => {
    const store = new SqliteKeyValueStore<{ step: number }>(ds);
    expect(await store.read("conversation:1")).toBeUndefined();
    await store.write("conversation:1", { step: 1 });
    await store.write("conversation:1", { step: 2 });
    expect(await store.read("conversation:1")).toEqual({ step: 2 });
    await store.delete("conversation:1");
    expect(await store.read("conversation:1")).toBeUndefined();
  });
});
