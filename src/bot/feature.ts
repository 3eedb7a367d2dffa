import type { Composer } from "grammy";
import type { AnyButton, Needs } from "./callback-data/button.js";
import type { BotContext, BotServices } from "./context.js";
import type { CommandMenu } from "./command-menu.js";

/** What features may be given: the app's services, and the command menu built from the features themselves. */
export type FeatureServices = BotServices & { readonly menu: CommandMenu };

/**
 * One feature of the bot: its commands and buttons (each with the permission it needs), and a factory
 * that builds its Composer from only the services it names. Features never import one another; a
 * feature may import another's `buttons.ts` to draw a button that feature answers.
 */
export interface Feature<S extends keyof FeatureServices = keyof FeatureServices> {
  readonly name: string;
  /** The services the feature is given; nothing else reaches it. */
  readonly uses: readonly S[];
  /** Every command it answers, with the permission each needs. */
  readonly commands: Readonly<Record<string, Needs>>;
  /** Every button it answers. */
  readonly buttons: readonly AnyButton[];
  /** The kinds of question (see prompts/define-prompt.ts) it asks and answers. */
  readonly prompts: readonly string[];
  create(services: Pick<FeatureServices, S>): Composer<BotContext>;
}

/** Declares a feature; `uses` fixes the services its factory may touch. */
export function defineFeature<const S extends keyof FeatureServices>(feature: Feature<S>): Feature<S> {
  return feature;
}

/** Only the named services, so a feature cannot reach others through the object it was given. */
export function servicesFor<S extends keyof FeatureServices>(all: FeatureServices, uses: readonly S[]): Pick<FeatureServices, S> {
  const picked: Partial<Pick<FeatureServices, S>> = {};
  for (const name of uses) picked[name] = all[name];
  return picked as Pick<FeatureServices, S>;
}
