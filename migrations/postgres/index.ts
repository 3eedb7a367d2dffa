import { PostgresBaseline1763600000025 } from "./1763600000025-PostgresBaseline.js";
import { PostgresProcessPresence1763600000027 } from "./1763600000027-ProcessPresence.js";
import { PostgresJobGroupRunning1763600000028 } from "./1763600000028-JobGroupRunning.js";

/**
 * PostgreSQL's migrations, oldest first: a baseline equal to the SQLite chain's schema at the time it was
 * written, then PostgreSQL's own steps. A schema change lands in both lists (migrations/index.ts for SQLite).
 */
// PlainCaptions1763600000026 changes only data that a new PostgreSQL database does not have (captions stored as HTML).
export const POSTGRES_MIGRATIONS = [PostgresBaseline1763600000025, PostgresProcessPresence1763600000027, PostgresJobGroupRunning1763600000028];
