/**
 * The review queue (待审核) searched by activity name: a reviewer narrows the pending
 * declarations to one training (活动名称 contains …) and approves them all. Pending rows are
 * scattered over a table of millions, so `status = 'pending' AND org_path LIKE … AND
 * activity_name LIKE '%…%'` read every pending row of a city (134,000 on the benchmark's
 * 济南, 1.2 s) to keep the few that match. A trigram index over the pending rows only — a
 * few hundred thousand, not five million, and rows leave it when they are decided — finds
 * them directly.
 *
 * Like 006, the index is left out where pg_trgm cannot be created: the filter stays correct.
 */
import { QueryTypes } from 'sequelize';
import type { Migration } from '../migrator.js';

export const migration: Migration = {
  name: '008-review-queue-index',
  async up(sequelize, transaction) {
    const [trgm] = await sequelize.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'pg_trgm'", { type: QueryTypes.SELECT, transaction });
    if (!trgm?.n) return;
    await sequelize.query(`CREATE INDEX IF NOT EXISTS hour_declarations_pending_activity_trgm_idx
      ON hour_declarations USING gin (activity_name gin_trgm_ops) WHERE status IN ('pending', 'pending_unit')`, { transaction });
  },
};
