import { PostgresBaseline1763600000025 } from "./1763600000025-PostgresBaseline.js";

/**
 * PostgreSQL's migrations, oldest first: a baseline equal to the SQLite chain's schema at the time it was
 * written, then PostgreSQL's own steps. A schema change lands in both lists (migrations/index.ts for SQLite).
 */
export const POSTGRES_MIGRATIONS = [PostgresBaseline1763600000025];
