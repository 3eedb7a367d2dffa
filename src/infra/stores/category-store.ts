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
}
