/**
 * Issue 16 item 2: the hour records' row-level security written as ranges, as the persons'
 * (migration 022). The policy of migration 009,
 *   ce_in_scope(org_path) OR person_id = ce_person() OR (ce_kind() = 'ce_base' AND ce_base_id = ce_org())
 * is an OR the planner can only test row by row and guesses at ~3 %: 历下's 139,784 records (1 M
 * persons) were estimated at 4,415, so the list's count memo never trusted its estimate and
 * counted 50,001 rows on every page (20 ms), and a page read by keys first sorted a city's
 * 700,000 entries it took for 21,000. Now, ANDed:
 *   org_path ~>=~ ce_hours_from() AND org_path ~<~ ce_hours_to()
 *   AND person_id BETWEEN ce_person_from() AND ce_person_to()
 *   AND ce_base_key BETWEEN ce_base_from() AND ce_base_to()
 * - an HR or unit admin (or the platform): its jurisdiction's paths, every person, every CE base;
 * - a professional person: every path, exactly its own person id, every CE base;
 * - a CE base: every path and person, exactly its own CE base — what the application's policy
 *   gives it (resources/hours/policy.ts: a CE base sees what it declared for its trainees, not
 *   a jurisdiction). Migration 009 also let it see records under its own path; no person is
 *   employed by a CE base (their records carry their unit's path), so no row it could see is lost.
 * Every bound is a stable expression of the access settings, evaluated once per scan, and every
 * column is a key of the scope index, so the whole policy is index conditions (no per-row
 * function calls) and the planner estimates it with the settings' values. `ce_base_key` is
 * ce_base_id with 0 for none (a generated column): a range on the nullable ce_base_id would drop
 * the records without a CE base, and an index on coalesce(ce_base_id, 0) cannot answer an
 * index-only scan (the count beside every list). Adding it rewrites the table once (5,000,000
 * records: ~27 s on the benchmark machine, the count beside 历下's hour list 24 ms, index only).
 */
import type { Migration } from '../migrator.js';

const APP_ROLE = 'ce_app';
const RANGES = `org_path ~>=~ ce_hours_from() AND org_path ~<~ ce_hours_to()
  AND person_id >= ce_person_from() AND person_id <= ce_person_to()
  AND ce_base_key >= ce_base_from() AND ce_base_key <= ce_base_to()`;

export const migration: Migration = {
  name: '025-hour-records-scope-ranges',
  async up(sequelize, transaction) {
    await sequelize.query(/* sql */ `
      CREATE FUNCTION ce_hours_from() RETURNS text LANGUAGE sql STABLE AS
        $$ SELECT CASE WHEN current_setting('ce.kind', true) IN ('person', 'ce_base') THEN '/' ELSE ce_scope() END $$;
      CREATE FUNCTION ce_hours_to() RETURNS text LANGUAGE sql STABLE AS
        $$ SELECT CASE WHEN current_setting('ce.kind', true) IN ('person', 'ce_base') THEN '0' ELSE ce_scope_end() END $$;
      CREATE FUNCTION ce_base_from() RETURNS integer LANGUAGE sql STABLE AS
        $$ SELECT CASE WHEN current_setting('ce.kind', true) = 'ce_base' THEN ce_org() ELSE -2147483648 END $$;
      CREATE FUNCTION ce_base_to() RETURNS integer LANGUAGE sql STABLE AS
        $$ SELECT CASE WHEN current_setting('ce.kind', true) = 'ce_base' THEN ce_org() ELSE 2147483647 END $$;
      GRANT EXECUTE ON FUNCTION ce_hours_from(), ce_hours_to(), ce_base_from(), ce_base_to() TO ${APP_ROLE};

      ALTER TABLE hour_declarations ADD COLUMN ce_base_key integer NOT NULL GENERATED ALWAYS AS (coalesce(ce_base_id, 0)) STORED;

      DROP POLICY jurisdiction ON hour_declarations;
      CREATE POLICY jurisdiction ON hour_declarations USING (${RANGES}) WITH CHECK (${RANGES});

      DROP INDEX hour_declarations_scope_created_idx;
      CREATE INDEX hour_declarations_scope_created_idx ON hour_declarations
        (org_path text_pattern_ops, created_at, id, person_id, ce_base_key);
    `, { transaction });
  },
};
