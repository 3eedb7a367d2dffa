import type { DataSource } from "typeorm";
import { Video } from "../../../entities/video.js";
import type { LibraryFolder } from "../../../services/library/folders.js";
import type { FolderNaming } from "../../../services/processes/library-marks.js";
import { inTransaction } from "./transaction.js";

/** Names the videos' folders from the primary's configuration: by the folder's path (`root`), which a rename in LIBRARY_ROOTS keeps. */
export class TypeormFolderNaming implements FolderNaming {
  constructor(private readonly dataSource: DataSource) {}

  async nameFolders(folders: readonly LibraryFolder[]): Promise<number> {
    if (folders.length === 0) return 0;
    return inTransaction(this.dataSource, async (manager) => {
      let changed = 0;
      for (const { name, path } of folders) {
        const result = await manager.createQueryBuilder().update(Video).set({ folder: name })
          .where("root = :path AND (folder IS NULL OR folder <> :name)", { path, name }).execute();
        changed += result.affected ?? 0;
      }
      return changed;
    });
  }
}
