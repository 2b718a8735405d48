/**
 * Issue 18.5: the rules of a year are data with history, and a change takes effect from a year.
 *
 * Before this migration a catalog edit overwrote `learning_forms.cap_per_year` for every year at
 * once (lowering the online cap to 10 changed 2019's totals as well as 2026's), the yearly
 * requirement could be edited in place (its earlier value lost), and the key-review threshold
 * was an environment variable (`KEY_REVIEW_ABOVE_HOURS`) that nobody in the panel could see.
 *
 * Now three tables hold the rules, one row per decision, never updated or deleted by the
 * application (ce_app has INSERT and SELECT only): the row that applies to a year is the one
 * with the latest `effective_year` not after it, and among rows of the same effective year the
 * latest one entered (a correction supersedes, the corrected row stays as history).
 *
 * - learning_form_rules: a form's yearly cap, cap per activity and conversion, from a year on.
 *   `ce_form_rule(form, year)` is the one reader: the yearly totals (ce_year_totals), the
 *   declaration and the import all use it. `learning_forms.cap_per_year / cap_per_activity /
 *   conversion` become a copy of the form's newest rule (what the catalog lists), kept by a
 *   trigger; nothing computes with the copy.
 * - yearly_requirements (migration 009) loses its uniqueness so a correction is a new row.
 * - key_review_rules: declarations above `above_hours` are flagged 重点审核, from a year on.
 *
 * A new rule recomputes, in the transaction that inserts it, every person-year it can change:
 * the same commit makes the rule effective and the totals equal to a recomputation (measured
 * on the demo data, PGlite, 2 busy cores: 网络培训 cap 10 from 2026 — 550 person-years above it —
 * added and recomputed in 732 ms through the panel's API; test/integration/year-rules-data.test.ts).
 * Migration 018 moved that recompute out of the rule's transaction into a recompute job (重算任务).
 */
import type { Migration } from '../migrator.js';
import { hourPolicy } from '../../../config/policies.js';

const APP_ROLE = 'ce_app';

export const migration: Migration = {
  name: '016-year-rules-as-data',
  async up(sequelize, transaction) {
    await sequelize.query(/* sql */ `
-- ── learning-form rules by year ─────────────────────────────────────────────
CREATE TABLE learning_form_rules (
  id                serial PRIMARY KEY,
  learning_form_id  integer NOT NULL REFERENCES learning_forms(id),
  effective_year    smallint NOT NULL CHECK (effective_year BETWEEN 2000 AND 2100),
  cap_per_activity  numeric(6,1) CHECK (cap_per_activity > 0 AND cap_per_activity <= 1000),
  cap_per_year      numeric(6,1) CHECK (cap_per_year > 0 AND cap_per_year <= 1000),
  conversion        jsonb NOT NULL,
  source            text,
  created_by        integer REFERENCES accounts(id),
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX learning_form_rules_lookup ON learning_form_rules (learning_form_id, effective_year DESC, id DESC);
INSERT INTO learning_form_rules (learning_form_id, effective_year, cap_per_activity, cap_per_year, conversion, source)
  SELECT id, 2000, cap_per_activity, cap_per_year, conversion, '平台初始学习形式目录' FROM learning_forms ORDER BY id;

-- The rule of a form for a year: the latest effective year not after it, the latest entry of that year.
CREATE FUNCTION ce_form_rule(form integer, y smallint)
RETURNS TABLE (cap_per_activity numeric, cap_per_year numeric, conversion jsonb) LANGUAGE sql STABLE AS $$
  SELECT r.cap_per_activity, r.cap_per_year, r.conversion FROM learning_form_rules r
   WHERE r.learning_form_id = form AND r.effective_year <= y
   ORDER BY r.effective_year DESC, r.id DESC LIMIT 1 $$;

-- ── key-review rule by year ─────────────────────────────────────────────────
CREATE TABLE key_review_rules (
  id              serial PRIMARY KEY,
  effective_year  smallint NOT NULL CHECK (effective_year BETWEEN 2000 AND 2100),
  above_hours     numeric(6,1) NOT NULL CHECK (above_hours > 0 AND above_hours <= 1000),
  source          text,
  created_by      integer REFERENCES accounts(id),
  created_at      timestamptz NOT NULL DEFAULT now()
);
INSERT INTO key_review_rules (effective_year, above_hours, source) VALUES (2000, ${Number(hourPolicy.keyReviewAboveHours) || 40}, '平台初始设置（原环境变量 KEY_REVIEW_ABOVE_HOURS）');
CREATE FUNCTION ce_key_review_above(y smallint) RETURNS numeric LANGUAGE sql STABLE AS $$
  SELECT above_hours FROM key_review_rules WHERE effective_year <= y ORDER BY effective_year DESC, id DESC LIMIT 1 $$;

-- ── yearly requirements: corrections are new rows ───────────────────────────
ALTER TABLE yearly_requirements DROP CONSTRAINT IF EXISTS yearly_requirements_effective_year_region_code_key;
CREATE OR REPLACE FUNCTION ce_requirement(y smallint, region text)
RETURNS TABLE (total_hours numeric, public_hours numeric, professional_hours numeric) LANGUAGE sql STABLE AS $$
  SELECT r.total_hours, r.public_hours, r.professional_hours FROM yearly_requirements r
   WHERE r.effective_year <= y
     AND (r.region_code IS NULL OR r.region_code = region OR (r.region_code LIKE '____00' AND left(r.region_code, 4) = left(region, 4)))
   ORDER BY CASE WHEN r.region_code IS NULL THEN 0 WHEN r.region_code = region THEN 2 ELSE 1 END DESC, r.effective_year DESC, r.id DESC
   LIMIT 1 $$;

-- History: the application adds rules; it never rewrites or removes one.
REVOKE UPDATE, DELETE ON yearly_requirements FROM ${APP_ROLE};
GRANT SELECT, INSERT ON learning_form_rules, key_review_rules TO ${APP_ROLE};
REVOKE UPDATE, DELETE, TRUNCATE ON learning_form_rules, key_review_rules FROM ${APP_ROLE};
GRANT USAGE, SELECT ON SEQUENCE learning_form_rules_id_seq, key_review_rules_id_seq TO ${APP_ROLE};

-- ── the approved hours of a person-year, by an index of their own ───────────
-- ce_year_totals reads the approved declarations of given person-years. Planned generically (a
-- SQL function's body), with (person_id, year) and (status, org_path, year) the planner ANDed two
-- bitmaps, the second one covering every approved row: each person-year visited the whole
-- approved part of that index. On 500,000 benchmark records ce_rebuild_year_totals ran for more
-- than 13 minutes without finishing. This partial index answers a person-year alone (and
-- index-only: the window's order and the sums' columns are in it).
CREATE INDEX hour_declarations_approved_idx ON hour_declarations (person_id, year, learning_form_id, id)
  INCLUDE (subject_type, approved_hours) WHERE status = 'approved';

-- ── the yearly-totals rule, capped by the rule of each declaration's year ───
-- Same rule as migration 009 (each form up to its yearly cap across both subject types, in
-- declaration order); the cap now comes from the form's rule for the declaration's year. The
-- rules are few (tens of rows), so they are joined as ranges rather than looked up per row.
CREATE OR REPLACE FUNCTION ce_year_totals(pids integer[], yrs smallint[])
RETURNS TABLE (person_id integer, year smallint, public_hours numeric, professional_hours numeric, completed boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  WITH k AS (SELECT DISTINCT k.person_id, k.year FROM unnest(pids, yrs) AS k(person_id, year)),
  latest AS (
    SELECT DISTINCT ON (r.learning_form_id, r.effective_year) r.learning_form_id, r.effective_year, r.cap_per_year
      FROM learning_form_rules r ORDER BY r.learning_form_id, r.effective_year, r.id DESC),
  rules AS (
    SELECT l.learning_form_id, l.effective_year AS from_year, l.cap_per_year,
           lead(l.effective_year) OVER (PARTITION BY l.learning_form_id ORDER BY l.effective_year) AS until_year
      FROM latest l),
  approved AS (
    SELECT h.person_id, h.year, h.subject_type, h.approved_hours, r.cap_per_year,
           sum(h.approved_hours) OVER (PARTITION BY h.person_id, h.year, h.learning_form_id ORDER BY h.id) AS running
      FROM hour_declarations h JOIN k ON k.person_id = h.person_id AND k.year = h.year
      LEFT JOIN rules r ON r.learning_form_id = h.learning_form_id AND h.year >= r.from_year AND (r.until_year IS NULL OR h.year < r.until_year)
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

-- The catalog's copy of the cap no longer decides totals: its trigger goes, the rules' comes.
DROP TRIGGER year_totals_forms ON learning_forms;
DROP FUNCTION ce_totals_follow_forms();

-- A new form rule: every person-year with approved hours of that form from its effective year;
-- then the catalog's copy follows the form's newest rule.
CREATE FUNCTION ce_totals_follow_form_rules() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE pids integer[]; yrs smallint[];
BEGIN
  SELECT array_agg(k.person_id), array_agg(k.year) INTO pids, yrs FROM (
    SELECT DISTINCT h.person_id, h.year FROM hour_declarations h
      JOIN (SELECT learning_form_id, min(effective_year) AS from_year FROM changed GROUP BY 1) c ON c.learning_form_id = h.learning_form_id
     WHERE h.status = 'approved' AND h.year >= c.from_year) k;
  PERFORM ce_refresh_year_totals(pids, yrs);
  UPDATE learning_forms f SET cap_per_year = n.cap_per_year, cap_per_activity = n.cap_per_activity, conversion = n.conversion, updated_at = now()
    FROM (SELECT DISTINCT ON (r.learning_form_id) r.learning_form_id, r.cap_per_year, r.cap_per_activity, r.conversion
            FROM learning_form_rules r WHERE r.learning_form_id IN (SELECT learning_form_id FROM changed)
           ORDER BY r.learning_form_id, r.effective_year DESC, r.id DESC) n
   WHERE f.id = n.learning_form_id;
  RETURN NULL;
END $$;
CREATE TRIGGER year_totals_form_rules AFTER INSERT ON learning_form_rules REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ce_totals_follow_form_rules();

-- A new learning form starts with its first rule, from 2000, whoever inserts it (the demo seed does).
CREATE FUNCTION ce_form_first_rule() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO learning_form_rules (learning_form_id, effective_year, cap_per_activity, cap_per_year, conversion, source)
  SELECT n.id, 2000, n.cap_per_activity, n.cap_per_year, n.conversion, '学习形式创建时的规则' FROM new_rows n ORDER BY n.id;
  RETURN NULL;
END $$;
CREATE TRIGGER learning_forms_first_rule AFTER INSERT ON learning_forms REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ce_form_first_rule();

-- The copy is the rules' to write: the application changes a cap or a conversion by adding a rule.
CREATE FUNCTION ce_form_copy_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_user = '${APP_ROLE}' AND (NEW.cap_per_year, NEW.cap_per_activity, NEW.conversion)
       IS DISTINCT FROM (OLD.cap_per_year, OLD.cap_per_activity, OLD.conversion) THEN
    RAISE EXCEPTION '学时上限和折算规则按年度生效，请在“学习形式年度规则”中新增一条规则' USING ERRCODE = '42501', HINT = 'year_rules';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER learning_forms_copy_guard BEFORE UPDATE ON learning_forms FOR EACH ROW EXECUTE FUNCTION ce_form_copy_guard();
`, { transaction });
  },
};
