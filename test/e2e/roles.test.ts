import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Role } from "../../src/entities/user.js";
import { systemActor } from "../../src/services/people/actor.js";
import { Forbidden } from "../../src/services/people/permissions.js";
import type { EmulatedUser } from "../support/telegram/index.js";
import { startPublishHarness, type PublishHarness } from "../support/publish-harness.js";

const IDS = { admin: 3003, editor: 2002, viewer: 4004 } as const;
const NEWCOMER = 5005;
const SYSTEM = systemActor("test");
const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };
const ORDER: readonly Role[] = ["viewer", "editor", "admin", "owner"];

let h: PublishHarness;
let people: Record<Role, EmulatedUser>;
let video: number;
let tagId: number;
let categoryId: number;

beforeEach(async () => {
  h = await startPublishHarness();
  const channel = await h.channel(-1004000000001, "Physics", "students");
  categoryId = await h.category("Physics", "students", channel.rowId);
  h.clip("Phy_L1.mp4");
  h.clip("Phy_L2.mp4");
  await h.scan();
  video = await h.videoId("Phy_L1.mp4");
  await h.app.services.catalog.addTags(await h.videoId("Phy_L2.mp4"), ["revision"], SYSTEM);
  tagId = (await h.app.services.catalog.tagsAmong([await h.videoId("Phy_L2.mp4")], 5))[0]?.id ?? 0;
  for (const role of ["admin", "editor", "viewer"] as const) await h.app.services.roles.setRole(SYSTEM, IDS[role], role);
  people = {
    owner: h.admin,
    admin: h.emu.user({ id: IDS.admin, firstName: "Adil", username: "adil" }),
    editor: h.emu.user({ id: IDS.editor, firstName: "Ravi", username: "ravi" }),
    viewer: h.emu.user({ id: IDS.viewer, firstName: "Vera", username: "vera" }),
  };
});
afterEach(async () => {
  await h.stop();
});

const refusedCommand = async (user: EmulatedUser, text: string): Promise<boolean> => {
  await user.send(text);
  const reply = await user.waitForBotMessage(() => true);
  return reply.text?.startsWith("🔒") ?? false;
};
const refusedButton = async (user: EmulatedUser, data: string): Promise<boolean> => {
  const answer = await user.pressData(data);
  if (answer.text?.startsWith("🔒") === true) {
    expect(answer.showAlert).toBe(true);
    return true;
  }
  return false;
};

describe("roles through the bot", () => {
  test("the permission matrix: every action × every role, commands and forged callbacks; refusals are audited and change nothing", async () => {
    // The lowest role each action needs, as the issue states it (written out, not read from the code).
    const matrix: { name: string; min: Role; run: (u: EmulatedUser) => Promise<boolean> }[] = [
      ...([["/search physics", "viewer"], ["/status", "viewer"], ["/tags", "editor"], ["/convert", "editor"], ["/queue", "editor"], ["/stats", "editor"],
        ["/undo", "editor"], ["/categories", "admin"], ["/channels", "admin"], ["/settings", "admin"], ["/abbreviations", "admin"], ["/trash", "admin"],
        ["/audit", "admin"], ["/users", "admin"], ["/exports", "editor"], ["/sync", "admin"], ["/workers", "admin"]] as const).map(([text, min]) => ({ name: text, min, run: (u: EmulatedUser) => refusedCommand(u, text) })),
      ...([
        ["open a card", "viewer", () => `v:o:${video}`],
        ["the unreadable and missing files", "viewer", () => "lib:l:0"],
        ["open the tags panel", "editor", () => `v:t:${video}`],
        ["add a tag", "editor", () => `v:a:${video}:${tagId}`],
        ["remove a tag", "editor", () => `v:x:${video}:${tagId}`],
        ["set the category", "editor", () => `v:k:${video}:${categoryId}`],
        ["convert", "editor", () => `v:cv:${video}`],
        ["history", "editor", () => `v:h:${video}`],
        ["export to HLS", "editor", () => `hx:v:${video}`],
        ["add a sync folder", "admin", () => "y:a"],
        ["queue for the channel", "editor", () => `v:pu:${video}`],
        ["send again", "admin", () => `v:pf:${video}`],
        ["bulk tag", "editor", () => "b:t:1"],
        ["bulk category", "editor", () => "b:c:1"],
        ["refresh the queue", "editor", () => "q:l"],
        ["retry failed uploads", "admin", () => "q:F"],
        ["approve a draft", "admin", () => "r:a:999"],
        ["update captions", "admin", () => "p:no:1"],
        ["a category", "admin", () => `c:o:${categoryId}`],
        ["channels", "admin", () => "ch:l"],
        ["settings", "admin", () => "st:x"],
        ["dupes", "admin", () => "d:n:1"],
        ["audit", "admin", () => "au:p:0"],
        ["users", "admin", () => "u:l"],
        ["make someone an admin", "owner", () => `u:g:${NEWCOMER}:1`],
      ] as const).map(([name, min, data]) => ({ name, min, run: (u: EmulatedUser) => refusedButton(u, data()) })),
    ];
    const outcome: string[] = [];
    let refusals = 0;
    for (const action of matrix) {
      for (const role of ORDER) {
        const refused = await action.run(people[role]);
        if (refused) refusals++;
        outcome.push(`${action.name} × ${role}: ${refused ? "refused" : "allowed"}`);
      }
    }
    const expected = matrix.flatMap((a) => ORDER.map((role) => `${a.name} × ${role}: ${RANK[role] >= RANK[a.min] ? "allowed" : "refused"}`));
    expect(outcome).toEqual(expected);
    const refusedEvents = await h.app.services.audit.query(SYSTEM, { action: "access.refused" }, null, 500);
    expect(refusedEvents).toHaveLength(refusals);
    expect(refusedEvents.map((e) => JSON.parse(e.after ?? "{}") as { role: string }).filter((a) => a.role === "owner")).toEqual([]);
    // Only the owner could make the newcomer an admin (the admin's press passed the bot's check for /users and was refused by the service).
    expect(await h.app.services.access.roleOf(NEWCOMER)).toBe("admin");
    expect(JSON.parse(refusedEvents.find((e) => e.actorId === String(IDS.admin))?.after ?? "{}")).toMatchObject({ permission: "admins", role: "admin" });
    expect(h.emu.violations).toEqual([]);
  });

  test("every button a role sees works for it: viewers get no editing buttons, editors no publishing ones", async () => {
    const buttonsFor = async (role: Role): Promise<{ card: string[]; search: string[]; refused: string[] }> => {
      const u = people[role];
      await u.send("Phy L1");
      const results = await u.waitForBotMessage((m) => m.text?.startsWith("🔎") ?? false);
      await u.press(/^1\. Phy_L1/);
      const card = await u.waitForBotMessage((m) => m.text?.startsWith("🎬") ?? false);
      const refused: string[] = [];
      for (const b of [...card.keyboard ?? [], ...results.keyboard ?? []].flat()) {
        if (b.callbackData === undefined) continue;
        const answer = await u.pressData(b.callbackData, undefined);
        if (answer.text?.startsWith("🔒") === true) refused.push(b.text);
      }
      return { card: card.buttons.flat(), search: results.buttons.flat().filter((b) => !b.startsWith("1.")), refused };
    };
    const viewer = await buttonsFor("viewer");
    expect(viewer).toEqual({ card: [], search: [], refused: [] });
    const editor = await buttonsFor("editor");
    expect(editor.card).toEqual(["🏷 Tags", "📂 Category", "🕘 History", "📡 HLS export"]);
    expect(editor.search).toEqual(["🏷 Tag all 1", "✕ Untag all 1", "📂 Set category for all 1", "🔄 Convert all 1", "📤 Send all 1"]);
    expect(editor.refused).toEqual([]);
    const owner = await buttonsFor("owner");
    expect(owner.refused).toEqual([]);

    // /queue: editors see it without its controls; /help lists only what each role may use.
    await people.editor.send("/queue");
    const queue = await people.editor.waitForBotMessage((m) => m.text?.startsWith("📤 Upload queue") ?? false);
    expect(queue.buttons).toEqual([["🔄 Refresh"]]);
    await people.viewer.send("/help");
    const help = await people.viewer.waitForBotMessage((m) => m.text?.includes("your role: viewer") ?? false);
    expect(help.text).toContain("/search");
    expect(help.text).not.toContain("/tags");
    expect(help.text).not.toContain("/users");
  });

  test("/users grants by @username, by id and by a forwarded message; admins cannot make admins; the person is told and gets their menu", async () => {
    const admin = people.admin;
    const newcomer = h.emu.user({ id: NEWCOMER, firstName: "Nina", username: "nina_k" });
    await newcomer.send("/start"); // a stranger: refused, but now known by @username
    await newcomer.waitForBotMessage((m) => m.text?.startsWith("This is a private bot") ?? false);

    await admin.send("/users");
    const list = await admin.waitForBotMessage((m) => m.text?.startsWith("👥 People with access") ?? false);
    expect(list.text).toContain("👑 user 1001 — owner"); // the owner has not written to the bot yet, so only the id is known
    expect(list.text).toContain("✏️ user 2002 — editor · id 2002");
    await admin.press("➕ Add a person");
    await admin.waitForBotMessage((m) => m.text?.startsWith("Who should get access?") ?? false);
    await admin.send("@nobody_here");
    await admin.waitForBotMessage((m) => m.text?.startsWith("No one called @nobody_here has started this bot") ?? false);
    await admin.send("@NINA_K");
    const panel = await admin.waitForBotMessage((m) => m.text?.includes("has no access yet") ?? false);
    expect(panel.buttons).toEqual([["editor", "viewer"], ["← People"]]); // no "admin" for an admin
    await admin.press("editor");
    await admin.waitForBotMessage((m) => m.text?.startsWith("Nina (@nina_k) is now an editor.") ?? false);
    const told = await newcomer.waitForBotMessage((m) => m.text?.startsWith("🔑 You now have the editor role") ?? false);
    expect(told.text).toContain("/help");
    expect(h.emu.commands({ scope: { type: "chat", chat_id: NEWCOMER } }).map((c) => c.command)).toContain("tags");
    expect(await h.app.services.access.roleOf(NEWCOMER)).toBe("editor");

    // A forwarded message names a person; one who hides their account in forwards gets an explanation.
    const other = h.emu.user({ id: 6006, firstName: "Omar" });
    await admin.press("➕ Add a person");
    await admin.waitForBotMessage((m) => m.text?.startsWith("Who should get access?") ?? false);
    await admin.forwardFromUser(other, "hello", { hidden: true });
    await admin.waitForBotMessage((m) => m.text?.startsWith("That person hides their account") ?? false);
    await admin.forwardFromUser(other, "hello");
    await admin.waitForBotMessage((m) => m.text?.startsWith("Omar (id 6006) has no access yet") ?? false);
    await admin.press("viewer");
    await admin.waitForBotMessage((m) => m.text?.startsWith("Omar is now a viewer.") ?? false);

    // A numeric id works for someone who has not written to the bot yet.
    await admin.press("➕ Add a person");
    await admin.waitForBotMessage((m) => m.text?.startsWith("Who should get access?") ?? false);
    await admin.send("7007");
    await admin.waitForBotMessage((m) => m.text?.startsWith("user 7007 (id 7007) has no access yet") ?? false);
    await admin.press("viewer");
    await admin.waitForBotMessage((m) => m.text?.startsWith("user 7007 is now a viewer.") ?? false);
    expect(await h.app.services.access.roleOf(7007)).toBe("viewer");

    // Forged: an admin making someone an admin, or changing their own role.
    expect((await admin.pressData(`u:g:${NEWCOMER}:1`)).text).toMatch(/^🔒 Your role \(admin\) cannot do that: it needs owner/);
    expect(await h.app.services.access.roleOf(NEWCOMER)).toBe("editor");
    await admin.pressData(`u:g:${IDS.admin}:3`);
    await admin.waitForBotMessage((m) => m.text?.startsWith("You cannot change your own role") ?? false);
    // The owner can; then takes access away.
    await h.admin.send("/users");
    await h.admin.waitForBotMessage((m) => m.text?.startsWith("👥 People with access") ?? false);
    await h.admin.pressData(`u:g:${NEWCOMER}:1`);
    await h.admin.waitForBotMessage((m) => m.text?.includes("is now an admin") ?? false);
    await h.admin.pressData(`u:x:${NEWCOMER}`);
    await newcomer.waitForBotMessage((m) => m.text === "Your access to vidlib was removed.");
    expect(await h.app.services.access.roleOf(NEWCOMER)).toBeNull();
    const changes = (await h.app.services.audit.query(SYSTEM, { action: "user.role" }, null, 50)).filter((e) => e.targetId === String(NEWCOMER));
    expect(changes.map((e) => [e.before, e.after])).toEqual([["\"admin\"", "null"], ["\"editor\"", "\"admin\""], ["null", "\"editor\""]]);
  });

  test("a stale button or an open prompt after a demotion is refused by the services, and nothing changes", async () => {
    const editor = people.editor;
    await editor.pressData(`v:t:${video}`); // the tags panel: a prompt for typed tags is now open
    await h.app.services.roles.setRole(systemActor("test"), IDS.editor, "viewer");
    await editor.send("exam prep");
    const refused = await editor.waitForBotMessage((m) => m.text?.startsWith("🔒") ?? false);
    expect(refused.text).toContain("Your role (viewer) cannot do that: it needs editor");
    expect((await h.app.services.catalog.video(video))?.tags).toEqual([]);
    expect((await editor.pressData(`v:k:${video}:${categoryId}`)).text).toMatch(/^🔒/);
    expect((await h.app.services.catalog.video(video))?.category).toBeNull();
    // The service layer refuses on its own, whoever calls it.
    await expect(h.app.services.catalog.addTags(video, ["x"], { kind: "user", id: IDS.viewer, role: "viewer" })).rejects.toBeInstanceOf(Forbidden);
    await expect(h.app.services.uploads.enqueue([video], "card", { kind: "user", id: IDS.editor, role: "editor" }, { force: true })).rejects.toBeInstanceOf(Forbidden);
    await expect(h.app.services.stats.report({ kind: "user", id: IDS.viewer, role: "viewer" })).rejects.toBeInstanceOf(Forbidden);
  });
});
