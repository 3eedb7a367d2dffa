import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ROLES, type Role } from "../../src/entities/user.js";
import { systemActor } from "../../src/services/people/actor.js";
import { ActionCatalogue } from "../../src/bot/actions.js";
import { FEATURES } from "../../src/bot/features/index.js";
import type { AnyButton } from "../../src/bot/callback-data/button.js";
import type { EmulatedUser } from "../support/telegram/index.js";
import { startPublishHarness, type PublishHarness } from "../support/publish-harness.js";

// The lowest role each button and command needs, written out from what the roles are for (viewers search
// and watch; editors tag, categorise, convert, export and queue; admins publish, delete and manage;
// owners manage admins), not read from the code. A button or command the bot declares and this table
// lacks (or the other way round) fails the first test.
const EXPECTED_BUTTONS: Readonly<Record<string, Role>> = {
  // the video card: open and go back are for everyone, editing for editors, a resend for admins
  "v:o": "viewer", "v:c": "viewer", "v:t": "editor", "v:a": "editor", "v:x": "editor", "v:w": "editor", "v:n": "editor", "v:d": "editor",
  "v:g": "editor", "v:k": "editor", "v:h": "editor", "v:cv": "editor", "v:cx": "editor", "v:pu": "editor", "v:px": "editor", "v:pf": "admin",
  // search results
  "s:o": "viewer", "s:p": "viewer",
  // bulk edits of a search's results: dismissing is anyone's, the edits are editors'
  "b:n": "viewer", "b:z": "editor", "b:t": "editor", "b:yt": "editor", "b:u": "editor", "b:U": "editor", "b:yu": "editor", "b:c": "editor",
  "b:C": "editor", "b:yc": "editor", "b:v": "editor", "b:yv": "editor", "b:pu": "editor", "b:ypu": "editor",
  // the tag library
  "t:p": "editor", "t:o": "editor", "t:r": "editor",
  // the upload queue: looking is for editors, controlling it for admins
  "q:l": "editor", "q:P": "admin", "q:R": "admin", "q:F": "admin", "q:t": "admin", "q:x": "admin", "q:rs": "admin", "q:ms": "admin",
  // post offers and review decisions
  "p:uc": "admin", "p:mv": "admin", "p:no": "admin", "p:ua": "admin", "p:ma": "admin", "r:a": "admin", "r:x": "admin",
  // conversions and HLS exports
  "cv:f": "editor", "cv:r": "editor", "cv:x": "editor", "hx:l": "editor", "hx:v": "editor", "hx:c": "editor",
  // administration: categories, channels, settings, duplicates, audit, users, sync
  "c:l": "admin", "c:o": "admin", "c:n": "admin", "c:r": "admin", "c:d": "admin", "c:D": "admin", "c:m": "admin", "c:v": "admin", "cataud:pick": "admin",
  "ch:l": "admin", "ch:o": "admin", "ch:n": "admin", "ch:a": "admin", "ch:g": "admin", "ch:m": "admin", "ch:r": "admin", "ch:s": "admin",
  "st:x": "admin", "st:a": "admin", "st:u": "admin", "st:c": "admin", "st:p": "admin", "st:t": "admin", "st:y": "admin", "st:ct": "admin",
  "st:cd": "admin", "st:rc": "admin", "st:rv": "admin",
  "d:n": "admin", "d:N": "admin", "d:P": "admin", "d:a": "admin", "d:A": "admin", "d:k": "admin", "d:c": "admin", "d:r": "admin", "d:R": "admin",
  "d:x": "admin", "d:Y": "admin", "d:u": "admin",
  "au:p": "admin", "au:x": "admin",
  "u:l": "admin", "u:n": "admin", "u:o": "admin", "u:g": "admin", "u:x": "admin",
  "y:l": "admin", "y:a": "admin", "y:f": "admin", "y:r": "admin", "y:g": "admin",
  // the unreadable and missing files behind /status
  "lib:l": "viewer", "lib:p": "viewer",
};
const ANYONE = "anyone";
const EXPECTED_COMMANDS: Readonly<Record<string, Role | typeof ANYONE>> = {
  start: ANYONE, help: ANYONE, cancel: ANYONE, search: "viewer", status: "viewer",
  tags: "editor", undo: "editor", convert: "editor", scan: "editor", queue: "editor", stats: "editor", exports: "editor",
  categories: "admin", newcategory: "admin", channels: "admin", settings: "admin", abbreviations: "admin", dupes: "admin", trash: "admin",
  audit: "admin", users: "admin", sync: "admin", workers: "admin",
};

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };
const ORDER: readonly Role[] = ["viewer", "editor", "admin", "owner"];
const IDS = { admin: 3103, editor: 2102, viewer: 4104 } as const;
const NEWCOMER = 5105;
const SYSTEM = systemActor("test");
const catalogue = new ActionCatalogue(FEATURES);

/** Well-formed data for a button: zeros, except where a zero would make an allowed press refused for another reason. */
function sampleData(button: AnyButton): string {
  const required = Object.values(button.fields as Record<string, string>).filter((kind) => kind === "id").length;
  const samples: Readonly<Record<string, readonly number[]>> = {
    // an admin may give the editor role; giving the admin role is the owner's, and the service says so
    "u:g": [NEWCOMER, ROLES.indexOf("editor")],
  };
  const args = samples[button.key] ?? Array.from({ length: required }, () => 0);
  return [button.key, ...args].join(":");
}

describe("the permission matrix, generated from the declared buttons and commands", () => {
  test("every declared button and command has an expectation, and every expectation a declaration", () => {
    const declared = catalogue.allButtons().map((b) => `${b.key} ${b.needs}`).sort();
    expect(declared.map((d) => d.split(" ")[0]).sort()).toEqual(Object.keys(EXPECTED_BUTTONS).sort());
    expect([...catalogue.allCommands().keys()].sort()).toEqual(Object.keys(EXPECTED_COMMANDS).sort());
  });

  test("a button declared without a permission, or with an unknown one, is refused when the bot is built", () => {
    const broken = { key: "zz:q", feature: "zz", verb: "q", fields: {}, needs: undefined, pack: () => "zz:q", unpack: () => ({}) } as unknown as AnyButton;
    expect(() => new ActionCatalogue([{ name: "broken", buttons: [broken], commands: {}, prompts: [] }])).toThrow(/zz:q/u);
    expect(() => new ActionCatalogue([{ name: "broken", buttons: [], commands: { zz: "everything" as never }, prompts: [] }])).toThrow(/zz/u);
  });

  describe("through the real bot", () => {
    let h: PublishHarness;
    let people: Record<Role, EmulatedUser>;

    beforeEach(async () => {
      h = await startPublishHarness();
      for (const role of ["admin", "editor", "viewer"] as const) await h.app.services.roles.setRole(SYSTEM, IDS[role], role);
      people = {
        owner: h.admin,
        admin: h.emu.user({ id: IDS.admin, firstName: "Adil" }),
        editor: h.emu.user({ id: IDS.editor, firstName: "Ravi" }),
        viewer: h.emu.user({ id: IDS.viewer, firstName: "Vera" }),
      };
      // Each person has a message from the bot, so a press has something to edit.
      await Promise.all(ORDER.map(async (role) => {
        await people[role].send("/help");
        await people[role].waitForBotMessage(() => true);
      }));
    });
    afterEach(async () => {
      await h.stop();
    });

    test("every button × every role: refused below its role (audited), allowed from it on", async () => {
      const outcome: string[] = [];
      const expected: string[] = [];
      let refusals = 0;
      for (const button of catalogue.allButtons()) {
        const data = sampleData(button);
        const refused = await Promise.all(ORDER.map(async (role) => (await people[role].pressData(data)).text?.startsWith("🔒") === true));
        ORDER.forEach((role, i) => {
          if (refused[i] === true) refusals++;
          outcome.push(`${button.key} × ${role}: ${refused[i] === true ? "refused" : "allowed"}`);
          const min = EXPECTED_BUTTONS[button.key] ?? "owner";
          expected.push(`${button.key} × ${role}: ${RANK[role] >= RANK[min] ? "allowed" : "refused"}`);
        });
      }
      expect(outcome).toEqual(expected);
      expect(await h.app.services.audit.query(SYSTEM, { action: "access.refused" }, null, 2000)).toHaveLength(refusals);
      expect(h.emu.violations).toEqual([]);
    });

    test("every command × every role; every button the commands draw is a declared one", async () => {
      h.clip("Phy_L1.mp4");
      await h.scan();
      await h.app.services.catalog.addTags(await h.videoId("Phy_L1.mp4"), ["revision"], SYSTEM);
      const outcome: string[] = [];
      const expected: string[] = [];
      for (const command of catalogue.allCommands().keys()) {
        const refused = await Promise.all(ORDER.map(async (role) => {
          const user = people[role];
          // The first new message answers the command; a late edit of an earlier one (a live /scan) is not it.
          const before = Math.max(0, ...user.messages().map((m) => m.id));
          await user.send(`/${command}`);
          const reply = await user.waitForBotMessage((m) => m.id > before && m.from === "bot");
          // A dialogue started by the command is left, so the next command is not taken for an answer.
          // /scan answers with the totals, then follows the scan on a message of its own: let it finish first.
          if (command === "scan" && reply.text?.startsWith("🔒") !== true) await user.waitForBotMessage((m) => m.text?.startsWith("✅ Scan finished") === true);
          if (command === "newcategory") {
            const asked = Math.max(0, ...user.messages().map((m) => m.id));
            await user.send("/cancel");
            await user.waitForBotMessage((m) => m.id > asked && m.from === "bot");
          }
          return reply.text?.startsWith("🔒") === true;
        }));
        ORDER.forEach((role, i) => {
          outcome.push(`/${command} × ${role}: ${refused[i] === true ? "refused" : "allowed"}`);
          const want = EXPECTED_COMMANDS[command];
          expected.push(`/${command} × ${role}: ${want === ANYONE || (want !== undefined && RANK[role] >= RANK[want]) ? "allowed" : "refused"}`);
        });
      }
      expect(outcome).toEqual(expected);
      const drawn = new Set(h.emu.requests.flatMap((r) => callbackDataIn(r.params)));
      expect([...drawn].filter((d) => catalogue.buttonFor(d) === null)).toEqual([]);
      expect(drawn.size).toBeGreaterThan(20);
      expect(h.emu.violations).toEqual([]);
    });
  });
});

/** The callback data of every inline button in a request's parameters. */
function callbackDataIn(params: unknown): string[] {
  if (params === null || typeof params !== "object") return [];
  const markup = (params as { reply_markup?: unknown }).reply_markup;
  const parsed: unknown = typeof markup === "string" ? JSON.parse(markup) : markup;
  const rows = (parsed as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard ?? [];
  return rows.flat().flatMap((b) => (b.callback_data === undefined ? [] : [b.callback_data]));
}
