import type { Role, User } from "../../entities/user.js";
import type { Actor } from "./actor.js";
import type { AuditService } from "../audit/audit.js";
import type { Clock } from "../shared/clock.js";
import type { UserStore } from "./access.js";
import { Forbidden, mayManageRole, requirePermission } from "./permissions.js";

export interface Person {
  readonly id: number;
  readonly name: string;
  readonly username: string | null;
  readonly role: Role | null;
}

export type PersonRef = { readonly id: number; readonly name?: string } | { readonly username: string };

export type FindPerson = { ok: true; person: Person } | { ok: false; problem: "unknown-username" };

export type RoleChange = { kind: "changed"; person: Person; before: Role | null } | { kind: "unchanged"; person: Person } | { kind: "owner" } | { kind: "self" };

/** A user id (digits) or an @username, as typed; null when it is neither. */
export function parsePersonRef(text: string): PersonRef | null {
  const trimmed = text.trim();
  if (/^\d{1,15}$/.test(trimmed)) return { id: Number(trimmed) };
  const name = /^(?:@|https?:\/\/t\.me\/|t\.me\/)?([A-Za-z][A-Za-z0-9_]{3,31})$/.exec(trimmed)?.[1];
  return name === undefined ? null : { username: name };
}

const displayName = (user: User): string => user.firstName || (user.username === null ? `user ${user.telegramId}` : `@${user.username}`);

/** Who may use the bot, and with which role: granted and revoked by owners and admins, audited. */
export class RoleService {
  private readonly owners: ReadonlySet<number>;

  constructor(private readonly users: UserStore, ownerIds: readonly number[], private readonly audit: AuditService, private readonly clock: Clock) {
    this.owners = new Set(ownerIds);
  }

  private personOf(user: User): Person {
    return { id: user.telegramId, name: displayName(user), username: user.username, role: this.owners.has(user.telegramId) ? "owner" : user.role };
  }

  /** How a person is named in messages: their first name, else @username, else "user <id>". */
  async nameOf(telegramId: number): Promise<string> {
    const user = await this.users.find(telegramId);
    return user === null ? `user ${telegramId}` : displayName(user);
  }

  /** The owners, then everyone with a role, for /users. */
  async list(actor: Actor): Promise<Person[]> {
    requirePermission(actor, "users");
    const owners = await Promise.all([...this.owners].map(async (id) => {
      const user = await this.users.find(id);
      return user === null ? { id, name: `user ${id}`, username: null, role: "owner" as const } : this.personOf(user);
    }));
    const granted = (await this.users.withRoles()).filter((u) => !this.owners.has(u.telegramId)).map((u) => this.personOf(u));
    const rank: Record<Role, number> = { owner: 0, admin: 1, editor: 2, viewer: 3 };
    return [...owners, ...granted.sort((a, b) => rank[a.role ?? "viewer"] - rank[b.role ?? "viewer"] || a.name.localeCompare(b.name))];
  }

  /** Finds a person by id (they need not have written yet) or by the @username of someone who has. */
  async find(actor: Actor, ref: PersonRef): Promise<FindPerson> {
    requirePermission(actor, "users");
    if ("username" in ref) {
      const user = await this.users.findByUsername(ref.username);
      return user === null ? { ok: false, problem: "unknown-username" } : { ok: true, person: this.personOf(user) };
    }
    const user = await this.users.find(ref.id);
    if (user !== null) return { ok: true, person: this.personOf(user) };
    if (ref.name !== undefined) await this.users.remember(ref.id, ref.name, this.clock.now());
    return { ok: true, person: { id: ref.id, name: ref.name ?? `user ${ref.id}`, username: null, role: this.owners.has(ref.id) ? "owner" : null } };
  }

  /** Gives a person a role, or takes their access away (null). Admins manage editors and viewers; owners also admins. */
  async setRole(actor: Actor, targetId: number, role: Role | null): Promise<RoleChange> {
    requirePermission(actor, "users");
    if (this.owners.has(targetId)) return { kind: "owner" };
    if (actor.kind === "user" && actor.id === targetId) return { kind: "self" };
    const user = await this.users.find(targetId);
    const before = user?.role ?? null;
    const by: Role = actor.kind === "user" ? actor.role : "owner";
    if ((before !== null && !mayManageRole(by, before)) || (role !== null && !mayManageRole(by, role))) throw new Forbidden("admins", by);
    const person = user === null ? { id: targetId, name: `user ${targetId}`, username: null, role } : { ...this.personOf(user), role };
    if (before === role) return { kind: "unchanged", person };
    await this.users.setRole(targetId, role, this.clock.now());
    await this.audit.record({ actor, action: "user.role", target: { type: "user", id: targetId }, before, after: role });
    return { kind: "changed", person, before };
  }
}
