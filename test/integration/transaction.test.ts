import { afterEach, beforeEach, expect, test } from "vitest";
import { JobSchedule } from "../../src/entities/job.js";
import { inTransaction } from "../../src/infra/stores/transaction.js";
import { deferred } from "../support/jobs-harness.js";
import { eachDatabase, type TestDatabase } from "../support/postgres.js";

eachDatabase("inTransaction", (open, driver) => {
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

  test.runIf(driver === "postgres")("on a pool, transactions run side by side: one waiting inside its transaction does not hold up another", async () => {
    const secondRan = deferred();
    const first = inTransaction(db.dataSource, async (m) => {
      await m.insert(JobSchedule, { name: "first", lastSlot: 1 });
      await secondRan.promise;
    });
    await inTransaction(db.dataSource, async (m) => { await m.insert(JobSchedule, { name: "second", lastSlot: 1 }); });
    secondRan.resolve();
    await first;
    expect(await names()).toEqual(["first", "second"]);
  });
});
