/**
 * Issue 17, item 1: the proof behind a claim is a file, kept the way the plan filings' attachments
 * are (training_plans.attachment / attachment_name, migration 001): the bytes in a bytea column of
 * the record's own row, so the record's row-level security (migration 009) and its resource's scope
 * guard the file too, and it goes when the record goes. `*_kind` is the type detected from the
 * content (magic bytes) at upload — never the client's name — so a list can offer 查看 without
 * reading the bytes.
 *
 * The bytea columns are deliberately NOT Sequelize model attributes (src/db/models.ts): the
 * panel's lists read whole rows, and a page of 10 declarations with 5 MB proofs would pull 50 MB.
 * Only the file route (src/admin/files.ts) reads them, one row at a time.
 */
import type { Migration } from '../migrator.js';

export const migration: Migration = {
  name: '017-panel-evidence',
  async up(sequelize, transaction) {
    await sequelize.query(/* sql */ `
      ALTER TABLE hour_declarations
        ADD COLUMN evidence_name text,
        ADD COLUMN evidence_kind text CHECK (evidence_kind IN ('pdf','jpeg','png')),
        ADD COLUMN evidence_file bytea,
        ADD CONSTRAINT hour_declarations_evidence_whole CHECK ((evidence_file IS NULL) = (evidence_kind IS NULL));
      ALTER TABLE change_requests
        ADD COLUMN evidence_name text,
        ADD COLUMN evidence_kind text CHECK (evidence_kind IN ('pdf','jpeg','png')),
        ADD COLUMN evidence_file bytea,
        ADD CONSTRAINT change_requests_evidence_whole CHECK ((evidence_file IS NULL) = (evidence_kind IS NULL));
      ALTER TABLE registrations
        ADD COLUMN licence_name text,
        ADD COLUMN licence_kind text CHECK (licence_kind IN ('pdf','jpeg','png')),
        ADD COLUMN licence_file bytea,
        ADD CONSTRAINT registrations_licence_whole CHECK ((licence_file IS NULL) = (licence_kind IS NULL));
    `, { transaction });
  },
};
