import { Column, Entity, PrimaryColumn } from "typeorm";

/**
 * The one-row counter that every write to the columns the scanner reads moves in its own transaction (the
 * scanner's, the duplicate clean-up's: see bumpLibraryGeneration), so the scanner rereads its in-memory index
 * only when the library changed, whichever process changed it. The row's `CHECK ("id" = 1)` is written
 * inline without a name, and TypeORM only knows named checks, so it is left out here.
 */
@Entity({ name: "library_generation" })
export class LibraryGeneration {
  @PrimaryColumn({ type: "integer" })
  id!: number;

  @Column({ type: "integer" })
  n!: number;
}
