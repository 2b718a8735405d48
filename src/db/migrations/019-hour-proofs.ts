/**
 * 学时证明 (issue 19, item 6): a proof of a person's hours over a span of years, issued on
 * demand (by the person, its unit, an HR department in scope) or when a transfer completes.
 * It keeps what it claims — each year's hours by subject type, verification state and
 * completion, the person's name and unit as printed — and a SHA-256 of that snapshot, so the
 * public verification page can say whether the record still says the same. Numbers share
 * `certificate_serial` with certificates (one series, `SDZM` before the year).
 *
 * The rows carry the person's jurisdiction path (moved with the person, as certificates'
 * are) and fall under row-level security like the other tables of migration 009.
 */
import type { Migration } from '../migrator.js';

export const migration: Migration = {
  name: '019-hour-proofs',
  async up(sequelize, transaction) {
    await sequelize.query(/* sql */ `
      CREATE TABLE hour_proofs (
        id            bigserial PRIMARY KEY,
        number        text NOT NULL UNIQUE,
        person_id     integer NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
        org_path      text NOT NULL,
        from_year     smallint NOT NULL,
        to_year       smallint NOT NULL,
        figures       jsonb NOT NULL,
        figures_hash  text NOT NULL CHECK (figures_hash ~ '^[0-9a-f]{64}$'),
        issuer_org_id integer REFERENCES organisations(id),
        issuer_name   text NOT NULL,
        issued_by     integer,
        issued_at     timestamptz NOT NULL DEFAULT now(),
        transfer_id   integer REFERENCES transfers(id) ON DELETE SET NULL,
        CONSTRAINT hour_proofs_span CHECK (from_year >= 2000 AND from_year <= to_year AND to_year - from_year < 10)
      );
      CREATE INDEX hour_proofs_person_idx ON hour_proofs (person_id, issued_at);
      CREATE INDEX hour_proofs_scope_idx ON hour_proofs (org_path text_pattern_ops);
      CREATE INDEX hour_proofs_transfer_idx ON hour_proofs (transfer_id) WHERE transfer_id IS NOT NULL;
      ALTER TABLE hour_proofs ENABLE ROW LEVEL SECURITY;
      CREATE POLICY jurisdiction ON hour_proofs USING (ce_in_scope(org_path) OR person_id = ce_person()) WITH CHECK (ce_in_scope(org_path) OR person_id = ce_person());
    `, { transaction });
  },
};
