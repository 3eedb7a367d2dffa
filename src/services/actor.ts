/** Who did something: a person by Telegram id, or a part of vidlib itself by name. */
export type Actor = { readonly kind: "user"; readonly id: number } | { readonly kind: "system"; readonly name: string };

export const userActor = (id: number): Actor => ({ kind: "user", id });
export const systemActor = (name: string): Actor => ({ kind: "system", name });

export function actorId(actor: Actor): string {
  return actor.kind === "user" ? String(actor.id) : actor.name;
}
