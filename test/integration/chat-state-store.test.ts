import { afterEach, beforeEach, expect, test } from "vitest";
import { eachDatabase, type TestDatabase } from "../support/postgres.js";
import { SqliteChatStateStore } from "../../src/infra/database/stores/chat-state-store.js";
import { TypeormCategoryStore } from "../../src/infra/database/stores/category-store.js";
import { SqliteSettingsStore } from "../../src/infra/database/stores/settings-store.js";
import { insertVideo } from "../support/videos.js";

const category = (key: string, name: string) => ({ key, name, audience: "students", reviewFirst: false, createdAt: 1000 });

eachDatabase("chat state, categories and settings stores", (open) => {
let db: TestDatabase;
let chats: SqliteChatStateStore;
beforeEach(async () => {
  db = await open();
  chats = new SqliteChatStateStore(db.dataSource);
});
afterEach(async () => { await db.close(); });

test("saved searches, prompts and shown cards: saved, replaced in place, and forgotten when old", async () => {
  const [a, b] = [await insertVideo(db.dataSource, "A.mp4"), await insertVideo(db.dataSource, "B.mp4")];
  const first = await chats.saveSearch(7, "optics", 1000);
  const second = await chats.saveSearch(7, "waves", 5000);
  expect(second).toBeGreaterThan(first);
  expect(await chats.search(first)).toEqual({ id: first, chatId: 7, query: "optics" });

  await chats.setPrompt(7, { kind: "rename-tag", tagId: 3 }, 1000);
  await chats.setPrompt(7, { kind: "tags", videoId: a }, 2000);
  expect(await chats.prompt(7)).toEqual({ prompt: { kind: "tags", videoId: a }, createdAt: 2000 });
  await chats.clearPrompt(7);
  expect(await chats.prompt(7)).toBeNull();

  // The same message shown again for another video is one card, for the newer video.
  await chats.addCard(7, 100, a, 1000);
  await chats.addCard(7, 100, b, 5000);
  await chats.addCard(8, 200, a, 1000);
  await chats.markCardsStale([a, b, a]);
  await chats.markCardsStale([b]);
  expect(await chats.takeStaleCards()).toEqual(new Map([[a, [{ chatId: 8, messageId: 200 }]], [b, [{ chatId: 7, messageId: 100 }]]]));
  expect(await chats.takeStaleCards()).toEqual(new Map());

  // Both forgettings run together with another store's transaction, on the one connection, without nesting.
  const categories = new TypeormCategoryStore(db.dataSource);
  const physics = await categories.insert(category("physics", "Physics"));
  await Promise.all([chats.forgetOlderThan(2000), categories.reassignAndDelete(physics.id, null, 3000)]);
  expect(await chats.search(first)).toBeNull();
  expect(await chats.search(second)).toEqual({ id: second, chatId: 7, query: "waves" });
  await chats.markCardsStale([a, b]);
  expect(await chats.takeStaleCards()).toEqual(new Map([[b, [{ chatId: 7, messageId: 100 }]]]));
  expect(await categories.byId(physics.id)).toBeNull();
});

test("a category deleted with its videos moved to none leaves them without one", async () => {
  const categories = new TypeormCategoryStore(db.dataSource);
  const physics = await categories.insert(category("physics", "Physics"));
  const other = await categories.insert(category("other", "Other"));
  const [a, b] = [await insertVideo(db.dataSource, "A.mp4"), await insertVideo(db.dataSource, "B.mp4")];
  await db.dataSource.createQueryBuilder().update("video").set({ category: { id: physics.id } }).whereInIds([a, b]).execute();
  expect(await categories.usage()).toEqual(new Map([[physics.id, 2]]));
  expect((await categories.videoIdsIn(physics.id)).sort()).toEqual([a, b].sort());
  await categories.reassignAndDelete(physics.id, other.id, 3000);
  expect(await categories.usage()).toEqual(new Map([[other.id, 2]]));
  await categories.reassignAndDelete(other.id, null, 4000);
  expect(await categories.usage()).toEqual(new Map());
  expect(await categories.videoIdsIn(other.id)).toEqual([]);
});

test("a setting written twice keeps the newer value", async () => {
  const settings = new SqliteSettingsStore(db.dataSource);
  expect(await settings.get("x")).toBeNull();
  await settings.set("x", "1", 1000);
  await settings.set("x", "2", 2000);
  expect(await settings.get("x")).toBe("2");
});
});
