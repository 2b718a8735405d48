/**
 * The whole domain model of ../shared/domain.md. Constraints live here as well as in code:
 * unique ID numbers and credit codes, foreign keys, checked status values.
 *
 * Jurisdiction is a materialised path on the organisation tree: `path` = '/1/5/23/' (ids of
 * the ancestors and itself). Every record that belongs to an organisation carries that
 * organisation's path as `org_path`, so "inside my jurisdiction" is one indexed
 * `org_path LIKE '/1/5/%'` without joins (text_pattern_ops index).
 */
import type { Migration } from '../migrator.js';

const sql = /* sql */ `
-- 机构：省/市/区县人社部门、用人单位、继续教育基地、内设部门 — one tree.
CREATE TABLE organisations (
  id            serial PRIMARY KEY,
  parent_id     integer REFERENCES organisations(id) ON DELETE RESTRICT,
  kind          text NOT NULL CHECK (kind IN ('province_hr','city_hr','county_hr','unit','ce_base','department')),
  name          text NOT NULL CHECK (length(btrim(name)) BETWEEN 2 AND 100),
  region_code   char(6) CHECK (region_code ~ '^[1-9][0-9]{5}$'),
  credit_code   char(18) UNIQUE CHECK (credit_code ~ '^[0-9A-HJ-NP-RTUW-Y]{18}$'),
  path          text NOT NULL UNIQUE CHECK (path ~ '^(/[0-9]+)+/$'),
  depth         smallint NOT NULL CHECK (depth >= 0),
  contact_name  text,
  mobile        text CHECK (mobile ~ '^1[3-9][0-9]{9}$'),
  phone         text,
  email         text,
  address       text,
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('pending','active','rejected','disabled')),
  version       integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'province_hr') = (parent_id IS NULL))
);
CREATE INDEX organisations_path_idx ON organisations (path text_pattern_ops);
CREATE INDEX organisations_parent_idx ON organisations (parent_id);
CREATE INDEX organisations_kind_idx ON organisations (kind, path text_pattern_ops);

-- 账号：everyone who logs in, by ID number.
CREATE TABLE accounts (
  id                    serial PRIMARY KEY,
  id_number             char(18) NOT NULL UNIQUE CHECK (id_number ~ '^[1-9][0-9]{16}[0-9X]$'),
  name                  text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 50),
  password_hash         text NOT NULL,
  mobile                text CHECK (mobile ~ '^1[3-9][0-9]{9}$'),
  email                 text,
  phone                 text,
  status                text NOT NULL DEFAULT 'active' CHECK (status IN ('pending','active','rejected','disabled')),
  must_change_password  boolean NOT NULL DEFAULT false,
  failed_logins         integer NOT NULL DEFAULT 0,
  locked_until          timestamptz,
  password_changed_at   timestamptz NOT NULL DEFAULT now(),
  version               integer NOT NULL DEFAULT 0,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);

-- 管理员：an account administering one organisation. Exactly one super admin per organisation.
CREATE TABLE admins (
  id               serial PRIMARY KEY,
  account_id       integer NOT NULL UNIQUE REFERENCES accounts(id) ON DELETE RESTRICT,
  organisation_id  integer NOT NULL REFERENCES organisations(id) ON DELETE RESTRICT,
  org_path         text NOT NULL,
  department_id    integer REFERENCES organisations(id) ON DELETE SET NULL,
  is_super         boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX admins_one_super_per_org ON admins (organisation_id) WHERE is_super;
CREATE INDEX admins_org_path_idx ON admins (org_path text_pattern_ops);

-- 权限目录 / 角色：permissions are data; a role is a named set owned by an organisation.
CREATE TABLE permissions (
  code        text PRIMARY KEY CHECK (code ~ '^[a-z_]+(\\.[a-z_]+)*:[a-z_]+$'),
  module      text NOT NULL,
  label       text NOT NULL,
  sort        integer NOT NULL DEFAULT 0
);
CREATE TABLE roles (
  id               serial PRIMARY KEY,
  organisation_id  integer NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  org_path         text NOT NULL,
  name             text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 50),
  description      text,
  builtin          boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, name)
);
CREATE TABLE role_permissions (
  role_id          integer NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  permission_code  text NOT NULL REFERENCES permissions(code) ON DELETE CASCADE,
  PRIMARY KEY (role_id, permission_code)
);
CREATE TABLE admin_roles (
  admin_id  integer NOT NULL REFERENCES admins(id) ON DELETE CASCADE,
  role_id   integer NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  PRIMARY KEY (admin_id, role_id)
);

-- 专业技术人员
CREATE TABLE persons (
  id             serial PRIMARY KEY,
  account_id     integer UNIQUE REFERENCES accounts(id) ON DELETE SET NULL,
  id_number      char(18) NOT NULL UNIQUE CHECK (id_number ~ '^[1-9][0-9]{16}[0-9X]$'),
  name           text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 50),
  gender         char(1) NOT NULL CHECK (gender IN ('M','F')),
  birth_date     date NOT NULL,
  unit_id        integer NOT NULL REFERENCES organisations(id) ON DELETE RESTRICT,
  org_path       text NOT NULL,
  title_series   text,
  title_level    text CHECK (title_level IN ('senior','vice_senior','intermediate','assistant','junior')),
  title          text,
  education      text CHECK (education IN ('doctor','master','bachelor','college','secondary','other')),
  mobile         text CHECK (mobile ~ '^1[3-9][0-9]{9}$'),
  email          text,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('pending','active','rejected','disabled')),
  version        integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX persons_scope_name_idx ON persons (org_path text_pattern_ops, name, id);
CREATE INDEX persons_unit_idx ON persons (unit_id);
CREATE INDEX persons_name_idx ON persons (name, id);

-- 注册申请：a unit, CE base or person registering under a chosen superior HR department.
CREATE TABLE registrations (
  id               serial PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('unit','ce_base','person')),
  organisation_id  integer REFERENCES organisations(id) ON DELETE CASCADE,
  person_id        integer REFERENCES persons(id) ON DELETE CASCADE,
  superior_id      integer NOT NULL REFERENCES organisations(id),
  org_path         text NOT NULL,
  applicant_name   text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected','withdrawn')),
  reason           text,
  decided_by       integer REFERENCES accounts(id),
  decided_at       timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'person') = (person_id IS NOT NULL AND organisation_id IS NULL)),
  CHECK (status = 'pending' OR decided_at IS NOT NULL),
  CHECK (status <> 'rejected' OR length(btrim(coalesce(reason, ''))) > 0)
);
CREATE INDEX registrations_scope_idx ON registrations (status, org_path text_pattern_ops);

-- 变更申请：a person's title change, an organisation's information change.
CREATE TABLE change_requests (
  id               serial PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('person_title','organisation_info')),
  person_id        integer REFERENCES persons(id) ON DELETE CASCADE,
  organisation_id  integer REFERENCES organisations(id) ON DELETE CASCADE,
  org_path         text NOT NULL,
  old_values       jsonb NOT NULL,
  new_values       jsonb NOT NULL,
  evidence         text,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected','withdrawn')),
  reason           text,
  decided_by       integer REFERENCES accounts(id),
  decided_at       timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'person_title') = (person_id IS NOT NULL)),
  CHECK (status = 'pending' OR decided_at IS NOT NULL),
  CHECK (status <> 'rejected' OR length(btrim(coalesce(reason, ''))) > 0)
);
CREATE INDEX change_requests_scope_idx ON change_requests (status, org_path text_pattern_ops);

-- 更换上级部门：two-party request; effective when both the old and the new superior approve.
CREATE TABLE superior_changes (
  id                  serial PRIMARY KEY,
  organisation_id     integer NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  from_superior_id    integer NOT NULL REFERENCES organisations(id),
  to_superior_id      integer NOT NULL REFERENCES organisations(id),
  reason_for_change   text,
  status              text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected','withdrawn')),
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (from_superior_id <> to_superior_id)
);

-- 人员调转：two-party request between the sending and the receiving jurisdiction.
CREATE TABLE transfers (
  id               serial PRIMARY KEY,
  person_id        integer NOT NULL REFERENCES persons(id) ON DELETE RESTRICT,
  from_unit_id     integer NOT NULL REFERENCES organisations(id),
  to_unit_id       integer NOT NULL REFERENCES organisations(id),
  from_path        text NOT NULL,
  to_path          text NOT NULL,
  reason_for_transfer text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected','withdrawn')),
  requested_by     integer REFERENCES accounts(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (from_unit_id <> to_unit_id)
);
CREATE UNIQUE INDEX transfers_one_open_per_person ON transfers (person_id) WHERE status = 'pending';

-- 审批任务：one task per side of a two-party request, each scoped to its own organisation.
CREATE TABLE approval_tasks (
  id               serial PRIMARY KEY,
  request_type     text NOT NULL CHECK (request_type IN ('transfer','superior_change')),
  request_id       integer NOT NULL,
  side             text NOT NULL CHECK (side IN ('source','target')),
  organisation_id  integer NOT NULL REFERENCES organisations(id),
  org_path         text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected','withdrawn')),
  reason           text,
  decided_by       integer REFERENCES accounts(id),
  decided_at       timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (request_type, request_id, side),
  CHECK (status <> 'rejected' OR length(btrim(coalesce(reason, ''))) > 0)
);
CREATE INDEX approval_tasks_scope_idx ON approval_tasks (status, org_path text_pattern_ops);

-- 培训计划：CE bases' annual plans, plan declarations, work summaries; units' plans and hours.
CREATE TABLE training_plans (
  id               serial PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('annual_plan','plan_declaration','work_summary','unit_plan','unit_hours')),
  organisation_id  integer NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  org_path         text NOT NULL,
  year             smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  title            text NOT NULL,
  subject_type     text CHECK (subject_type IN ('public','professional')),
  compulsory       boolean,
  content          jsonb NOT NULL DEFAULT '{}'::jsonb,
  attachment_name  text,
  attachment       bytea,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected','withdrawn')),
  reason           text,
  decided_by       integer REFERENCES accounts(id),
  decided_at       timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'rejected' OR length(btrim(coalesce(reason, ''))) > 0)
);
CREATE INDEX training_plans_scope_idx ON training_plans (kind, status, org_path text_pattern_ops);

-- 学习形式目录：fields, conversion to hours and caps are data.
CREATE TABLE learning_forms (
  id                 serial PRIMARY KEY,
  code               text NOT NULL UNIQUE CHECK (code ~ '^[a-z_]+$'),
  name               text NOT NULL UNIQUE,
  subject_types      text[] NOT NULL CHECK (subject_types <@ ARRAY['public','professional']::text[] AND cardinality(subject_types) > 0),
  fields             jsonb NOT NULL DEFAULT '[]'::jsonb,
  conversion         jsonb NOT NULL,
  cap_per_activity   numeric(6,1) CHECK (cap_per_activity > 0),
  cap_per_year       numeric(6,1) CHECK (cap_per_year > 0),
  evidence           text,
  key_review         boolean NOT NULL DEFAULT false,
  bulk_import        boolean NOT NULL DEFAULT false,
  active             boolean NOT NULL DEFAULT true,
  sort               integer NOT NULL DEFAULT 0,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- 学时申报
CREATE TABLE hour_declarations (
  id                  bigserial PRIMARY KEY,
  person_id           integer NOT NULL REFERENCES persons(id) ON DELETE RESTRICT,
  unit_id             integer NOT NULL REFERENCES organisations(id),
  org_path            text NOT NULL,
  year                smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  subject_type        text NOT NULL CHECK (subject_type IN ('public','professional')),
  compulsory          boolean,
  learning_form_id    integer NOT NULL REFERENCES learning_forms(id),
  channel             text NOT NULL CHECK (channel IN ('person','ce_base','unit','hr')),
  ce_base_id          integer REFERENCES organisations(id),
  declared_by         integer REFERENCES accounts(id),
  activity_name       text,
  details             jsonb NOT NULL DEFAULT '{}'::jsonb,
  declared_hours      numeric(6,1) NOT NULL CHECK (declared_hours > 0 AND declared_hours <= 1000),
  approved_hours      numeric(6,1) CHECK (approved_hours >= 0),
  key_review          boolean NOT NULL DEFAULT false,
  status              text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending_unit','pending','approved','rejected','withdrawn','verification_failed')),
  reason              text,
  decided_by          integer REFERENCES accounts(id),
  decided_at          timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (status NOT IN ('approved','verification_failed') OR approved_hours IS NOT NULL),
  CHECK (status NOT IN ('rejected','verification_failed') OR length(btrim(coalesce(reason, ''))) > 0)
);
CREATE INDEX hour_declarations_scope_idx ON hour_declarations (status, org_path text_pattern_ops, year);
CREATE INDEX hour_declarations_person_idx ON hour_declarations (person_id, year);

-- 年度学时汇总：per person and year, maintained in the decision's transaction.
CREATE TABLE person_year_hours (
  person_id           integer NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  year                smallint NOT NULL,
  org_path            text NOT NULL,
  public_hours        numeric(7,1) NOT NULL DEFAULT 0 CHECK (public_hours >= 0),
  professional_hours  numeric(7,1) NOT NULL DEFAULT 0 CHECK (professional_hours >= 0),
  total_hours         numeric(7,1) GENERATED ALWAYS AS (public_hours + professional_hours) STORED,
  completed           boolean NOT NULL DEFAULT false,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (person_id, year)
);
CREATE INDEX person_year_hours_scope_idx ON person_year_hours (year, org_path text_pattern_ops);

-- 电子证书
CREATE TABLE certificates (
  id          serial PRIMARY KEY,
  number      text NOT NULL UNIQUE,
  person_id   integer NOT NULL REFERENCES persons(id) ON DELETE RESTRICT,
  org_path    text NOT NULL,
  year        smallint NOT NULL,
  total_hours numeric(7,1) NOT NULL,
  issued_by   integer REFERENCES accounts(id),
  issued_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (person_id, year)
);

-- 导出任务
CREATE TABLE export_jobs (
  id               serial PRIMARY KEY,
  report           text NOT NULL,
  params           jsonb NOT NULL DEFAULT '{}'::jsonb,
  organisation_id  integer NOT NULL REFERENCES organisations(id),
  org_path         text NOT NULL,
  requested_by     integer REFERENCES accounts(id),
  trigger          text NOT NULL DEFAULT 'manual' CHECK (trigger IN ('manual','schedule')),
  status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','succeeded','failed')),
  attempts         integer NOT NULL DEFAULT 0,
  started_at       timestamptz,
  finished_at      timestamptz,
  file_name        text,
  file_size        bigint,
  file             bytea,
  error            text,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX export_jobs_scope_idx ON export_jobs (org_path text_pattern_ops, created_at);

-- 审计日志：append-only, enforced by the database itself.
CREATE TABLE audit_log (
  id              bigserial PRIMARY KEY,
  at              timestamptz NOT NULL DEFAULT now(),
  actor_id        integer,
  actor_name      text,
  org_path        text,
  action          text NOT NULL,
  resource        text,
  record_id       text,
  outcome         text NOT NULL DEFAULT 'ok' CHECK (outcome IN ('ok','refused','failed')),
  before          jsonb,
  after           jsonb,
  reason          text,
  ip              text
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_scope_idx ON audit_log (org_path text_pattern_ops, at);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The retention job alone may purge, and only rows past the legal minimum of 180 days.
  IF TG_OP = 'DELETE' AND current_setting('app.audit_retention', true) = 'on'
     AND OLD.at < now() - interval '180 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- 密码找回验证码 and the development notifier's outbox.
CREATE TABLE password_reset_codes (
  id          serial PRIMARY KEY,
  account_id  integer NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  code_hash   text NOT NULL,
  channel     text NOT NULL CHECK (channel IN ('email','mobile')),
  expires_at  timestamptz NOT NULL,
  attempts    integer NOT NULL DEFAULT 0,
  used_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE notification_outbox (
  id          serial PRIMARY KEY,
  channel     text NOT NULL,
  recipient   text NOT NULL,
  subject     text NOT NULL,
  body        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Sessions (connect-pg-simple's table), so any number of app processes share them.
CREATE TABLE session (
  sid     varchar NOT NULL PRIMARY KEY,
  sess    json NOT NULL,
  expire  timestamp(6) NOT NULL
);
CREATE INDEX session_expire_idx ON session (expire);

-- Settings kept by the platform itself (e.g. the development session secret).
CREATE TABLE app_settings (
  key    text PRIMARY KEY,
  value  text NOT NULL
);
`;

export const migration: Migration = {
  name: '001-domain-schema',
  async up(sequelize, transaction) {
    await sequelize.query(sql, { transaction });
  },
};
