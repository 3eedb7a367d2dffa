import { messageWithList } from "../../infra/telegram/limits.js";
import { Composer, GrammyError, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { encodeCallback } from "../callback-data/codec.js";
import { setCommandMenu } from "../command-menu.js";
import { escapeHtml, html } from "../format.js";
import { actorOf, EXPIRED, pressed, send, showInPlace, who } from "../views/respond.js";
import { label, type View } from "../views/view.js";
import { ROLES, type Role } from "../../entities/user.js";
import { mayManageRole } from "../../services/permissions.js";
import { parsePersonRef, type Person, type RoleChange } from "../../services/roles.js";

export const USERS = "u";
export const usersFeature = new Composer<BotContext>();

const ICON: Record<Role, string> = { owner: "👑", admin: "🛡", editor: "✏️", viewer: "👁" };
const WHAT: Record<Role, string> = {
  owner: "everything, and manages admins (set in ADMIN_IDS)",
  admin: "also publishes, deletes, and manages channels, categories, settings and users",
  editor: "also tags, categorises, converts and queues",
  viewer: "searches and watches",
};

const MAX_PEOPLE_BUTTONS = 90;

const article = (role: Role): string => (/^[aeiou]/u.test(role) ? "an" : "a");
const nameOf = (p: Person): string => (p.username === null ? p.name : `${p.name} (@${p.username})`);

async function listView(ctx: BotContext): Promise<View> {
  const people = await ctx.deps.services.roles.list(actorOf(ctx));
  const keyboard = new InlineKeyboard();
  const lines = people.map((p) => `${ICON[p.role ?? "viewer"]} ${escapeHtml(nameOf(p))} — ${p.role ?? "no access"} · id ${p.id}`);
  let buttons = 0;
  for (const p of people) {
    // Telegram allows 100 buttons on a message; past that, a person is managed by sending their id to ➕.
    if (buttons >= MAX_PEOPLE_BUTTONS) break;
    if (p.role !== null && p.role !== "owner" && mayManageRole(ctx.role ?? "viewer", p.role)) {
      keyboard.text(label(`${ICON[p.role]} ${nameOf(p)}`, 50), encodeCallback(USERS, "o", p.id)).row();
      buttons++;
    }
  }
  keyboard.text("➕ Add a person", encodeCallback(USERS, "n"));
  const roles = ROLES.map((r) => `${ICON[r]} <b>${r}</b>: ${WHAT[r]}`);
  return { text: messageWithList(`👥 <b>People with access (${people.length})</b>`, lines, `\n${roles.join("\n")}`, { more: (n) => `… and ${n} more ${n === 1 ? "person" : "people"}` }), keyboard };
}

function personView(ctx: BotContext, person: Person): View {
  const keyboard = new InlineKeyboard();
  ROLES.forEach((role, i) => {
    if (role !== "owner" && mayManageRole(ctx.role ?? "viewer", role)) {
      keyboard.text(person.role === role ? `✓ ${role}` : role, encodeCallback(USERS, "g", person.id, i));
    }
  });
  keyboard.row();
  if (person.role !== null) keyboard.text("🚫 Remove access", encodeCallback(USERS, "x", person.id)).row();
  keyboard.text("← People", encodeCallback(USERS, "l"));
  const now = person.role === null ? "has no access yet" : `is ${article(person.role)} ${person.role}`;
  return { text: html`${nameOf(person)} (id ${person.id}) ${now}.` + "\nChoose their role:", keyboard };
}

/** Tells the person about their new role and gives them the matching command menu. */
async function tellPerson(ctx: BotContext, person: Person, role: Role | null): Promise<void> {
  await setCommandMenu(ctx.api, person.id, role, ctx.deps.logger);
  const text = role === null ? "Your access to vidlib was removed." : `🔑 You now have the ${role} role in vidlib: ${WHAT[role]}. /help lists what you can do.`;
  try {
    await ctx.api.sendMessage(person.id, text);
  } catch (error) {
    // They have not started the bot yet; they see their role when they do.
    if (!(error instanceof GrammyError)) throw error;
  }
}

function changeText(change: RoleChange, role: Role | null): string {
  switch (change.kind) {
    case "owner": return "Owners are set in the configuration (ADMIN_IDS); their role cannot be changed here.";
    case "self": return "You cannot change your own role; ask another administrator.";
    case "unchanged": return html`${nameOf(change.person)} already has that role.`;
    case "changed": return role === null ? html`${nameOf(change.person)} no longer has access.` : html`${nameOf(change.person)} is now ${article(role)} ${role}.`;
  }
}

/** A person named while adding one (typed id or @username, or a forwarded message): show their role choices. */
async function onPersonNamed(ctx: BotContext, ref: { id: number; name?: string } | { username: string }): Promise<void> {
  const found = await ctx.deps.services.roles.find(actorOf(ctx), ref);
  if (!found.ok) {
    await ctx.reply(html`No one called @${"username" in ref ? ref.username : ""} has started this bot. Ask them to send /start to the bot, or send their numeric user id, or forward a message from them. /cancel stops.`, { parse_mode: "HTML" });
    return;
  }
  await ctx.deps.services.chat.clearPrompt(who(ctx).chatId);
  await send(ctx, personView(ctx, found.person));
}

/** Text typed after ➕ Add a person. */
export async function onTypedPerson(ctx: BotContext, text: string): Promise<void> {
  const ref = parsePersonRef(text);
  if (ref === null) {
    await ctx.reply("Send the person's numeric user id, their @username, or forward a message from them. /cancel stops.");
    return;
  }
  await onPersonNamed(ctx, ref);
}

usersFeature.command("users", async (ctx) => {
  await send(ctx, await listView(ctx));
});

usersFeature.chatType("private").on("message:forward_origin", async (ctx, next) => {
  const prompt = await ctx.deps.services.chat.prompt(who(ctx).chatId);
  const origin = ctx.message.forward_origin;
  if (prompt?.kind !== "add-user" || (origin.type !== "user" && origin.type !== "hidden_user")) return next();
  if (origin.type === "hidden_user") {
    await ctx.reply("That person hides their account in forwarded messages, so I cannot see who they are. Ask them for their user id (the bot tells them when they send it a message), and send it here.");
    return;
  }
  if (origin.sender_user.is_bot) {
    await ctx.reply("That message is from a bot; roles are for people.");
    return;
  }
  await onPersonNamed(ctx, { id: origin.sender_user.id, name: origin.sender_user.first_name });
});

usersFeature.callbackQuery(/^u:/, async (ctx) => {
  const button = pressed(ctx, USERS);
  const [id, roleIndex] = button?.ids ?? [];
  const { roles, chat } = ctx.deps.services;
  const actor = actorOf(ctx);
  switch (button?.data.verb) {
    case "l":
      await ctx.answerCallbackQuery();
      return showInPlace(ctx, await listView(ctx));
    case "n":
      await ctx.answerCallbackQuery();
      await chat.setPrompt(who(ctx).chatId, { kind: "add-user" });
      await ctx.reply("Who should get access? Send their numeric user id, their @username (they must have started this bot), or forward a message from them. /cancel stops.");
      return;
    case "o": {
      const found = id === undefined ? null : await roles.find(actor, { id });
      await ctx.answerCallbackQuery();
      if (found?.ok === true) await showInPlace(ctx, personView(ctx, found.person));
      return;
    }
    case "g":
    case "x": {
      const role = button.data.verb === "x" ? null : ROLES[roleIndex ?? -1];
      if (id === undefined || role === undefined || role === "owner") return void (await ctx.answerCallbackQuery({ text: EXPIRED }));
      const change = await roles.setRole(actor, id, role);
      await ctx.answerCallbackQuery({ text: change.kind === "changed" ? "Saved" : "Nothing changed" });
      if (change.kind === "changed") await tellPerson(ctx, change.person, role);
      const list = await listView(ctx);
      return showInPlace(ctx, { text: `${changeText(change, role)}\n\n${list.text}`, keyboard: list.keyboard });
    }
    default:
      await ctx.answerCallbackQuery({ text: EXPIRED });
  }
});
