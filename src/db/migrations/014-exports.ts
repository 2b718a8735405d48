/**
 * Issue 20: exports that administrators configure themselves.
 *
 * - export_jobs gain progress (rows written / rows the list had when asked) and the schedule
 *   a run belongs to; a schedule made in the panel runs under schedule_key 'db:<id>', so the
 *   existing UNIQUE (schedule_key, scheduled_for) still makes each due time run once however
 *   many processes run the periodic task;
 * - saved_reports: a list's filters and columns, or a report with its area and year, under a
 *   name, shared with the organisation's admins (row-level security: the jurisdiction);
 * - export_schedules: a saved or built-in report, an area, a cron expression (Asia/Shanghai),
 *   the year parameter, recipients (admins of the organisation); paused with a reason when
 *   its report or rights are gone; `seed_key` marks the ones config/scheduled-exports.ts seeds;
 * - export_notices: "your export is ready" in the panel, one per recipient and run, readable
 *   by that recipient only.
 */
import type { Migration } from '../migrator.js';

export const migration: Migration = {
  name: '014-exports',
  async up(sequelize, transaction) {
    await sequelize.query(/* sql */ `
      CREATE TABLE saved_reports (
        id               serial PRIMARY KEY,
        organisation_id  integer NOT NULL REFERENCES organisations(id),
        org_path         text NOT NULL,
        owner_id         integer REFERENCES accounts(id),
        name             text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 60),
        kind             text NOT NULL CHECK (kind IN ('list', 'report')),
        resource         text,
        report           text,
        params           jsonb NOT NULL DEFAULT '{}'::jsonb,
        version          integer NOT NULL DEFAULT 0,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT saved_reports_name_key UNIQUE (organisation_id, name),
        CONSTRAINT saved_reports_target_check CHECK ((kind = 'list' AND resource IS NOT NULL) OR (kind = 'report' AND report IS NOT NULL))
      );
      CREATE INDEX saved_reports_scope_idx ON saved_reports (org_path text_pattern_ops);

      CREATE TABLE export_schedules (
        id               serial PRIMARY KEY,
        organisation_id  integer NOT NULL REFERENCES organisations(id),
        org_path         text NOT NULL,
        created_by       integer REFERENCES accounts(id),
        name             text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 60),
        report           text,
        saved_report_id  integer REFERENCES saved_reports(id) ON DELETE SET NULL,
        area_id          integer REFERENCES organisations(id),
        preset           text NOT NULL DEFAULT 'weekly' CHECK (preset IN ('daily', 'weekly', 'monthly', 'cron')),
        cron             text NOT NULL,
        year_param       text NOT NULL DEFAULT 'current' CHECK (year_param IN ('current', 'previous')),
        recipients       integer[] NOT NULL DEFAULT '{}',
        status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
        paused_reason    text,
        next_run_at      timestamptz,
        seed_key         text UNIQUE,
        version          integer NOT NULL DEFAULT 0,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX export_schedules_scope_idx ON export_schedules (org_path text_pattern_ops);
      CREATE INDEX export_schedules_due_idx ON export_schedules (next_run_at) WHERE status = 'active';

      ALTER TABLE export_jobs
        ADD COLUMN progress_rows integer CHECK (progress_rows >= 0),
        ADD COLUMN total_rows    integer CHECK (total_rows >= 0),
        ADD COLUMN schedule_id   integer REFERENCES export_schedules(id) ON DELETE SET NULL;
      CREATE INDEX export_jobs_schedule_idx ON export_jobs (schedule_id, created_at) WHERE schedule_id IS NOT NULL;

      CREATE TABLE export_notices (
        id               serial PRIMARY KEY,
        account_id       integer NOT NULL REFERENCES accounts(id),
        org_path         text NOT NULL,
        job_id           integer REFERENCES export_jobs(id) ON DELETE CASCADE,
        schedule_id      integer REFERENCES export_schedules(id) ON DELETE SET NULL,
        title            text NOT NULL,
        link             text,
        read_at          timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT export_notices_once UNIQUE (job_id, account_id)
      );
      CREATE INDEX export_notices_account_idx ON export_notices (account_id, created_at);

      -- The keys of config/scheduled-exports.ts already seeded: a seeded schedule an admin deletes stays deleted.
      CREATE TABLE export_schedule_seeds (seed_key text PRIMARY KEY, seeded_at timestamptz NOT NULL DEFAULT now());
      ALTER TABLE export_schedule_seeds ENABLE ROW LEVEL SECURITY;
      CREATE POLICY platform ON export_schedule_seeds USING (ce_kind() = 'system') WITH CHECK (ce_kind() = 'system');

      ALTER TABLE saved_reports ENABLE ROW LEVEL SECURITY;
      CREATE POLICY jurisdiction ON saved_reports USING (ce_in_scope(org_path)) WITH CHECK (ce_in_scope(org_path));
      ALTER TABLE export_schedules ENABLE ROW LEVEL SECURITY;
      CREATE POLICY jurisdiction ON export_schedules USING (ce_in_scope(org_path)) WITH CHECK (ce_in_scope(org_path));
      -- A notice is its recipient's (the platform writes them, for runs of every jurisdiction).
      ALTER TABLE export_notices ENABLE ROW LEVEL SECURITY;
      CREATE POLICY recipient ON export_notices USING (account_id = ce_account() OR ce_kind() = 'system')
        WITH CHECK (ce_kind() = 'system' OR account_id = ce_account());
    `, { transaction });
  },
};
