/**
 * Issue 18.5, the part migration 016 left out: "the affected totals are recomputed (in the
 * worker, with progress) in the same commit that makes the new rule effective".
 *
 * Until now a new learning-form rule or yearly requirement recomputed every person-year it could
 * change inside the transaction that inserted it — at province size millions of rows in one web
 * request. Now the rule's trigger only enqueues a recompute job (重算任务) in that same
 * transaction: the commit that makes the rule effective also commits the job, and the worker
 * (src/jobs/recompute.ts, a lane of src/worker.ts) recomputes the affected person-years in
 * batches of whole persons, each batch a transaction of its own that also advances the job's
 * cursor (the last person id done) and its done count — the progress the panel shows, and where a
 * job handed back after its worker died continues.
 *
 * The recompute is the one rule: each batch calls ce_refresh_year_totals (migration 009), which
 * locks the person-years and sums them with ce_year_totals (migration 016). No second sum.
 *
 * Why no total goes stale when a decision commits around a rule (READ COMMITTED):
 * - the rule's trigger takes the exclusive "year rules" advisory lock; ce_refresh_year_totals
 *   takes it shared, and a transaction holds it to its end. A decision that computed its
 *   person-years before the rule existed therefore commits before the rule can; one that comes
 *   after waits for the rule's commit, and its next statement (a fresh snapshot) sees the rule;
 * - a job starts after the rule's commit, so every decision it races with computes with the new
 *   rule already; and where both touch one person-year, the row lock of ce_refresh_year_totals
 *   orders them, the later one summing after the earlier one's commit;
 * - a job's batch reads its person-years in a statement of its own after taking the lock, so a
 *   declaration approved before the batch is in it, and one approved after recomputes itself.
 * Until a job is done the totals of persons it has not reached yet are the old rule's: the panel
 * says so (重算任务, and the rule pages' notice).
 *
 * A newer job for the same scope (same learning form, or a requirement region that contains the
 * older one's, from the same year or earlier) supersedes an older queued or running one; a
 * running one stops at its next batch. Key-review rules change no total: they enqueue nothing.
 */
import type { Migration } from '../migrator.js';

const APP_ROLE = 'ce_app';
/** The advisory lock key of the rules of the year (pg_advisory_xact_lock). */
export const YEAR_RULES_LOCK = 180018;

export const migration: Migration = {
  name: '018-recompute-jobs',
  async up(sequelize, transaction) {
    await sequelize.query(/* sql */ `
CREATE TABLE recompute_jobs (
  id                serial PRIMARY KEY,
  kind              text NOT NULL CHECK (kind IN ('form_rule', 'requirement')),
  rule_id           integer,
  learning_form_id  integer REFERENCES learning_forms(id),
  from_year         smallint NOT NULL CHECK (from_year BETWEEN 2000 AND 2100),
  region_code       char(6) CHECK (region_code ~ '^[1-9][0-9]{5}$'),
  org_path          text NOT NULL,
  status            text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed', 'superseded')),
  total             integer CHECK (total >= 0),
  done_count        integer NOT NULL DEFAULT 0 CHECK (done_count >= 0),
  cursor_person_id  integer NOT NULL DEFAULT 0 CHECK (cursor_person_id >= 0),
  attempts          integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  error             text,
  superseded_by     integer REFERENCES recompute_jobs(id),
  claimed_by        text,
  run_after         timestamptz,
  heartbeat_at      timestamptz,
  created_by        integer REFERENCES accounts(id),
  created_at        timestamptz NOT NULL DEFAULT now(),
  started_at        timestamptz,
  finished_at       timestamptz,
  CHECK ((kind = 'form_rule') = (learning_form_id IS NOT NULL)),
  CHECK (kind = 'requirement' OR region_code IS NULL),
  CHECK ((status IN ('done', 'failed', 'superseded')) = (finished_at IS NOT NULL)),
  CHECK (status <> 'done' OR (total IS NOT NULL AND done_count = total)),
  CHECK ((status = 'superseded') = (superseded_by IS NOT NULL)),
  CHECK (status <> 'failed' OR error IS NOT NULL),
  CHECK (status <> 'running' OR (started_at IS NOT NULL AND claimed_by IS NOT NULL))
);
CREATE INDEX recompute_jobs_queue_idx ON recompute_jobs (id) WHERE status = 'queued';
CREATE INDEX recompute_jobs_unfinished_idx ON recompute_jobs (status) WHERE status IN ('queued', 'running');
CREATE INDEX recompute_jobs_scope_idx ON recompute_jobs (org_path text_pattern_ops, created_at);

-- Province-wide rows, read in scope like the other job tables (the province's admins see them).
ALTER TABLE recompute_jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY jurisdiction ON recompute_jobs USING (ce_in_scope(org_path)) WITH CHECK (ce_in_scope(org_path));
-- Jobs are the rules' triggers' to insert (as the owner) and the worker's to advance; nobody deletes one.
REVOKE INSERT, DELETE, TRUNCATE ON recompute_jobs FROM ${APP_ROLE};
GRANT SELECT, UPDATE ON recompute_jobs TO ${APP_ROLE};

-- ── the person-years of a job ───────────────────────────────────────────────
-- A form rule: every person-year with approved hours of that form from its year on. A
-- requirement: every yearly row from its year on, of the region's persons (a county's code, a
-- city's and its counties', or the whole province). Whole persons after the cursor, in person
-- order: the first \`lim\` person-years and the rest of the last person's years (NULL: all).
CREATE FUNCTION ce_recompute_keys(job integer, after_person integer, lim integer)
RETURNS TABLE (person_id integer, year smallint) LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE j recompute_jobs; last_person integer;
BEGIN
  SELECT * INTO j FROM recompute_jobs WHERE id = job;
  IF NOT FOUND THEN RETURN; END IF;
  IF lim IS NOT NULL THEN
    IF j.kind = 'form_rule' THEN
      SELECT max(k.person_id) INTO last_person FROM (
        SELECT DISTINCT h.person_id, h.year FROM hour_declarations h
         WHERE h.status = 'approved' AND h.learning_form_id = j.learning_form_id AND h.year >= j.from_year AND h.person_id > after_person
         ORDER BY 1, 2 LIMIT lim) k;
    ELSE
      SELECT max(k.person_id) INTO last_person FROM (
        SELECT y.person_id FROM person_year_hours y JOIN persons p ON p.id = y.person_id JOIN organisations o ON o.id = p.unit_id
         WHERE y.year >= j.from_year AND y.person_id > after_person
           AND (j.region_code IS NULL OR o.region_code = j.region_code OR (j.region_code LIKE '____00' AND left(o.region_code, 4) = left(j.region_code, 4)))
         ORDER BY y.person_id, y.year LIMIT lim) k;
    END IF;
    IF last_person IS NULL THEN RETURN; END IF;
  END IF;
  IF j.kind = 'form_rule' THEN
    RETURN QUERY SELECT DISTINCT h.person_id, h.year FROM hour_declarations h
      WHERE h.status = 'approved' AND h.learning_form_id = j.learning_form_id AND h.year >= j.from_year
        AND h.person_id > after_person AND (last_person IS NULL OR h.person_id <= last_person)
      ORDER BY 1, 2;
  ELSE
    RETURN QUERY SELECT y.person_id, y.year FROM person_year_hours y JOIN persons p ON p.id = y.person_id JOIN organisations o ON o.id = p.unit_id
      WHERE y.year >= j.from_year AND y.person_id > after_person AND (last_person IS NULL OR y.person_id <= last_person)
        AND (j.region_code IS NULL OR o.region_code = j.region_code OR (j.region_code LIKE '____00' AND left(o.region_code, 4) = left(j.region_code, 4)))
      ORDER BY 1, 2;
  END IF;
END $$;

-- What the statistics pages say while a job runs: counts only, for every admin whatever the
-- jurisdiction (the stale totals are theirs too; no row of any jurisdiction is read).
CREATE FUNCTION ce_recompute_progress() RETURNS TABLE (jobs integer, total bigint, done bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT count(*)::integer, coalesce(sum(coalesce(total, 0)), 0), coalesce(sum(least(done_count, coalesce(total, 0))), 0)
    FROM recompute_jobs WHERE status IN ('queued', 'running') $$;

-- ── enqueueing, in the rule's transaction ───────────────────────────────────
CREATE FUNCTION ce_enqueue_recompute(k text, rule integer, form integer, from_y smallint, region text, by_account integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE job integer;
BEGIN
  -- Decisions that summed before this rule existed commit first; later ones wait for this commit.
  PERFORM pg_advisory_xact_lock(${YEAR_RULES_LOCK});
  -- Nothing to recompute (a new form's first rule, a requirement of years without totals): no job.
  IF k = 'form_rule' AND NOT EXISTS (SELECT 1 FROM hour_declarations h WHERE h.learning_form_id = form AND h.status = 'approved' AND h.year >= from_y)
     OR k = 'requirement' AND NOT EXISTS (SELECT 1 FROM person_year_hours y WHERE y.year >= from_y) THEN
    RETURN NULL;
  END IF;
  INSERT INTO recompute_jobs (kind, rule_id, learning_form_id, from_year, region_code, org_path, created_by)
  VALUES (k, rule, form, from_y, region,
          coalesce((SELECT path FROM organisations WHERE parent_id IS NULL ORDER BY id LIMIT 1), '/'),
          (SELECT a.id FROM accounts a WHERE a.id = by_account))
  RETURNING id INTO job;
  -- An older job whose person-years this one recomputes as well is superseded.
  UPDATE recompute_jobs o SET status = 'superseded', superseded_by = job, finished_at = now(), heartbeat_at = NULL
   WHERE o.id < job AND o.status IN ('queued', 'running') AND o.kind = k AND o.from_year >= from_y
     AND (CASE WHEN k = 'form_rule' THEN o.learning_form_id = form
               ELSE region IS NULL OR o.region_code = region OR (region LIKE '____00' AND left(o.region_code, 4) = left(region, 4)) END);
  RETURN job;
END $$;

-- A new form rule: a job for the form from the rule's year (instead of recomputing here); then
-- the catalog's copy follows the form's newest rule, as in migration 016.
CREATE OR REPLACE FUNCTION ce_totals_follow_form_rules() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE g record;
BEGIN
  FOR g IN SELECT c.learning_form_id, min(c.effective_year) AS from_year, max(c.id) AS rule_id,
                  (array_agg(c.created_by ORDER BY c.id DESC))[1] AS created_by
             FROM changed c GROUP BY c.learning_form_id ORDER BY c.learning_form_id LOOP
    PERFORM ce_enqueue_recompute('form_rule', g.rule_id, g.learning_form_id, g.from_year, NULL, g.created_by);
  END LOOP;
  UPDATE learning_forms f SET cap_per_year = n.cap_per_year, cap_per_activity = n.cap_per_activity, conversion = n.conversion, updated_at = now()
    FROM (SELECT DISTINCT ON (r.learning_form_id) r.learning_form_id, r.cap_per_year, r.cap_per_activity, r.conversion
            FROM learning_form_rules r WHERE r.learning_form_id IN (SELECT learning_form_id FROM changed)
           ORDER BY r.learning_form_id, r.effective_year DESC, r.id DESC) n
   WHERE f.id = n.learning_form_id;
  RETURN NULL;
END $$;

-- A new (or, by the owner, changed or removed) requirement: a job per region from its earliest year.
CREATE OR REPLACE FUNCTION ce_totals_follow_requirements() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE g record;
BEGIN
  FOR g IN SELECT c.region_code, min(c.effective_year) AS from_year, max(c.id) AS rule_id,
                  (array_agg(c.created_by ORDER BY c.id DESC))[1] AS created_by
             FROM changed c GROUP BY c.region_code ORDER BY c.region_code NULLS FIRST LOOP
    PERFORM ce_enqueue_recompute('requirement', CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE g.rule_id END, NULL, g.from_year, g.region_code, g.created_by);
  END LOOP;
  RETURN NULL;
END $$;

-- The one recompute, as in migration 009, now holding the year rules' lock shared to its commit.
CREATE OR REPLACE FUNCTION ce_refresh_year_totals(pids integer[], yrs smallint[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  IF pids IS NULL OR cardinality(pids) = 0 THEN RETURN; END IF;
  PERFORM pg_advisory_xact_lock_shared(${YEAR_RULES_LOCK});
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
`, { transaction });
  },
};
