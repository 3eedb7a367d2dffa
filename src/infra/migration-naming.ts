import { DefaultNamingStrategy } from "typeorm";

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
