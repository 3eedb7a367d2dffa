import type { Role, User } from "../../entities/user.js";
import type { Clock } from "../shared/clock.js";

export interface TelegramPerson {
  readonly id: number;
  readonly username?: string | undefined;
  readonly first_name: string;
}

export interface UserStore {
  find(telegramId: number): Promise<User | null>;
  /** Creates the user or refreshes their name and last-seen time. */
  saveSeen(person: TelegramPerson, now: number): Promise<User>;
  markRefused(telegramId: number, now: number): Promise<void>;
  findByUsername(username: string): Promise<User | null>;
  /** Everyone with a granted role. */
  withRoles(): Promise<User[]>;
  /** Grants or (null) revokes a role; creates the person when they have not written to the bot yet. */
  setRole(telegramId: number, role: Role | null, now: number): Promise<void>;
  /** Records the name of someone not met yet (from a forwarded message), so lists show it; no access is given. */
  remember(telegramId: number, firstName: string, now: number): Promise<void>;
}

/** A stranger is told no at most once in this period, so the bot cannot be used to spam. */
export const REFUSAL_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** Decides who may use the bot: the owners in ADMIN_IDS, and the users they grant a role. */
export class AccessService {
  private readonly owners: ReadonlySet<number>;

  constructor(private readonly users: UserStore, ownerIds: readonly number[], private readonly clock: Clock) {
    this.owners = new Set(ownerIds);
  }

  /** Records that a person spoke to the bot and returns their role; null means no access. */
  async identify(person: TelegramPerson): Promise<Role | null> {
    const user = await this.users.saveSeen(person, this.clock.now());
    if (this.owners.has(person.id)) return "owner";
    return user.role;
  }

  /** A person's role right now, or null without access; owners come from ADMIN_IDS. */
  async roleOf(telegramId: number): Promise<Role | null> {
    if (this.owners.has(telegramId)) return "owner";
    return (await this.users.find(telegramId))?.role ?? null;
  }

  /** Who gets admin notices: the owners, then the admins. */
  async noticeRecipients(): Promise<number[]> {
    const admins = (await this.users.withRoles()).filter((u) => u.role === "admin" && !this.owners.has(u.telegramId)).map((u) => u.telegramId);
    return [...this.owners, ...admins];
  }

  /** True when a stranger should be told (once) that the bot is private; records the refusal. */
  async claimRefusal(telegramId: number): Promise<boolean> {
    const user = await this.users.find(telegramId);
    const now = this.clock.now();
    if (user?.refusedAt != null && now - user.refusedAt < REFUSAL_INTERVAL_MS) return false;
    await this.users.markRefused(telegramId, now);
    return true;
  }
}
