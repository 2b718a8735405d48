/**
 * 电子证书 (issue #6 item 5). A certificate is issued once per person and year (the UNIQUE of
 * 001) and keeps what it certified at issue: hours by subject type and the issuing authority
 * (the HR bureau in charge of the person's unit), so a later rename does not change a
 * printed document. Numbers take their serial from `certificate_serial`.
 *
 * The panel's query lists person-years (a composite key) as records: `person_year_hours`
 * gets a surrogate key, and the view `certificate_years` joins each year to its person and
 * its certificate, if any. The view is simple enough for PostgreSQL to inline, so a lookup
 * by id or a scope on org_path uses the table's indexes.
 */
import type { Migration } from '../migrator.js';

export const migration: Migration = {
  name: '004-certificates',
  async up(sequelize, transaction) {
    await sequelize.query(/* sql */ `
      ALTER TABLE person_year_hours ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
      CREATE UNIQUE INDEX person_year_hours_id_idx ON person_year_hours (id);

      ALTER TABLE certificates
        ADD COLUMN public_hours numeric(7,1),
        ADD COLUMN professional_hours numeric(7,1),
        ADD COLUMN issuer_org_id integer REFERENCES organisations(id),
        ADD COLUMN issuer_name text;
      CREATE INDEX certificates_scope_idx ON certificates (year, org_path text_pattern_ops);
      CREATE SEQUENCE certificate_serial;

      CREATE VIEW certificate_years AS
        SELECT y.id, y.person_id, y.year, y.org_path, p.name, p.id_number, p.unit_id,
               y.public_hours, y.professional_hours, y.total_hours, y.completed,
               c.number AS certificate_number, c.issued_at
          FROM person_year_hours y
          JOIN persons p ON p.id = y.person_id
          LEFT JOIN certificates c ON c.person_id = y.person_id AND c.year = y.year;
    `, { transaction });
  },
};
