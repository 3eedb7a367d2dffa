/** Work a process can take on besides the primary's own (the bot, uploads, scans, schedules): each a set of job kinds. */
export const WORK_ROLES = ["convert", "export"] as const;
export type WorkRole = (typeof WORK_ROLES)[number];

/** A comma-separated role list ("convert,export"); `none` is the empty list. The problem names what is wrong. */
export function parseWorkRoles(raw: string): { roles: WorkRole[] } | { problem: string } {
  const names = raw.split(",").map((r) => r.trim().toLowerCase()).filter((r) => r !== "");
  if (names.length === 1 && names[0] === "none") return { roles: [] };
  if (names.length === 0) return { problem: "name at least one role (convert, export), or none" };
  const wrong = names.filter((r) => !(WORK_ROLES as readonly string[]).includes(r));
  if (wrong.length > 0) return { problem: `unknown role: ${wrong.join(", ")} (the roles are ${WORK_ROLES.join(", ")}, or none)` };
  return { roles: [...new Set(names)] as WorkRole[] };
}
