import { Composer } from "grammy";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { EXPIRED } from "../../views/respond.js";
import { CARD_BUTTONS } from "./buttons.js";
import { CARD_USES } from "./card-button.js";
import { installCategory } from "./category.js";
import { installConversion } from "./conversion.js";
import { installNavigation } from "./navigation.js";
import { installPublishing } from "./publishing.js";
import { installTags } from "./tags.js";
import { TAGS_KIND } from "./tags-prompt.js";

/** A video's card and its panels: tags (typed or tapped), category, history, conversion and its upload. */
export const cardFeature = defineFeature({
  name: "card",
  uses: CARD_USES,
  commands: {},
  buttons: Object.values(CARD_BUTTONS),
  prompts: [TAGS_KIND],
  create(services) {
    const composer = new Composer<BotContext>();
    for (const install of [installNavigation, installTags, installCategory, installConversion, installPublishing]) install(composer, services);
    // A card button of a verb no longer drawn (an older version's) answers as the card always did.
    composer.callbackQuery(/^v:/u, async (ctx) => {
      await ctx.answerCallbackQuery({ text: EXPIRED });
    });
    return composer;
  },
});
