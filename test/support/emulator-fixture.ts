import { Api, GrammyError } from "grammy";
import { TelegramEmulator, type EmulatedUser, type EmulatorOptions } from "./telegram/index.js";

export const ALICE_CHAT = 1001;

/** A fresh emulator, a bot-side Api talking to it, and one user, Alice, who has started the bot. */
export async function startEmulatorWithAlice(options: EmulatorOptions = {}): Promise<{ emu: TelegramEmulator; api: Api; alice: EmulatedUser }> {
  const emu = await TelegramEmulator.start(options);
  const api = new Api(emu.token, { apiRoot: emu.apiRoot });
  const alice = emu.user({ id: ALICE_CHAT, firstName: "Alice", username: "alice" });
  return { emu, api, alice };
}

/** Telegram's description of why a call was refused; fails the test if the call succeeded. */
export async function failureOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof GrammyError)) throw new Error(`expected a GrammyError, got ${String(error)}`);
  return error.description;
}
