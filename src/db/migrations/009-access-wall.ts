/**
 * The database's own checks of what the application's code already checks, so that what the
 * code forgets the database still refuses:
 *
 * 1. Row-level security. The application's queries run as the role `ce_app` (src/access/wall.ts:
 *    `SET LOCAL ROLE ce_app` and the principal's settings at the start of every transaction);
 *    each table that carries a jurisdiction path shows and lets write only the rows under
 *    `ce.scope` (a county admin's '/1/2/18/'), a person's own rows (`ce.person`), and what the
 *    policy names below add. The tables' owner (migrations, the demo seed) is not bound. The
 *    jurisdiction test is a range on the path's text_pattern_ops index
 *    (`path ~>=~ scope AND path ~<~ scope_end`), so it can drive an index scan.
 *
 * 2. Authority over accounts. An account is one identity with possibly several roles (admin
 *    seats, a person in a unit). `ce_account_refusal(account)` says why the current principal
 *    may not act on it — a seat outside its jurisdiction, a seat at its own level or above, a
 *    person outside its jurisdiction — or NULL. Updating an account (its password, its lock)
 *    and linking it to a person or a new admin seat need it NULL; ending its sessions too.
 *
 * 3. Yearly totals computed where the lock is held. `person_year_hours` is derived data: the
 *    approved hours of a person and year by subject type, each learning form counted up to its
 *    yearly cap across both subject types (declarations in the order they were made: the one
 *    that passes the cap counts in part), and whether the year's requirement (`yearly_requirements`,
 *    data: year from which it applies, region) is met. Triggers on hour_declarations, persons,
 *    organisations, learning_forms and yearly_requirements refresh the affected person-years in
 *    the transaction of the change: first a row lock on each person-year in key order, then the
 *    sums in a statement of their own, whose snapshot therefore includes every concurrent
 *    decision committed before the lock was granted. Two admins deciding different declarations
 *    of one person-year at once cannot leave a stale sum. `ce_year_totals` is the one rule: the
 *    triggers, the demo seed and the benchmark generator all use it.
 */
import type { Migration } from '../migrator.js';
import { defaultRequirement, requirementOverrides } from '../../../config/yearly-requirements.js';

const APP_ROLE = 'ce_app';

/** Tables whose rows belong to a jurisdiction, and who sees which of their rows. */
const POLICIES: Array<{ table: string; using: string; check?: string; commands?: string }> = [
  { table: 'persons', using: 'ce_in_scope(org_path) OR id = ce_person()' },
  { table: 'hour_declarations', using: "ce_in_scope(org_path) OR person_id = ce_person() OR (ce_kind() = 'ce_base' AND ce_base_id = ce_org())" },
  { table: 'person_year_hours', using: 'ce_in_scope(org_path) OR person_id = ce_person()' },
  { table: 'registrations', using: 'ce_in_scope(org_path)' },
  { table: 'change_requests', using: 'ce_in_scope(org_path) OR person_id = ce_person() OR organisation_id = ce_org()' },
  { table: 'superior_changes', using: `organisation_id = ce_org() OR EXISTS (SELECT 1 FROM organisations o
      WHERE o.id IN (superior_changes.organisation_id, superior_changes.from_superior_id, superior_changes.to_superior_id) AND ce_in_scope(o.path))` },
  { table: 'approval_tasks', using: 'ce_in_scope(org_path)' },
  { table: 'transfers', using: 'ce_in_scope(from_path) OR ce_in_scope(to_path)' },
  { table: 'training_plans', using: 'ce_in_scope(org_path)' },
  { table: 'certificates', using: 'ce_in_scope(org_path) OR person_id = ce_person()' },
  { table: 'export_jobs', using: 'ce_in_scope(org_path)' },
  { table: 'import_jobs', using: 'ce_in_scope(org_path)' },
  { table: 'admins', using: 'ce_in_scope(org_path) OR account_id = ce_account()' },
  { table: 'roles', using: 'ce_in_scope(org_path)' },
];

/** Rollups: read in scope, written only by the definer triggers that keep them. */
const ROLLUPS = ['stat_persons', 'stat_series', 'stat_completion', 'stat_hours'];

/** Trigger functions that keep derived rows of every jurisdiction: they run as the tables' owner. */
const DEFINER_FUNCTIONS = ['person_year_hours_describe()', 'stat_persons_change()', 'stat_completion_change()', 'stat_hours_change()', 'stat_rebuild()'];

function requirementRows(): string {
  const rows = [{ year: 2000, region: null as string | null, r: defaultRequirement }, ...requirementOverrides.map((o) => ({ year: o.year ?? 2000, region: o.regionCode ?? null, r: o.requirement }))];
  return rows.map((x) => `(${x.year}, ${x.region ? `'${x.region}'` : 'NULL'}, ${x.r.total}, ${x.r.public}, ${x.r.professional}, '平台初始配置（人社部令第25号第八条；config/yearly-requirements.ts）')`).join(',\n    ');
}

const sql = () => /* sql */ `
-- ── the application's role ──────────────────────────────────────────────────
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN CREATE ROLE ${APP_ROLE} NOLOGIN; END IF;
END $$;
GRANT USAGE ON SCHEMA public TO ${APP_ROLE};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE};
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE};
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APP_ROLE};
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${APP_ROLE};
REVOKE ALL ON schema_migrations FROM ${APP_ROLE};

-- ── the principal's settings (set by src/access/wall.ts) ────────────────────
CREATE FUNCTION ce_scope() RETURNS text LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('ce.scope', true), '') $$;
-- The first text after every path that starts with the scope ('/1/2/' → '/1/20'): '/' < '0'.
CREATE FUNCTION ce_scope_end() RETURNS text LANGUAGE sql STABLE AS $$ SELECT left(nullif(current_setting('ce.scope', true), ''), -1) || '0' $$;
CREATE FUNCTION ce_kind() RETURNS text LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('ce.kind', true), '') $$;
CREATE FUNCTION ce_person() RETURNS integer LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('ce.person', true), '')::integer $$;
CREATE FUNCTION ce_org() RETURNS integer LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('ce.org', true), '')::integer $$;
CREATE FUNCTION ce_account() RETURNS integer LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('ce.account', true), '')::integer $$;
CREATE FUNCTION ce_in_scope(path text) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT path ~>=~ ce_scope() AND path ~<~ ce_scope_end() $$;

-- ── authority over accounts ─────────────────────────────────────────────────
CREATE FUNCTION ce_account_refusal(target integer) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT CASE
    WHEN ce_kind() = 'system' THEN NULL
    WHEN ce_scope() IS NULL THEN 'no_jurisdiction'
    WHEN EXISTS (SELECT 1 FROM admins ad WHERE ad.account_id = target AND NOT ce_in_scope(ad.org_path)) THEN 'admin_outside'
    WHEN EXISTS (SELECT 1 FROM admins ad WHERE ad.account_id = target AND ad.org_path = ce_scope()
                  AND (ad.is_super OR current_setting('ce.super', true) IS DISTINCT FROM 'on')) THEN 'admin_not_below'
    WHEN EXISTS (SELECT 1 FROM persons ps WHERE ps.account_id = target AND NOT ce_in_scope(ps.org_path)) THEN 'person_outside'
  END $$;
CREATE FUNCTION ce_may_see_account(target integer) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT ce_kind() = 'system' OR target = ce_account()
      OR EXISTS (SELECT 1 FROM admins ad WHERE ad.account_id = target AND ce_in_scope(ad.org_path))
      OR EXISTS (SELECT 1 FROM persons ps WHERE ps.account_id = target AND (ce_in_scope(ps.org_path) OR ps.id = ce_person()))
$$;

-- Whether ID numbers are taken anywhere (a person record, an account), whatever the caller's
-- jurisdiction: uniqueness is province-wide while visibility is not. Answers only that, and the
-- account's id for the authority check; callers word their refusal neutrally.
CREATE FUNCTION ce_id_numbers_taken(ids text[]) RETURNS TABLE (id_number text, person_id integer, account_id integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT k.n, p.id, a.id FROM unnest(ids) AS k(n)
    LEFT JOIN persons p ON p.id_number = k.n LEFT JOIN accounts a ON a.id_number = k.n
   WHERE p.id IS NOT NULL OR a.id IS NOT NULL $$;

-- Linking an account to a person or to a new admin seat, by anyone bound by the wall.
CREATE FUNCTION ce_guard_account_link() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE why text;
BEGIN
  IF current_user <> '${APP_ROLE}' OR NEW.account_id IS NULL
     OR (TG_OP = 'UPDATE' AND NEW.account_id IS NOT DISTINCT FROM OLD.account_id) THEN
    RETURN NEW;
  END IF;
  why := ce_account_refusal(NEW.account_id);
  IF why IS NOT NULL THEN
    RAISE EXCEPTION '无权关联该账号（%）', why USING ERRCODE = '42501', HINT = 'account_authority';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER persons_account_link BEFORE INSERT OR UPDATE OF account_id ON persons FOR EACH ROW EXECUTE FUNCTION ce_guard_account_link();
CREATE TRIGGER admins_account_link BEFORE INSERT OR UPDATE OF account_id ON admins FOR EACH ROW EXECUTE FUNCTION ce_guard_account_link();

-- ── row-level security ──────────────────────────────────────────────────────
${POLICIES.map((p) => `ALTER TABLE ${p.table} ENABLE ROW LEVEL SECURITY;
CREATE POLICY jurisdiction ON ${p.table} USING (${p.using}) WITH CHECK (${p.check ?? p.using});`).join('\n')}

ALTER TABLE organisations ENABLE ROW LEVEL SECURITY;
-- Read: the jurisdiction, its ancestors, and the public directory (active bureaus, units and
-- CE bases, as /register lists them). Write: the jurisdiction only.
CREATE POLICY directory ON organisations FOR SELECT USING (
  ce_in_scope(path) OR starts_with(ce_scope(), path) OR (status = 'active' AND kind <> 'department'));
CREATE POLICY jurisdiction_insert ON organisations FOR INSERT WITH CHECK (ce_in_scope(path));
CREATE POLICY jurisdiction_update ON organisations FOR UPDATE USING (ce_in_scope(path)) WITH CHECK (ce_in_scope(path));
CREATE POLICY jurisdiction_delete ON organisations FOR DELETE USING (ce_in_scope(path));

ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY through_roles ON accounts FOR SELECT USING (ce_may_see_account(id));
CREATE POLICY authority ON accounts FOR UPDATE USING (id = ce_account() OR ce_account_refusal(id) IS NULL) WITH CHECK (true);
CREATE POLICY open ON accounts FOR INSERT WITH CHECK (true);
CREATE POLICY platform ON accounts FOR DELETE USING (ce_kind() = 'system');

ALTER TABLE session ENABLE ROW LEVEL SECURITY;
CREATE POLICY through_roles ON session FOR SELECT USING (ce_kind() = 'system' OR ce_may_see_account(account_id));
CREATE POLICY authority ON session FOR DELETE USING (ce_kind() = 'system' OR ce_account_refusal(account_id) IS NULL);
CREATE POLICY platform_write ON session FOR INSERT WITH CHECK (ce_kind() = 'system');
-- Ending a session locks it first (SELECT … FOR UPDATE needs an UPDATE policy); only the platform writes one.
CREATE POLICY platform_update ON session FOR UPDATE USING (ce_kind() = 'system' OR ce_account_refusal(account_id) IS NULL)
  WITH CHECK (ce_kind() = 'system');

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY jurisdiction ON audit_log FOR SELECT USING (ce_in_scope(org_path));
CREATE POLICY append ON audit_log FOR INSERT WITH CHECK (true);
CREATE POLICY retention ON audit_log FOR DELETE USING (ce_kind() = 'system');

ALTER TABLE password_reset_codes ENABLE ROW LEVEL SECURITY;
CREATE POLICY platform ON password_reset_codes USING (ce_kind() = 'system') WITH CHECK (ce_kind() = 'system');
ALTER TABLE notification_outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY platform ON notification_outbox FOR SELECT USING (ce_kind() = 'system');
CREATE POLICY send ON notification_outbox FOR INSERT WITH CHECK (true);

${ROLLUPS.map((t) => `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
CREATE POLICY jurisdiction ON ${t} FOR SELECT USING (ce_in_scope(org_path));`).join('\n')}

-- A view reads with its caller's rights, so the tables' policies apply through it.
ALTER VIEW certificate_years SET (security_invoker = true);

${DEFINER_FUNCTIONS.map((f) => `ALTER FUNCTION ${f} SECURITY DEFINER SET search_path FROM CURRENT;`).join('\n')}

-- ── yearly requirements as data ─────────────────────────────────────────────
CREATE TABLE yearly_requirements (
  id              serial PRIMARY KEY,
  effective_year  smallint NOT NULL CHECK (effective_year BETWEEN 2000 AND 2100),
  region_code     char(6) CHECK (region_code ~ '^[1-9][0-9]{5}$'),
  total_hours     numeric(6,1) NOT NULL CHECK (total_hours > 0),
  public_hours    numeric(6,1) NOT NULL CHECK (public_hours >= 0),
  professional_hours numeric(6,1) NOT NULL CHECK (professional_hours >= 0),
  source          text,
  created_by      integer REFERENCES accounts(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (public_hours + professional_hours <= total_hours),
  UNIQUE NULLS NOT DISTINCT (effective_year, region_code)
);
INSERT INTO yearly_requirements (effective_year, region_code, total_hours, public_hours, professional_hours, source) VALUES
    ${requirementRows()};

-- The requirement of a year in a region: the most specific region (county, then its city, then
-- the province) that has a rule, and of its rules the latest that applies from that year or before.
CREATE FUNCTION ce_requirement(y smallint, region text)
RETURNS TABLE (total_hours numeric, public_hours numeric, professional_hours numeric) LANGUAGE sql STABLE AS $$
  SELECT r.total_hours, r.public_hours, r.professional_hours FROM yearly_requirements r
   WHERE r.effective_year <= y
     AND (r.region_code IS NULL OR r.region_code = region OR (r.region_code LIKE '____00' AND left(r.region_code, 4) = left(region, 4)))
   ORDER BY CASE WHEN r.region_code IS NULL THEN 0 WHEN r.region_code = region THEN 2 ELSE 1 END DESC, r.effective_year DESC
   LIMIT 1 $$;

-- ── the yearly-totals rule ──────────────────────────────────────────────────
CREATE FUNCTION ce_year_totals(pids integer[], yrs smallint[])
RETURNS TABLE (person_id integer, year smallint, public_hours numeric, professional_hours numeric, completed boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  WITH k AS (SELECT DISTINCT k.person_id, k.year FROM unnest(pids, yrs) AS k(person_id, year)),
  approved AS (
    SELECT h.person_id, h.year, h.subject_type, h.approved_hours, f.cap_per_year,
           sum(h.approved_hours) OVER (PARTITION BY h.person_id, h.year, h.learning_form_id ORDER BY h.id) AS running
      FROM hour_declarations h JOIN k ON k.person_id = h.person_id AND k.year = h.year
      JOIN learning_forms f ON f.id = h.learning_form_id
     WHERE h.status = 'approved'),
  counted AS (
    SELECT a.person_id, a.year, a.subject_type,
           CASE WHEN a.cap_per_year IS NULL THEN a.approved_hours
                ELSE greatest(0, least(a.approved_hours, a.cap_per_year - (a.running - a.approved_hours))) END AS hours
      FROM approved a),
  sums AS (
    SELECT k.person_id, k.year,
           coalesce(sum(c.hours) FILTER (WHERE c.subject_type = 'public'), 0) AS pub,
           coalesce(sum(c.hours) FILTER (WHERE c.subject_type = 'professional'), 0) AS prof
      FROM k LEFT JOIN counted c ON c.person_id = k.person_id AND c.year = k.year
     GROUP BY k.person_id, k.year)
  SELECT s.person_id, s.year, s.pub, s.prof,
         coalesce(s.pub >= r.public_hours AND s.prof >= r.professional_hours AND s.pub + s.prof >= r.total_hours, false)
    FROM sums s JOIN persons p ON p.id = s.person_id JOIN organisations o ON o.id = p.unit_id
    LEFT JOIN LATERAL ce_requirement(s.year, o.region_code) r ON true
$$;

-- Refreshes the given person-years: lock first (key order), recompute second.
CREATE FUNCTION ce_refresh_year_totals(pids integer[], yrs smallint[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  IF pids IS NULL OR cardinality(pids) = 0 THEN RETURN; END IF;
  INSERT INTO person_year_hours (person_id, year, org_path)
  SELECT k.person_id, k.year, '' FROM (SELECT DISTINCT * FROM unnest(pids, yrs) AS k(person_id, year)) k
   WHERE EXISTS (SELECT 1 FROM persons p WHERE p.id = k.person_id)
   ORDER BY 1, 2
  ON CONFLICT (person_id, year) DO NOTHING;
  PERFORM 1 FROM person_year_hours y JOIN (SELECT DISTINCT * FROM unnest(pids, yrs) AS k(person_id, year)) k
      ON k.person_id = y.person_id AND k.year = y.year
    ORDER BY y.person_id, y.year FOR UPDATE OF y;
  UPDATE person_year_hours y SET public_hours = t.public_hours, professional_hours = t.professional_hours, completed = t.completed, updated_at = now()
    FROM ce_year_totals(pids, yrs) t
   WHERE y.person_id = t.person_id AND y.year = t.year
     AND (y.public_hours, y.professional_hours, y.completed) IS DISTINCT FROM (t.public_hours, t.professional_hours, t.completed);
END $$;

-- Every person-year that has approved hours or a yearly row (from one person id on): the
-- benchmark generator's bulk load (declarations written with triggers off), and this migration.
CREATE FUNCTION ce_rebuild_year_totals(from_person integer DEFAULT 0) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path FROM CURRENT AS $$
  WITH keys AS (SELECT array_agg(person_id) p, array_agg(year) y FROM (
                  SELECT person_id, year FROM hour_declarations WHERE status = 'approved' AND person_id >= from_person
                  UNION SELECT person_id, year FROM person_year_hours WHERE person_id >= from_person) k),
  w AS (
    INSERT INTO person_year_hours AS y (person_id, year, org_path, title_level, counted, public_hours, professional_hours, completed)
    SELECT t.person_id, t.year, p.org_path, coalesce(p.title_level, ''), p.status = 'active', t.public_hours, t.professional_hours, t.completed
      FROM keys, ce_year_totals(keys.p, keys.y) t JOIN persons p ON p.id = t.person_id
    ON CONFLICT (person_id, year) DO UPDATE SET public_hours = EXCLUDED.public_hours, professional_hours = EXCLUDED.professional_hours,
      completed = EXCLUDED.completed, updated_at = now()
    RETURNING 1)
  SELECT count(*) FROM w $$;

CREATE FUNCTION ce_totals_follow_declarations() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE pids integer[]; yrs smallint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(k.person_id), array_agg(k.year) INTO pids, yrs FROM (SELECT DISTINCT n.person_id, n.year FROM new_rows n WHERE n.status = 'approved') k;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(k.person_id), array_agg(k.year) INTO pids, yrs FROM (SELECT DISTINCT o.person_id, o.year FROM old_rows o WHERE o.status = 'approved') k;
  ELSE
    SELECT array_agg(k.person_id), array_agg(k.year) INTO pids, yrs FROM (
      SELECT x.person_id, x.year FROM old_rows o JOIN new_rows n ON n.id = o.id
       CROSS JOIN LATERAL (VALUES (o.person_id, o.year), (n.person_id, n.year)) AS x(person_id, year)
       WHERE (o.status = 'approved' OR n.status = 'approved')
         AND (o.status, o.approved_hours, o.person_id, o.year, o.learning_form_id, o.subject_type)
             IS DISTINCT FROM (n.status, n.approved_hours, n.person_id, n.year, n.learning_form_id, n.subject_type)
       GROUP BY 1, 2) k;
  END IF;
  PERFORM ce_refresh_year_totals(pids, yrs);
  RETURN NULL;
END $$;
CREATE TRIGGER year_totals_insert AFTER INSERT ON hour_declarations REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ce_totals_follow_declarations();
CREATE TRIGGER year_totals_update AFTER UPDATE ON hour_declarations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ce_totals_follow_declarations();
CREATE TRIGGER year_totals_delete AFTER DELETE ON hour_declarations REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ce_totals_follow_declarations();

-- A person who moves to a unit of another region may have another requirement.
CREATE FUNCTION ce_totals_follow_persons() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE pids integer[]; yrs smallint[];
BEGIN
  SELECT array_agg(y.person_id), array_agg(y.year) INTO pids, yrs FROM person_year_hours y
   WHERE y.person_id IN (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.unit_id IS DISTINCT FROM o.unit_id);
  PERFORM ce_refresh_year_totals(pids, yrs);
  RETURN NULL;
END $$;
CREATE TRIGGER year_totals_persons AFTER UPDATE ON persons REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ce_totals_follow_persons();

CREATE FUNCTION ce_totals_follow_regions() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE pids integer[]; yrs smallint[];
BEGIN
  SELECT array_agg(y.person_id), array_agg(y.year) INTO pids, yrs FROM person_year_hours y JOIN persons p ON p.id = y.person_id
   WHERE p.unit_id IN (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.region_code IS DISTINCT FROM o.region_code);
  PERFORM ce_refresh_year_totals(pids, yrs);
  RETURN NULL;
END $$;
CREATE TRIGGER year_totals_regions AFTER UPDATE ON organisations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ce_totals_follow_regions();

-- A catalog edit of a yearly cap: every person-year with approved hours of that form.
CREATE FUNCTION ce_totals_follow_forms() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE pids integer[]; yrs smallint[];
BEGIN
  SELECT array_agg(k.person_id), array_agg(k.year) INTO pids, yrs FROM (
    SELECT DISTINCT h.person_id, h.year FROM hour_declarations h
     WHERE h.status = 'approved'
       AND h.learning_form_id IN (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.cap_per_year IS DISTINCT FROM o.cap_per_year)) k;
  PERFORM ce_refresh_year_totals(pids, yrs);
  RETURN NULL;
END $$;
CREATE TRIGGER year_totals_forms AFTER UPDATE ON learning_forms REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ce_totals_follow_forms();

-- A changed requirement: every person-year from the earliest year it touches.
CREATE FUNCTION ce_totals_follow_requirements() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE pids integer[]; yrs smallint[];
BEGIN
  SELECT array_agg(y.person_id), array_agg(y.year) INTO pids, yrs FROM person_year_hours y
   WHERE y.year >= (SELECT min(effective_year) FROM (SELECT effective_year FROM changed) c);
  PERFORM ce_refresh_year_totals(pids, yrs);
  RETURN NULL;
END $$;
CREATE TRIGGER year_totals_requirements_insert AFTER INSERT ON yearly_requirements REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ce_totals_follow_requirements();
CREATE TRIGGER year_totals_requirements_update AFTER UPDATE ON yearly_requirements REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ce_totals_follow_requirements();
CREATE TRIGGER year_totals_requirements_delete AFTER DELETE ON yearly_requirements REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ce_totals_follow_requirements();

GRANT SELECT, INSERT, UPDATE, DELETE ON yearly_requirements TO ${APP_ROLE};
GRANT USAGE, SELECT ON SEQUENCE yearly_requirements_id_seq TO ${APP_ROLE};
`;

export const migration: Migration = {
  name: '009-access-wall',
  async up(sequelize, transaction) {
    await sequelize.query(sql(), { transaction });
    // Totals as the one rule says (the seed's copy dropped the per-form yearly cap; the rollup
    // capped each form per subject type).
    await sequelize.query('SELECT ce_rebuild_year_totals()', { transaction });
  },
};
