import type { DataSource, Repository } from "typeorm";
import { Category } from "../../../entities/category.js";
import { Video } from "../../../entities/video.js";
import type { CategoryStore } from "../../../services/catalog/categories.js";
import { inTransaction } from "./transaction.js";

export class TypeormCategoryStore implements CategoryStore {
  private readonly repo: Repository<Category>;

  constructor(private readonly dataSource: DataSource) {
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
    const rows = await this.dataSource.getRepository(Video).createQueryBuilder("v")
      .select("v.category_id", "id").addSelect("count(*)", "n")
      .where("v.category_id IS NOT NULL").groupBy("v.category_id").getRawMany<{ id: number; n: number | string }>();
    // PostgreSQL returns count(*) as a string.
    return new Map(rows.map((r) => [Number(r.id), Number(r.n)]));
  }

  async videoIdsIn(id: number): Promise<number[]> {
    const rows = await this.dataSource.getRepository(Video).createQueryBuilder("v").select("v.id", "id").where("v.category_id = :id", { id }).getRawMany<{ id: number }>();
    return rows.map((r) => Number(r.id));
  }

  async reassignAndDelete(fromId: number, toId: number | null, now: number): Promise<void> {
    await inTransaction(this.dataSource, async (m) => {
      await m.createQueryBuilder().update(Video).set({ category: toId === null ? null : { id: toId }, updatedAt: now })
        .where("category_id = :fromId", { fromId }).execute();
      await m.delete(Category, { id: fromId });
    });
  }
}
