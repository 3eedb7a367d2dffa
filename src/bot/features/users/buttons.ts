import { defineButton } from "../../callback-data/button.js";

/** People and their roles (/users). `roleIndex` is an index in ROLES; the service checks who may grant which role. */
export const USER_BUTTONS = {
  list: defineButton("u", "l", "users"),
  add: defineButton("u", "n", "users"),
  open: defineButton("u", "o", "users", { personId: "id" }),
  grant: defineButton("u", "g", "users", { personId: "id", roleIndex: "id" }),
  revoke: defineButton("u", "x", "users", { personId: "id" }),
} as const;
