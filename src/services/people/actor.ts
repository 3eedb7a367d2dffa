import type { Role } from "../../entities/user.js";

/**
 * Who did something, as recorded: a person by Telegram id, or a part of vidlib itself by name.
 * Stored jobs and audit rows keep this; it carries no authority.
 */
export type ActorRef = { readonly kind: "user"; readonly id: number } | { readonly kind: "system"; readonly name: string };

/**
 * Who is acting now: a person with the role the access gate looked up for this very update, or vidlib
 * itself. Services check the role on every action, so a stale button from a demoted person is refused.
 */
export type Actor = { readonly kind: "user"; readonly id: number; readonly role: Role } | { readonly kind: "system"; readonly name: string };

export const userActor = (id: number, role: Role): Actor => ({ kind: "user", id, role });
export const systemActor = (name: string): Actor => ({ kind: "system", name });

export function actorId(actor: ActorRef): string {
  return actor.kind === "user" ? String(actor.id) : actor.name;
}

/** The stored form back: `actorId` and the kind it was stored with. */
export function actorRefOf(kind: string, id: string): ActorRef {
  return kind === "user" ? { kind: "user", id: Number(id) } : { kind: "system", name: id };
}
