/**
 * Issue 16, item 1: imports and exports run in a job worker (src/worker.ts), a process of its
 * own, that claims queued jobs from these tables (UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP
 * LOCKED)). What the queue needs beyond migrations 002/005/012:
 * - `run_after`: a job waiting for its retry (export backoff) or handed back by a recovery is
 *   not claimed before then — the wait lives in the row, not in a process's timer, so a worker
 *   stopped during a backoff loses nothing;
 * - `claimed_by`: which worker (host:pid) runs it, for the log and for an operator;
 * - import_jobs.attempts: a job handed back after its worker died is tried at most 3 times
 *   (a file that kills the worker every time must not kill every next worker too).
 */
import type { Migration } from '../migrator.js';

export const migration: Migration = {
  name: '013-worker-queue',
  async up(sequelize, transaction) {
    await sequelize.query(/* sql */ `
      ALTER TABLE export_jobs ADD COLUMN run_after timestamptz, ADD COLUMN claimed_by text;
      ALTER TABLE import_jobs ADD COLUMN run_after timestamptz, ADD COLUMN claimed_by text,
        ADD COLUMN attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0);
      CREATE INDEX export_jobs_queue_idx ON export_jobs (id) WHERE status = 'queued';
      CREATE INDEX import_jobs_queue_idx ON import_jobs (id) WHERE status = 'queued';
    `, { transaction });
  },
};
