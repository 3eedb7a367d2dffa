import { Composer, GrammyError } from "grammy";
import { z } from "zod";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { onButton } from "../../callback-data/on-button.js";
import { definePrompt } from "../../prompts/define-prompt.js";
import type { CommandMenu } from "../../command-menu.js";
import { html } from "../../format.js";
import { actorOf, EXPIRED, send, showInPlace } from "../../views/respond.js";
import { ROLES, type Role } from "../../../entities/user.js";
import type { Logger } from "../../../infra/logging/logger.js";
import { parsePersonRef, type Person, type RoleService } from "../../../services/people/roles.js";
import { USER_BUTTONS } from "./buttons.js";
import { changeText, listView, personView, WHAT } from "./views.js";

const viewerRole = (ctx: BotContext): Role => ctx.role ?? "viewer";

/** Tells the person about their new role and gives them the matching command menu. */
async function tellPerson(ctx: BotContext, logger: Logger, menu: CommandMenu, person: Person, role: Role | null): Promise<void> {
  await menu.set(ctx.api, person.id, role, logger);
  const text = role === null ? "Your access to vidlib was removed." : `🔑 You now have the ${role} role in vidlib: ${WHAT[role]}. /help lists what you can do.`;
  try {
    await ctx.api.sendMessage(person.id, text);
  } catch (error) {
    // They have not started the bot yet; they see their role when they do.
    if (!(error instanceof GrammyError)) throw error;
  }
}

/** A person named while adding one (typed id or @username, or a forwarded message): show their role choices. */
async function onPersonNamed(ctx: BotContext, roles: RoleService, ref: { id: number; name?: string } | { username: string }): Promise<void> {
  const found = await roles.find(actorOf(ctx), ref);
  if (!found.ok) {
    await ctx.reply(html`No one called @${"username" in ref ? ref.username : ""} has started this bot. Ask them to send /start to the bot, or send their numeric user id, or forward a message from them. /cancel stops.`);
    return;
  }
  await ctx.prompt.clear();
  await send(ctx, personView(found.person, viewerRole(ctx)));
}

/** Text typed after ➕ Add a person: their id or @username. */
function addUserPrompt(roles: RoleService) {
  return definePrompt("add-user", z.object({}), async (ctx, _state, text) => {
    const ref = parsePersonRef(text);
    if (ref === null) {
      await ctx.reply("Send the person's numeric user id, their @username, or forward a message from them. /cancel stops.");
      return;
    }
    await onPersonNamed(ctx, roles, ref);
  });
}

/** A message forwarded while ➕ Add a person is pending names its sender. */
function forwardedPerson(composer: Composer<BotContext>, roles: RoleService): void {
  composer.chatType("private").on("message:forward_origin", async (ctx, next) => {
    const prompt = await ctx.prompt.pending();
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
    await onPersonNamed(ctx, roles, { id: origin.sender_user.id, name: origin.sender_user.first_name });
  });
}

/** /users: who may use vidlib, and with which role. */
export const usersFeature = defineFeature({
  name: "users",
  uses: ["roles", "logger", "menu"],
  commands: { users: "users" },
  buttons: Object.values(USER_BUTTONS),
  prompts: ["add-user"],
  create({ roles, logger, menu }) {
    const composer = new Composer<BotContext>();
    const addUser = addUserPrompt(roles);
    const list = async (ctx: BotContext) => listView(await roles.list(actorOf(ctx)), viewerRole(ctx));
    /** Gives a role (or, with null, removes access), then shows the list with what happened above it. */
    const setRole = async (ctx: BotContext, personId: number, role: Role | null) => {
      const change = await roles.setRole(actorOf(ctx), personId, role);
      await ctx.answerCallbackQuery({ text: change.kind === "changed" ? "Saved" : "Nothing changed" });
      if (change.kind === "changed") await tellPerson(ctx, logger, menu, change.person, role);
      const shown = await list(ctx);
      await showInPlace(ctx, { text: `${changeText(change, role)}\n\n${shown.text}`, keyboard: shown.keyboard });
    };

    composer.command("users", async (ctx) => {
      await send(ctx, await list(ctx));
    });
    forwardedPerson(composer, roles);
    onButton(composer, USER_BUTTONS.list, async (ctx) => {
      await ctx.answerCallbackQuery();
      await showInPlace(ctx, await list(ctx));
    });
    onButton(composer, USER_BUTTONS.add, async (ctx) => {
      await ctx.answerCallbackQuery();
      await addUser.ask(ctx, {});
      await ctx.reply("Who should get access? Send their numeric user id, their @username (they must have started this bot), or forward a message from them. /cancel stops.");
    });
    onButton(composer, USER_BUTTONS.open, async (ctx, { personId }) => {
      const found = await roles.find(actorOf(ctx), { id: personId });
      await ctx.answerCallbackQuery();
      if (found.ok) await showInPlace(ctx, personView(found.person, viewerRole(ctx)));
    });
    onButton(composer, USER_BUTTONS.grant, async (ctx, { personId, roleIndex }) => {
      const role = ROLES[roleIndex];
      if (role === undefined || role === "owner") return void (await ctx.answerCallbackQuery({ text: EXPIRED }));
      await setRole(ctx, personId, role);
    });
    onButton(composer, USER_BUTTONS.revoke, async (ctx, { personId }) => {
      await setRole(ctx, personId, null);
    });
    composer.use(addUser.middleware);
    return composer;
  },
});
