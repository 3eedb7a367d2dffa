import type { DataSource, Repository } from "typeorm";
import { Category } from "../../entities/category.js";
import type { CategoryStore } from "../../services/categories.js";

export class TypeormCategoryStore implements CategoryStore {
  private readonly repo: Repository<Category>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(Category);
  }

  findByKey(key: string): Promise<Category | null> {
    return this.repo.findOneBy({ key });
  }

  insert(category: Omit<Category, "id">): Promise<Category> {
    return this.repo.save(this.repo.create(category));
  }

  list(): Promise<Category[]> {
    return this.repo.find({ order: { key: "ASC" } });
  }

  byId(id: number): Promise<Category | null> {
    return this.repo.findOneBy({ id });
  }

  async setReviewFirst(id: number, on: boolean): Promise<void> {
    await this.repo.update({ id }, { reviewFirst: on });
  }

  async rename(id: number, name: string, key: string): Promise<void> {
    await this.repo.update({ id }, { name, key });
  }

  async usage(): Promise<Map<number, number>> {
    const rows = await this.repo.manager.query<{ id: number; n: number }[]>(`SELECT category_id AS id, count(*) AS n FROM video WHERE category_id IS NOT NULL GROUP BY category_id`);
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  async videoIdsIn(id: number): Promise<number[]> {
    return (await this.repo.manager.query<{ id: number }[]>(`SELECT id FROM video WHERE category_id = ?`, [id])).map((r) => r.id);
  }

  async reassignAndDelete(fromId: number, toId: number | null, now: number): Promise<void> {
    await this.repo.manager.transaction(async (m) => {
      await m.query(`UPDATE video SET category_id = ?, updated_at = ? WHERE category_id = ?`, [toId, now, fromId]);
      await m.query(`DELETE FROM category WHERE id = ?`, [fromId]);
    });
  }
}
