import type { DataSource, Repository } from "typeorm";
import { User, type Role } from "../../../entities/user.js";
import type { TelegramPerson, UserStore } from "../../../services/people/access.js";

export class TypeormUserStore implements UserStore {
  private readonly repo: Repository<User>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(User);
  }

  find(telegramId: number): Promise<User | null> {
    return this.repo.findOneBy({ telegramId });
  }

  async saveSeen(person: TelegramPerson, now: number): Promise<User> {
    const existing = await this.find(person.id);
    const user = existing ?? this.repo.create({ telegramId: person.id, role: null, firstSeenAt: now, refusedAt: null });
    user.username = person.username ?? null;
    user.firstName = person.first_name;
    user.lastSeenAt = now;
    return this.repo.save(user);
  }

  findByUsername(username: string): Promise<User | null> {
    // Telegram usernames are case-insensitive.
    return this.repo.createQueryBuilder("u").where("lower(u.username) = lower(:username)", { username }).getOne();
  }

  withRoles(): Promise<User[]> {
    return this.repo.createQueryBuilder("u").where("u.role IS NOT NULL").orderBy("u.first_name").getMany();
  }

  async setRole(telegramId: number, role: Role | null, now: number): Promise<void> {
    const existing = await this.find(telegramId);
    if (existing !== null) {
      await this.repo.update({ telegramId }, { role });
      return;
    }
    await this.repo.insert({ telegramId, username: null, firstName: "", role, firstSeenAt: now, lastSeenAt: now, refusedAt: null });
  }

  async remember(telegramId: number, firstName: string, now: number): Promise<void> {
    await this.repo.createQueryBuilder().insert().into(User)
      .values({ telegramId, username: null, firstName, role: null, firstSeenAt: now, lastSeenAt: now, refusedAt: null }).orIgnore().execute();
  }

  async markRefused(telegramId: number, now: number): Promise<void> {
    await this.repo.update({ telegramId }, { refusedAt: now });
  }
}
