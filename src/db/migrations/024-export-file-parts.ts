/**
 * Issue 16 items 6 and 7: an export's finished file is stored in parts of 4 MiB
 * (export_file_parts) instead of one bytea on its job row. The whole-file column made the worker
 * read the file into one Buffer and send it as one bind parameter — the 75.6 MB roster of
 * 1,000,000 persons held twice in the worker (the Buffer and pg's serialised message: worker peak
 * 287 MB against the 250 MB target), and a province of 6,000,000 persons (~450 MB) would come
 * near bytea's 1 GB limit and hold ~900 MB. Written part by part from the file on disk, and
 * read back part by part by the download, neither side holds more than one part.
 *
 * Each part carries its job's jurisdiction path, so row-level security applies to it by the
 * same condition as to its job (migration 009); files already stored move into part 0.
 */
import type { Migration } from '../migrator.js';

export const migration: Migration = {
  name: '024-export-file-parts',
  async up(sequelize, transaction) {
    await sequelize.query(/* sql */ `
      CREATE TABLE export_file_parts (
        job_id   integer NOT NULL REFERENCES export_jobs(id) ON DELETE CASCADE,
        part     integer NOT NULL CHECK (part >= 0),
        org_path text NOT NULL,
        bytes    bytea NOT NULL CHECK (octet_length(bytes) > 0),
        PRIMARY KEY (job_id, part)
      );
      -- An xlsx is a zip already: stored as it is, without a compression attempt per part.
      ALTER TABLE export_file_parts ALTER COLUMN bytes SET STORAGE EXTERNAL;
      ALTER TABLE export_file_parts ENABLE ROW LEVEL SECURITY;
      CREATE POLICY jurisdiction ON export_file_parts USING (ce_in_scope(org_path)) WITH CHECK (ce_in_scope(org_path));
      -- Written once and read; never changed in place (a new attempt writes in its own transaction).
      REVOKE ALL ON export_file_parts FROM ce_app;
      GRANT SELECT, INSERT, DELETE ON export_file_parts TO ce_app;

      INSERT INTO export_file_parts (job_id, part, org_path, bytes)
        SELECT id, 0, org_path, file FROM export_jobs WHERE file IS NOT NULL AND octet_length(file) > 0;
      ALTER TABLE export_jobs DROP COLUMN file;
    `, { transaction });
  },
};
