/**
 * Issue 17 (the reviewer's lists):
 *
 * - 学时审验 is its own step. "审验不通过" used to overwrite the first decision's opinion, reviewer
 *   and time (reason/decided_by/decided_at), so the record no longer said who had approved it
 *   and why. The verification now has its own columns (who, when, why); the first decision is
 *   kept as it was. Rows failed before this migration had their first decision overwritten: the
 *   reason they carry is the verification's, so it moves to verification_reason (and the
 *   reviewer/time are copied as the verification's); the lost approval opinion cannot be recovered.
 * - the reviewer's text filters (姓名 / 身份证号 / 工作单位 contain …) reach persons and organisations
 *   by fragment: a trigram index on organisations.name joins the one on persons.name (migration
 *   006). Left out, like 006's, where pg_trgm is not there. An ID-number fragment is matched in
 *   the scope's own rows (char(18) takes no trigram operator class; a whole number is the usual search).
 */
import { QueryTypes } from 'sequelize';
import type { Migration } from '../migrator.js';

export const migration: Migration = {
  name: '011-panel-review',
  async up(sequelize, transaction) {
    await sequelize.query(/* sql */ `
      ALTER TABLE hour_declarations
        ADD COLUMN verification_reason text,
        ADD COLUMN verified_by integer REFERENCES accounts(id),
        ADD COLUMN verified_at timestamptz;
      -- The old rule "a failed verification has a reason" named the shared reason column.
      DO $$
      DECLARE c record;
      BEGIN
        FOR c IN SELECT conname FROM pg_constraint
                  WHERE conrelid = 'hour_declarations'::regclass AND contype = 'c'
                    AND pg_get_constraintdef(oid) LIKE '%verification_failed%' AND pg_get_constraintdef(oid) LIKE '%btrim%'
        LOOP
          EXECUTE format('ALTER TABLE hour_declarations DROP CONSTRAINT %I', c.conname);
        END LOOP;
      END $$;
      UPDATE hour_declarations
         SET verification_reason = reason, verified_by = decided_by, verified_at = decided_at, reason = NULL
       WHERE status = 'verification_failed';
      ALTER TABLE hour_declarations
        ADD CONSTRAINT hour_declarations_rejected_reason CHECK (status <> 'rejected' OR length(btrim(coalesce(reason, ''))) > 0),
        ADD CONSTRAINT hour_declarations_verification_reason CHECK (status <> 'verification_failed'
          OR (length(btrim(coalesce(verification_reason, ''))) > 0 AND verified_at IS NOT NULL));
    `, { transaction });
    const [trgm] = await sequelize.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'pg_trgm'", { type: QueryTypes.SELECT, transaction });
    if (!trgm?.n) return;
    await sequelize.query(`
      CREATE INDEX IF NOT EXISTS organisations_name_trgm_idx ON organisations USING gin (name gin_trgm_ops);
    `, { transaction });
  },
};
