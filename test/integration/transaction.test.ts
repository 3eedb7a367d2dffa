import { afterEach, beforeEach, expect, test } from "vitest";
import { JobSchedule } from "../../src/entities/job.js";
import { inTransaction } from "../../src/infra/database/stores/transaction.js";
import { eachDatabase, type TestDatabase } from "../support/postgres.js";

eachDatabase("inTransaction", (open) => {
  let db: TestDatabase;
  beforeEach(async () => { db = await open(); });
  afterEach(async () => { await db.close(); });
  const names = async () => (await db.dataSource.getRepository(JobSchedule).find({ order: { name: "ASC" } })).map((s) => s.name);

  test("two transactions begun together stay apart: one rolled back takes nothing of the other with it", async () => {
    const failing = inTransaction(db.dataSource, async (m) => {
      await m.insert(JobSchedule, { name: "a", lastSlot: 1 });
      throw new Error("rolled back");
    });
    const committed = inTransaction(db.dataSource, async (m) => { await m.insert(JobSchedule, { name: "b", lastSlot: 1 }); });
    await expect(failing).rejects.toThrow("rolled back");
    await committed;
    expect(await names()).toEqual(["b"]);
  });
});
