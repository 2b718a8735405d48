/**
 * Export jobs (导出任务), scheduled runs: a scheduled run is identified by its schedule's key
 * and the minute it was due, UNIQUE, so of several app processes whose cron fires at once
 * exactly one inserts the run (the others' INSERT … ON CONFLICT DO NOTHING returns nothing).
 * A file that holds whole ID numbers says so: only holders of 查看完整证件号 download it.
 */
import type { Migration } from '../migrator.js';

export const migration: Migration = {
  name: '005-export-jobs',
  async up(sequelize, transaction) {
    await sequelize.query(/* sql */ `
      ALTER TABLE export_jobs
        ADD COLUMN schedule_key     text,
        ADD COLUMN scheduled_for    timestamptz,
        ADD COLUMN row_count        integer CHECK (row_count >= 0),
        ADD COLUMN contains_full_id boolean NOT NULL DEFAULT false,
        ADD CONSTRAINT export_jobs_schedule_run_key UNIQUE (schedule_key, scheduled_for),
        ADD CONSTRAINT export_jobs_scheduled_run_check CHECK (scheduled_for IS NULL OR (schedule_key IS NOT NULL AND trigger = 'schedule')),
        ADD CONSTRAINT export_jobs_attempts_check CHECK (attempts >= 0);
      CREATE INDEX export_jobs_unfinished_idx ON export_jobs (status) WHERE status IN ('queued', 'running');
    `, { transaction });
  },
};
