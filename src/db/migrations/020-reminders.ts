/**
 * Issue 19, item 5: year-end reminders (年末提醒).
 *
 * - `reminder_settings`: one row, data the provincial super admin edits in the panel (系统管理 →
 *   年末提醒设置): from which day of the year reminders start (e.g. 1 October), how many days lie
 *   between two reminders of one person, which channels are on. The application may only update it.
 * - `persons.remind_email / remind_sms`: a person's own choice (提醒设置 on its page) — false means
 *   no reminder on that channel.
 * - `reminder_runs`: one row per due day — UNIQUE (due_date) makes one run happen however many
 *   processes fire the periodic task.
 * - `reminders`: the log, one row per person, year and period. A period is the interval's slice
 *   of the year from the start date: the k-th period starts at start + k × interval days.
 *   UNIQUE (person_id, year, period_start) is the guarantee "at most one reminder per person per
 *   interval": two workers racing insert one row; the loser's INSERT … ON CONFLICT DO NOTHING
 *   claims nothing and sends nothing. Every person found short is logged — sent, failed (the
 *   error kept), or not sent (opted out / no contact) — so the unit digests list them all.
 * - `reminder_digests`: one digest per unit and period, same guarantee.
 * - `reminder_figures` (view): per run and per city (and the province's total), how many were
 *   reminded and how many of them have completed the year since.
 * Rows carrying a person's or unit's path are under row-level security as every jurisdiction's
 * table (migration 009).
 */
import type { Migration } from '../migrator.js';

const APP_ROLE = 'ce_app';

export const migration: Migration = {
  name: '020-reminders',
  async up(sequelize, transaction) {
    await sequelize.query(/* sql */ `
ALTER TABLE persons ADD COLUMN remind_email boolean NOT NULL DEFAULT true, ADD COLUMN remind_sms boolean NOT NULL DEFAULT true;

CREATE TABLE reminder_settings (
  id             smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  enabled        boolean NOT NULL DEFAULT true,
  start_month    smallint NOT NULL DEFAULT 10 CHECK (start_month BETWEEN 1 AND 12),
  start_day      smallint NOT NULL DEFAULT 1 CHECK (start_day BETWEEN 1 AND 31),
  interval_days  smallint NOT NULL DEFAULT 14 CHECK (interval_days BETWEEN 1 AND 366),
  email_enabled  boolean NOT NULL DEFAULT true,
  sms_enabled    boolean NOT NULL DEFAULT true,
  digest_enabled boolean NOT NULL DEFAULT true,
  updated_by     integer REFERENCES accounts(id),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  -- A day every year has (no 30 February; 29 February is refused: not every year has it).
  CHECK (start_day <= CASE WHEN start_month = 2 THEN 28 WHEN start_month IN (4, 6, 9, 11) THEN 30 ELSE 31 END)
);
INSERT INTO reminder_settings DEFAULT VALUES;
REVOKE INSERT, DELETE, TRUNCATE ON reminder_settings FROM ${APP_ROLE};

CREATE TABLE reminder_runs (
  id              serial PRIMARY KEY,
  due_date        date NOT NULL UNIQUE,
  year            smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  period_start    date NOT NULL,
  interval_days   smallint NOT NULL,
  status          text NOT NULL DEFAULT 'running' CHECK (status IN ('running','done','failed')),
  persons_checked integer NOT NULL DEFAULT 0,
  at_risk         integer NOT NULL DEFAULT 0,
  reminded        integer NOT NULL DEFAULT 0,
  failed          integer NOT NULL DEFAULT 0,
  digests         integer NOT NULL DEFAULT 0,
  error           text,
  started_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz
);

CREATE TABLE reminders (
  id                 bigserial PRIMARY KEY,
  run_id             integer NOT NULL REFERENCES reminder_runs(id),
  person_id          integer NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  year               smallint NOT NULL,
  period_start       date NOT NULL,
  unit_id            integer NOT NULL REFERENCES organisations(id),
  org_path           text NOT NULL,
  city_id            integer REFERENCES organisations(id),
  missing_public     numeric(7,1) NOT NULL CHECK (missing_public >= 0),
  missing_professional numeric(7,1) NOT NULL CHECK (missing_professional >= 0),
  missing_total      numeric(7,1) NOT NULL CHECK (missing_total >= 0),
  status             text NOT NULL DEFAULT 'sending' CHECK (status IN ('sending','sent','failed','opted_out','no_contact')),
  channels           text[] NOT NULL DEFAULT '{}' CHECK (channels <@ ARRAY['email','mobile']),
  error              text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  sent_at            timestamptz,
  UNIQUE (person_id, year, period_start)
);
CREATE INDEX reminders_run_idx ON reminders (run_id, city_id);
CREATE INDEX reminders_period_unit_idx ON reminders (year, period_start, unit_id, person_id);
CREATE INDEX reminders_scope_idx ON reminders (org_path text_pattern_ops);
ALTER TABLE reminders ENABLE ROW LEVEL SECURITY;
CREATE POLICY jurisdiction ON reminders USING (ce_in_scope(org_path) OR person_id = ce_person()) WITH CHECK (ce_in_scope(org_path));

CREATE TABLE reminder_digests (
  id            bigserial PRIMARY KEY,
  run_id        integer NOT NULL REFERENCES reminder_runs(id),
  unit_id       integer NOT NULL REFERENCES organisations(id),
  org_path      text NOT NULL,
  year          smallint NOT NULL,
  period_start  date NOT NULL,
  persons       integer NOT NULL CHECK (persons > 0),
  recipients    integer NOT NULL DEFAULT 0,
  status        text NOT NULL DEFAULT 'sending' CHECK (status IN ('sending','sent','failed','no_contact')),
  error         text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (unit_id, year, period_start)
);
CREATE INDEX reminder_digests_scope_idx ON reminder_digests (org_path text_pattern_ops);
ALTER TABLE reminder_digests ENABLE ROW LEVEL SECURITY;
CREATE POLICY jurisdiction ON reminder_digests USING (ce_in_scope(org_path)) WITH CHECK (ce_in_scope(org_path));

-- Per run: one row per city (city_id NULL: units directly under the province) and one for the
-- whole province (scope 'province'). Completed since = reminded and the year completed now
-- (a person is reminded only while short of the requirement).
CREATE VIEW reminder_figures WITH (security_invoker = true) AS
SELECT ru.id::text || ':' || CASE WHEN grouping(r.city_id) = 1 THEN 'all' ELSE coalesce(r.city_id::text, 'direct') END AS id,
       ru.id AS run_id, ru.due_date, ru.year,
       CASE WHEN grouping(r.city_id) = 1 THEN 'province' WHEN r.city_id IS NULL THEN 'direct' ELSE 'city' END AS scope,
       r.city_id,
       count(*)::integer AS at_risk,
       count(*) FILTER (WHERE r.status = 'sent')::integer AS reminded,
       count(*) FILTER (WHERE r.status = 'failed')::integer AS failed,
       count(*) FILTER (WHERE r.status IN ('opted_out', 'no_contact'))::integer AS not_sent,
       count(*) FILTER (WHERE r.status = 'sent' AND y.completed)::integer AS completed_since
  FROM reminders r JOIN reminder_runs ru ON ru.id = r.run_id
  LEFT JOIN person_year_hours y ON y.person_id = r.person_id AND y.year = r.year
 GROUP BY GROUPING SETS ((ru.id, ru.due_date, ru.year), (ru.id, ru.due_date, ru.year, r.city_id));

GRANT SELECT, UPDATE ON reminder_settings TO ${APP_ROLE};
GRANT SELECT, INSERT, UPDATE ON reminder_runs, reminders, reminder_digests TO ${APP_ROLE};
REVOKE DELETE, TRUNCATE ON reminder_runs, reminders, reminder_digests FROM ${APP_ROLE};
GRANT SELECT ON reminder_figures TO ${APP_ROLE};
GRANT USAGE, SELECT ON SEQUENCE reminder_runs_id_seq, reminders_id_seq, reminder_digests_id_seq TO ${APP_ROLE};
`, { transaction });
  },
};
