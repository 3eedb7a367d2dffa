import { afterEach, beforeEach, expect, test } from "vitest";
import type { Update } from "grammy/types";
import { SqliteUpdateJournal } from "../../src/infra/database/stores/update-journal-store.js";
import { manualClock } from "../support/database.js";
import { eachDatabase, type TestDatabase } from "../support/postgres.js";

const update = (id: number): Update => ({ update_id: id, message: { message_id: 1, date: 0, chat: { id: 5, type: "private", first_name: "A" }, from: { id: 5, is_bot: false, first_name: "A" }, text: `u${id}` } });

eachDatabase("the update journal", (open) => {
let db: TestDatabase;
beforeEach(async () => { db = await open(); });
afterEach(async () => { await db.close(); });

test("unfinished updates are handed back once; finished ones are recognised when Telegram sends them again", async () => {
  const clock = manualClock();
  const journal = new SqliteUpdateJournal(db.dataSource, clock.now);
  expect(await journal.begin(update(10))).toBe(true);
  expect(await journal.begin(update(11))).toBe(true);
  await journal.finish(11);
  expect(await journal.begin(update(11))).toBe(false);
  expect(await journal.begin(update(10))).toBe(false);
  expect(await journal.takePending()).toEqual([update(10)]);
  expect(await journal.takePending()).toEqual([]);
  expect(await journal.begin(update(10))).toBe(true);
});

test("finished entries are forgotten after the retention period", async () => {
  const clock = manualClock();
  const journal = new SqliteUpdateJournal(db.dataSource, clock.now);
  await journal.begin(update(1));
  await journal.finish(1);
  clock.advance(1000);
  await journal.prune(2000);
  expect(await journal.begin(update(1))).toBe(false);
  clock.advance(1001);
  await journal.prune(2000);
  expect(await journal.begin(update(1))).toBe(true);
});
});
