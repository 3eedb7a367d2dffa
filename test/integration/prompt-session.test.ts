import { afterEach, beforeEach, expect, test } from "vitest";
import { ChatStateService } from "../../src/services/chat/chat-state.js";
import { SqliteChatStateStore } from "../../src/infra/database/stores/chat-state-store.js";
import { PromptSession } from "../../src/bot/prompts/prompt-session.js";
import { ActionCatalogue } from "../../src/bot/actions.js";
import { FEATURES } from "../../src/bot/features/index.js";
import { makeTestDatabase, manualClock } from "../support/database.js";

let db: Awaited<ReturnType<typeof makeTestDatabase>>;
let chat: ChatStateService;
const CHAT = 1001;

beforeEach(async () => {
  db = await makeTestDatabase();
  chat = new ChatStateService(new SqliteChatStateStore(db.dataSource), manualClock(Date.now()));
});
afterEach(async () => {
  await db.close();
});

test("a declared question is asked and read back once per update; an undeclared one is refused when asked", async () => {
  const known = new Set(["rename-tag"]);
  const session = new PromptSession(chat, CHAT, known);
  await session.ask({ kind: "rename-tag", tagId: 7 });
  expect(await new PromptSession(chat, CHAT, known).pending()).toEqual({ kind: "rename-tag", tagId: 7 });
  await expect(session.ask({ kind: "typo-kind" })).rejects.toThrow(/"typo-kind" is asked, but no feature declares it/u);
  // The refused question replaced nothing.
  expect(await new PromptSession(chat, CHAT, known).pending()).toEqual({ kind: "rename-tag", tagId: 7 });
});

test("a saved question that no feature answers any longer is forgotten, so the text goes to the search", async () => {
  await chat.setPrompt(CHAT, { kind: "retired-kind", videoId: 3 });
  expect(await new PromptSession(chat, CHAT, new Set(["rename-tag"])).pending()).toBeNull();
  expect(await chat.prompt(CHAT)).toBeNull();
});

test("every question kind the bot's features declare is known to the sessions the bot makes", () => {
  const kinds = new ActionCatalogue(FEATURES).prompts();
  expect([...kinds].sort()).toEqual([
    "abbreviation", "add-channel", "add-user", "bulk-tag", "bulk-tag-confirm", "caption-template", "channel-audience",
    "reject-reason", "rename-category", "rename-tag", "sync-folder", "tags",
  ]);
});
