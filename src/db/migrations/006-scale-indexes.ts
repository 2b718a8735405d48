/**
 * Indexes for provincial scale (issue 8's benchmark, 1,000,000 persons):
 *
 * - a trigram GIN index on persons.name, so that a name-fragment search (`name ILIKE '%…%'`,
 *   what the list filter and the person picker send) over a whole city or the province does
 *   not read every person. It serves fragments of three characters or more (a full Chinese
 *   name); shorter fragments have no trigram, and the scope index (org_path, name, id) answers
 *   them inside a county — the filter is then evaluated on the index itself.
 *
 * - hour records by scope and by their list's default order (newest first): a county's list
 *   counts and sorts its rows on (org_path, created_at, id) without touching the table (the
 *   old scope index leads with status, which the plain list does not filter on, so the list
 *   and its count read all 5,000,000 rows); a province's or city's list walks (created_at, id).
 *
 * pg_trgm ships with PostgreSQL's contrib and with PGlite (loaded in src/db/embedded.ts). Where
 * a server lacks it (or the role may not create it), the migration leaves the index out: the
 * search stays correct, only slower, and nothing else depends on it.
 */
import { QueryTypes } from 'sequelize';
import type { Migration } from '../migrator.js';

export const migration: Migration = {
  name: '006-scale-indexes',
  async up(sequelize, transaction) {
    await sequelize.query(`
      CREATE INDEX IF NOT EXISTS hour_declarations_scope_created_idx ON hour_declarations (org_path text_pattern_ops, created_at, id);
      CREATE INDEX IF NOT EXISTS hour_declarations_created_idx ON hour_declarations (created_at, id);
    `, { transaction });
    const [available] = await sequelize.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'pg_trgm'", { type: QueryTypes.SELECT, transaction });
    if (!available?.n) return;
    await sequelize.query('SAVEPOINT trgm', { transaction });
    try {
      await sequelize.query('CREATE EXTENSION IF NOT EXISTS pg_trgm', { transaction });
      await sequelize.query('CREATE INDEX IF NOT EXISTS persons_name_trgm_idx ON persons USING gin (name gin_trgm_ops)', { transaction });
      await sequelize.query('RELEASE SAVEPOINT trgm', { transaction });
    } catch {
      // No privilege to create the extension: searches stay correct without the index.
      await sequelize.query('ROLLBACK TO SAVEPOINT trgm', { transaction });
    }
  },
};
