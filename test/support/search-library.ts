import type { DataSource } from "typeorm";
import { searchIndexFor } from "../../src/composition.js";
import { TypeormAuditStore } from "../../src/infra/database/stores/audit-store.js";
import { SqliteCatalogStore } from "../../src/infra/database/stores/catalog-store.js";
import { TypeormCategoryStore } from "../../src/infra/database/stores/category-store.js";
import { TypeormFollowUpStore } from "../../src/infra/database/stores/follow-up-store.js";
import { TypeormJobStore } from "../../src/infra/database/stores/job-store.js";
import { systemActor } from "../../src/services/people/actor.js";
import { AuditService } from "../../src/services/audit/audit.js";
import { CatalogService } from "../../src/services/catalog/catalog-service.js";
import { CategoryService } from "../../src/services/catalog/categories.js";
import { systemClock } from "../../src/services/shared/clock.js";
import { VideoFollowUps } from "../../src/services/follow-up/video-follow-ups.js";
import { JobQueue } from "../../src/services/jobs/job-queue.js";
import { DEFAULT_ABBREVIATIONS } from "../../src/services/search/abbreviations.js";
import { SearchService } from "../../src/services/search/search-service.js";
import { insertVideo } from "./videos.js";

/** A library's services on one database, with the search index the app would pick for it. */
export interface SearchLibrary {
  readonly search: SearchService;
  readonly catalog: CatalogService;
  readonly categories: CategoryService;
  /** File names by video id, for readable assertions (the names are unique). */
  readonly names: Map<number, string>;
  /** Adds a video as a scan would; its tags and category through the services, as people set them. */
  add(relativePath: string, options?: { tags?: readonly string[]; category?: string; status?: string }): Promise<number>;
  idOf(fileName: string): number;
}

const actor = systemActor("test");

export function searchLibrary(dataSource: DataSource): SearchLibrary {
  const audit = new AuditService(new TypeormAuditStore(dataSource), systemClock);
  const followUps = new VideoFollowUps(new TypeormFollowUpStore(dataSource), new JobQueue(new TypeormJobStore(dataSource), systemClock));
  const catalog = new CatalogService(new SqliteCatalogStore(dataSource), audit, systemClock, followUps);
  const categories = new CategoryService(new TypeormCategoryStore(dataSource), audit, systemClock, followUps);
  const search = new SearchService(searchIndexFor(dataSource), () => DEFAULT_ABBREVIATIONS);
  const names = new Map<number, string>();
  const categoryIds = new Map<string, { id: number; name: string }>();
  return {
    search, catalog, categories, names,
    async add(relativePath, options = {}) {
      const id = await insertVideo(dataSource, relativePath, options.status === undefined ? {} : { status: options.status });
      names.set(id, relativePath.split("/").pop() ?? relativePath);
      for (const tag of options.tags ?? []) await catalog.addTags(id, [tag], actor);
      if (options.category !== undefined) {
        let category = categoryIds.get(options.category);
        if (category === undefined) {
          const created = await categories.create(options.category, /staff/i.test(options.category) ? "staff" : "students", actor);
          if (!created.ok) throw new Error(`category ${options.category} not created`);
          categoryIds.set(options.category, (category = created.category));
        }
        await catalog.setCategory(id, category, actor);
      }
      return id;
    },
    idOf(fileName) {
      const found = [...names].find(([, n]) => n === fileName);
      if (found === undefined) throw new Error(`no video named ${fileName}`);
      return found[0];
    },
  };
}
