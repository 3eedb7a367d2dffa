import { InlineKeyboard } from "grammy";
import { messageWithList } from "../../../infra/telegram/limits.js";
import { escapeHtml, html } from "../../format.js";
import { label, type View } from "../../views/view.js";
import { ROLES, type Role } from "../../../entities/user.js";
import { mayManageRole } from "../../../services/people/permissions.js";
import type { Person, RoleChange } from "../../../services/people/roles.js";
import { USER_BUTTONS } from "./buttons.js";

const ICON: Record<Role, string> = { owner: "👑", admin: "🛡", editor: "✏️", viewer: "👁" };
export const WHAT: Record<Role, string> = {
  owner: "everything, and manages admins (set in ADMIN_IDS)",
  admin: "also publishes, deletes, and manages channels, categories, settings and users",
  editor: "also tags, categorises, converts and queues",
  viewer: "searches and watches",
};

const MAX_PEOPLE_BUTTONS = 90;

const article = (role: Role): string => (/^[aeiou]/u.test(role) ? "an" : "a");
const nameOf = (p: Person): string => (p.username === null ? p.name : `${p.name} (@${p.username})`);

/** Everyone with access (and who has asked), with a button for each person the viewer may manage. */
export function listView(people: readonly Person[], viewerRole: Role): View {
  const keyboard = new InlineKeyboard();
  const lines = people.map((p) => `${ICON[p.role ?? "viewer"]} ${escapeHtml(nameOf(p))} — ${p.role ?? "no access"} · id ${p.id}`);
  let buttons = 0;
  for (const p of people) {
    // Telegram allows 100 buttons on a message; past that, a person is managed by sending their id to ➕.
    if (buttons >= MAX_PEOPLE_BUTTONS) break;
    if (p.role !== null && p.role !== "owner" && mayManageRole(viewerRole, p.role)) {
      keyboard.text(label(`${ICON[p.role]} ${nameOf(p)}`, 50), USER_BUTTONS.open.pack({ personId: p.id })).row();
      buttons++;
    }
  }
  keyboard.text("➕ Add a person", USER_BUTTONS.add.pack({}));
  const roles = ROLES.map((r) => `${ICON[r]} <b>${r}</b>: ${WHAT[r]}`);
  return { text: messageWithList(`👥 <b>People with access (${people.length})</b>`, lines, `\n${roles.join("\n")}`, { more: (n) => `… and ${n} more ${n === 1 ? "person" : "people"}` }), keyboard };
}

/** One person: the roles the viewer may give them, and removing their access. */
export function personView(person: Person, viewerRole: Role): View {
  const keyboard = new InlineKeyboard();
  ROLES.forEach((role, roleIndex) => {
    if (role !== "owner" && mayManageRole(viewerRole, role)) {
      keyboard.text(person.role === role ? `✓ ${role}` : role, USER_BUTTONS.grant.pack({ personId: person.id, roleIndex }));
    }
  });
  keyboard.row();
  if (person.role !== null) keyboard.text("🚫 Remove access", USER_BUTTONS.revoke.pack({ personId: person.id })).row();
  keyboard.text("← People", USER_BUTTONS.list.pack({}));
  const now = person.role === null ? "has no access yet" : `is ${article(person.role)} ${person.role}`;
  return { text: html`${nameOf(person)} (id ${person.id}) ${now}.` + "\nChoose their role:", keyboard };
}

export function changeText(change: RoleChange, role: Role | null): string {
  switch (change.kind) {
    case "owner": return "Owners are set in the configuration (ADMIN_IDS); their role cannot be changed here.";
    case "self": return "You cannot change your own role; ask another administrator.";
    case "unchanged": return html`${nameOf(change.person)} already has that role.`;
    case "changed": return role === null ? html`${nameOf(change.person)} no longer has access.` : html`${nameOf(change.person)} is now ${article(role)} ${role}.`;
  }
}
