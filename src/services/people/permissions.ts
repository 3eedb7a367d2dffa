import type { Role } from "../../entities/user.js";
import type { Actor } from "./actor.js";

/**
 * Everything a person can be allowed to do. A viewer searches and watches; an editor also tags,
 * categorises, converts and queues; an admin also publishes, deletes, and manages channels,
 * categories, settings and users; an owner also manages admins.
 */
export const PERMISSIONS = {
  browse: "viewer",        // search, inline search, open cards and the MP4s, library totals
  tag: "editor",           // tags on a video or many, tag renames and merges, undo of a bulk edit
  categorise: "editor",    // a video's category, one or many
  convert: "editor",       // conversions to MP4: request, cancel, retry
  export: "editor",        // HLS exports for the organisation's web player
  queue: "editor",         // put videos in the upload queue; cancel what one queued oneself
  scan: "editor",          // scan the library folders now
  history: "editor",       // a video's change history
  stats: "editor",         // search and publishing statistics
  publish: "admin",        // queue control, review decisions, resends, caption updates and moves
  delete: "admin",         // duplicate clean-up, the trash
  sync: "admin",           // sync folders: register, run, and move files that left the source to the trash
  channels: "admin",
  categories: "admin",     // create, rename, delete, review first
  settings: "admin",       // /settings and search abbreviations
  users: "admin",          // grant and revoke the editor and viewer roles
  audit: "admin",
  workers: "admin",        // the processes that run jobs (/workers)
  admins: "owner",         // grant and revoke the admin role
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof PERMISSIONS;

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };

/** True when a role may do this. */
export function can(role: Role | null, permission: Permission): boolean {
  return role !== null && RANK[role] >= RANK[PERMISSIONS[permission]];
}

/** The lowest role allowed to do this, for messages. */
export function roleFor(permission: Permission): Role {
  return PERMISSIONS[permission];
}

/** An action refused because of the role; the bot turns it into a short answer and an audit record. */
export class Forbidden extends Error {
  constructor(readonly permission: Permission, readonly role: Role) {
    super(`the ${role} role may not ${permission}`);
    this.name = "Forbidden";
  }
}

/** Throws Forbidden unless the actor may do this; vidlib itself (a system actor) may do anything. */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (actor.kind === "system") return;
  if (!can(actor.role, permission)) throw new Forbidden(permission, actor.role);
}

/** Whether someone with `by` may give or take away `role`: admins manage editors and viewers, owners also admins. */
export function mayManageRole(by: Role, role: Role): boolean {
  if (role === "owner") return false;
  return can(by, role === "admin" ? "admins" : "users");
}
