/**
 * Import jobs (批量导入): the uploaded spreadsheet, the job's state and progress, how many
 * rows were valid, bad and committed, and the report of bad rows. `committed_rows` is
 * updated in the transaction of each committed batch, so it always equals what was written.
 */
import type { Migration } from '../migrator.js';

export const migration: Migration = {
  name: '002-import-jobs',
  async up(sequelize, transaction) {
    await sequelize.query(/* sql */ `
      CREATE TABLE import_jobs (
        id               serial PRIMARY KEY,
        kind             text NOT NULL CHECK (kind IN ('hours', 'persons')),
        organisation_id  integer NOT NULL REFERENCES organisations(id),
        org_path         text NOT NULL,
        requested_by     integer NOT NULL REFERENCES accounts(id),
        params           jsonb NOT NULL DEFAULT '{}'::jsonb,
        file_name        text NOT NULL,
        file             bytea NOT NULL,
        status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'validating', 'committing', 'succeeded', 'failed')),
        progress         smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        total_rows       integer NOT NULL DEFAULT 0,
        valid_rows       integer NOT NULL DEFAULT 0,
        error_rows       integer NOT NULL DEFAULT 0,
        committed_rows   integer NOT NULL DEFAULT 0,
        error            text,
        error_report     bytea,
        created_at       timestamptz NOT NULL DEFAULT now(),
        started_at       timestamptz,
        heartbeat_at     timestamptz,
        finished_at      timestamptz,
        CHECK (committed_rows <= valid_rows OR status IN ('queued', 'validating'))
      );
      CREATE INDEX import_jobs_scope_idx ON import_jobs (org_path text_pattern_ops, created_at);
      CREATE INDEX import_jobs_running_idx ON import_jobs (status) WHERE status IN ('queued', 'validating', 'committing');
    `, { transaction });
  },
};
