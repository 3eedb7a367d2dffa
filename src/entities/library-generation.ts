import { Column, Entity, PrimaryColumn } from "typeorm";

/**
 * The one-row counter that triggers on `video` bump on every insert, update and delete, so the scanner
 * rereads its in-memory index only when the library changed. The row's `CHECK ("id" = 1)` is written
 * inline without a name, and TypeORM only knows named checks, so it is left out here; the triggers are
 * not part of what entities describe either.
 */
@Entity({ name: "library_generation" })
export class LibraryGeneration {
  @PrimaryColumn({ type: "integer" })
  id!: number;

  @Column({ type: "integer" })
  n!: number;
}
