import { DefaultNamingStrategy, type Table } from "typeorm";

/**
 * Foreign-key names as the migrations left them, so the entities describe the schema exactly. Every
 * migration after the first declares its foreign keys inline (`"video_id" integer NOT NULL REFERENCES
 * "video" ("id") ON DELETE CASCADE`), which SQLite keeps without a name, and TypeORM reads them back
 * unnamed; so a foreign key is unnamed here too, unless its @JoinColumn states the name (the first
 * migration's keys, which TypeORM named). The schema only ever comes from the hand-written migrations,
 * so this name is never used to create a constraint.
 */
export class MigrationNamingStrategy extends DefaultNamingStrategy {
  override foreignKeyName(): string {
    // TypeORM types the name as a string, but a loaded table's foreign key has `name: string | undefined`.
    return undefined as unknown as string;
  }
}

/**
 * On PostgreSQL an unnamed foreign key gets the name PostgreSQL gives an inline REFERENCES
 * (`<table>_<column>_fkey`), which is what the PostgreSQL baseline leaves; named ones keep their names.
 */
export class PostgresNamingStrategy extends DefaultNamingStrategy {
  override foreignKeyName(tableOrName: Table | string, columnNames: string[]): string {
    const table = this.getTableName(tableOrName).split(".").at(-1) ?? "";
    return `${table}_${columnNames.join("_")}_fkey`;
  }
}
