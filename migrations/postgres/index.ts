import { PostgresBaseline1763600000025 } from "./1763600000025-PostgresBaseline.js";
import { PostgresProcessPresence1763600000027 } from "./1763600000027-ProcessPresence.js";
import { PostgresSearchIndex1763600000028 } from "./1763600000028-PostgresSearchIndex.js";
import { PostgresJobGroupRunning1763600000029 } from "./1763600000029-JobGroupRunning.js";
import { PostgresLibraryFolderNames1763600000030 } from "./1763600000030-LibraryFolderNames.js";
import { PostgresFolderLocks1763600000031 } from "./1763600000031-FolderLocks.js";

/**
 * PostgreSQL's migrations, oldest first: a baseline equal to the SQLite chain's schema at the time it was
 * written, then PostgreSQL's own steps. A schema change lands in both lists (migrations/index.ts for SQLite).
 */
// PlainCaptions1763600000026 changes only data that a new PostgreSQL database does not have (captions stored as HTML).
// PostgresSearchIndex1763600000028 and PostgresJobGroupRunning1763600000029 are PostgreSQL's alone: SQLite's search
// index is the FTS5 table of its own chain, and its claims cannot race (one writer at a time).
export const POSTGRES_MIGRATIONS = [PostgresBaseline1763600000025, PostgresProcessPresence1763600000027, PostgresSearchIndex1763600000028,
  PostgresJobGroupRunning1763600000029, PostgresLibraryFolderNames1763600000030, PostgresFolderLocks1763600000031];
