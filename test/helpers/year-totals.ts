/**
 * The yearly totals recomputed independently of the database's rule (ce_year_totals), for tests
 * that must show every person-year exact after a rule of the year changed: written here in
 * TypeScript from the rule's words (README, "Rules and their sources") — each learning form counts
 * up to the yearly cap of its rule for that year (the latest effective year not after it, the
 * latest entry of that year), across both subject types, in the order declared; the year is
 * complete when the requirement of the person's region for that year (the county's, else its
 * city's, else the province's; the latest that applies) is met in total, public and professional.
 *
 * And the wait for the recompute jobs a rule enqueued (migration 018): inline mode runs them in the
 * test's own process right after the rule's commit; a test waits on their state, never on a sleep.
 */
import { QueryTypes, type Sequelize } from 'sequelize';
import { recomputesSettled, startRecomputeJobs } from '../../src/jobs/recompute.js';

const tenths = (v: string | number | null) => Math.round(Number(v ?? 0) * 10);

export interface StoredTotals { person_id: number; year: number; public_hours: number; professional_hours: number; completed: boolean }

/** Person-years (of these persons, or of the whole database) whose stored totals differ from the recomputation. */
export async function totalsMismatches(owner: Sequelize, personIds?: number[]): Promise<string[]> {
  const q = <T extends object>(sql: string) => owner.query<T>(sql, { replacements: { ids: personIds ?? [] }, type: QueryTypes.SELECT });
  const only = (col: string) => (personIds ? `${col} IN (:ids)` : 'true');
  if (personIds && !personIds.length) return [];
  const rules = await q<{ id: number; learning_form_id: number; effective_year: number; cap_per_year: string | null }>(
    'SELECT id, learning_form_id, effective_year, cap_per_year FROM learning_form_rules');
  const reqs = await q<{ id: number; effective_year: number; region_code: string | null; total_hours: string; public_hours: string; professional_hours: string }>(
    'SELECT id, effective_year, region_code, total_hours, public_hours, professional_hours FROM yearly_requirements');
  const regions = new Map((await q<{ id: number; region_code: string | null }>(
    `SELECT p.id, o.region_code FROM persons p JOIN organisations o ON o.id = p.unit_id WHERE ${only('p.id')}`)).map((p) => [p.id, p.region_code?.trim() ?? null]));
  const decls = await q<{ person_id: number; year: number; subject_type: string; approved_hours: string; learning_form_id: number }>(
    `SELECT person_id, year, subject_type, approved_hours, learning_form_id FROM hour_declarations WHERE status = 'approved' AND ${only('person_id')} ORDER BY id`);
  const stored = await q<{ person_id: number; year: number; public_hours: string; professional_hours: string; completed: boolean }>(
    `SELECT person_id, year, public_hours, professional_hours, completed FROM person_year_hours WHERE ${only('person_id')}`);

  const capCache = new Map<string, number | null>();
  const capOf = (form: number, year: number): number | null => {
    const key = `${form}:${year}`;
    if (!capCache.has(key)) {
      const best = rules.filter((r) => r.learning_form_id === form && r.effective_year <= year)
        .sort((a, b) => b.effective_year - a.effective_year || b.id - a.id)[0];
      capCache.set(key, best?.cap_per_year === null || best?.cap_per_year === undefined ? null : tenths(best.cap_per_year));
    }
    return capCache.get(key)!;
  };
  const specificity = (ruleRegion: string | null, region: string | null): number => {
    if (ruleRegion === null) return 0;
    if (region === null) return -1;
    if (ruleRegion === region) return 2;
    if (ruleRegion.endsWith('00') && ruleRegion.slice(0, 4) === region.slice(0, 4)) return 1;
    return -1;
  };
  const requirementOf = (year: number, region: string | null) => reqs
    .map((r) => ({ r, s: specificity(r.region_code?.trim() ?? null, region) }))
    .filter((x) => x.s >= 0 && x.r.effective_year <= year)
    .sort((a, b) => b.s - a.s || b.r.effective_year - a.r.effective_year || b.r.id - a.r.id)[0]?.r;

  const used = new Map<string, number>();
  const sums = new Map<string, { pub: number; prof: number }>();
  for (const d of decls) {
    const key = `${d.person_id}:${d.year}`;
    const formKey = `${key}:${d.learning_form_id}`;
    const hours = tenths(d.approved_hours);
    const cap = capOf(d.learning_form_id, d.year);
    const before = used.get(formKey) ?? 0;
    const counted = cap === null ? hours : Math.max(0, Math.min(hours, cap - before));
    used.set(formKey, before + hours);
    const s = sums.get(key) ?? { pub: 0, prof: 0 };
    if (d.subject_type === 'public') s.pub += counted; else s.prof += counted;
    sums.set(key, s);
  }
  const wrong: string[] = [];
  const seen = new Set<string>();
  for (const row of stored) {
    const key = `${row.person_id}:${row.year}`;
    seen.add(key);
    const s = sums.get(key) ?? { pub: 0, prof: 0 };
    const r = requirementOf(row.year, regions.get(row.person_id) ?? null);
    const completed = !!r && s.pub >= tenths(r.public_hours) && s.prof >= tenths(r.professional_hours) && s.pub + s.prof >= tenths(r.total_hours);
    const got = [tenths(row.public_hours), tenths(row.professional_hours), row.completed];
    const want = [s.pub, s.prof, completed];
    if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${key} stored ${JSON.stringify(got)} recomputed ${JSON.stringify(want)}`);
  }
  for (const key of sums.keys()) if (!seen.has(key)) wrong.push(`${key} missing`);
  return wrong;
}

/**
 * Waits until no recompute job is queued or running. Inline mode runs them in this process after
 * the rule's commit; a rule the test inserted as the owner has nobody to start it, so this does.
 */
export async function recomputesDone(db: { owner: Sequelize; sequelize: Sequelize }, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await recomputesSettled();
    const [{ n }] = await db.owner.query<{ n: string }>("SELECT count(*) n FROM recompute_jobs WHERE status IN ('queued', 'running')", { type: QueryTypes.SELECT });
    if (Number(n) === 0) return;
    if (Date.now() > until) throw new Error(`重算任务未在 ${timeoutMs} 毫秒内完成（还有 ${n} 个）`);
    startRecomputeJobs(db.sequelize);
    await new Promise((r) => setTimeout(r, 20));
  }
}
