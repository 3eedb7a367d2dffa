import type { Category } from "../entities/category.js";
import type { Actor } from "./actor.js";
import type { AuditService } from "./audit.js";
import type { Clock } from "./clock.js";

export const DEFAULT_AUDIENCES = ["students", "staff"] as const;
const MAX_NAME = 64;

export interface CategoryStore {
  findByKey(key: string): Promise<Category | null>;
  insert(category: Omit<Category, "id">): Promise<Category>;
  list(): Promise<Category[]>;
}

export type CategoryProblem =
  | { readonly kind: "empty-name" }
  | { readonly kind: "name-too-long"; readonly max: number }
  | { readonly kind: "bad-audience" }
  | { readonly kind: "exists"; readonly existing: string };

export type CreateResult = { readonly ok: true; readonly category: Category } | { readonly ok: false; readonly problem: CategoryProblem };

export const categoryKey = (name: string): string => name.trim().replace(/\s+/g, " ").toLocaleLowerCase("en");

/** Audiences are short lower-case labels such as "students" or "staff". */
export function normaliseAudience(raw: string): string | null {
  const audience = raw.trim().toLocaleLowerCase("en");
  return /^[\p{L}\p{N}][\p{L}\p{N} _-]{0,31}$/u.test(audience) ? audience : null;
}

/** What is wrong with a proposed category name, or null when it is fine. */
export function categoryNameProblem(name: string): CategoryProblem | null {
  const cleaned = name.trim().replace(/\s+/g, " ");
  if (cleaned === "") return { kind: "empty-name" };
  if ([...cleaned].length > MAX_NAME) return { kind: "name-too-long", max: MAX_NAME };
  return null;
}

/** Creates and lists the library's categories. */
export class CategoryService {
  constructor(private readonly store: CategoryStore, private readonly audit: AuditService, private readonly clock: Clock) {}

  /** Creates a category with an audience, unless the name is invalid or taken. */
  async create(name: string, audienceRaw: string, actor: Actor): Promise<CreateResult> {
    const problem = categoryNameProblem(name);
    if (problem !== null) return { ok: false, problem };
    const audience = normaliseAudience(audienceRaw);
    if (audience === null) return { ok: false, problem: { kind: "bad-audience" } };
    const displayName = name.trim().replace(/\s+/g, " ");
    const existing = await this.store.findByKey(categoryKey(displayName));
    if (existing !== null) return { ok: false, problem: { kind: "exists", existing: existing.name } };
    const category = await this.store.insert({ name: displayName, key: categoryKey(displayName), audience, createdAt: this.clock.now() });
    await this.audit.record({ actor, action: "category.create", target: { type: "category", id: category.id }, after: { name: category.name, audience } });
    return { ok: true, category };
  }

  /** Whether a name is already used by a category (case-insensitively). */
  async exists(name: string): Promise<boolean> {
    return (await this.store.findByKey(categoryKey(name))) !== null;
  }

  /** All categories, by name. */
  list(): Promise<Category[]> {
    return this.store.list();
  }
}
