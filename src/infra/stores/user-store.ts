import type { DataSource, Repository } from "typeorm";
import { User } from "../../entities/user.js";
import type { TelegramPerson, UserStore } from "../../services/access.js";

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

  async markRefused(telegramId: number, now: number): Promise<void> {
    await this.repo.update({ telegramId }, { refusedAt: now });
  }
}
