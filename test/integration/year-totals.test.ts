/**
 * Yearly totals under concurrency (issue 14, item 2). An outside review had the county and the
 * city approve different pending declarations of one person-year at the same moment, and a bulk
 * approval race a verification failure: 17 of 20 and 15 of 15 person-years were wrong. The
 * totals are now computed by the database under a lock on each person-year (migration 009).
 *
 * Every race runs ≥ 20 rounds through the real HTTP API, as the two admins, and ends with the
 * same check: each person-year equals a recomputation from hour_declarations — by the oracle
 * below, written here in TypeScript independently of the database's rule (each learning form
 * counts up to its yearly cap, both subject types together, in the order declared; the year is
 * complete at 90 hours with public ≥ 30 and professional ≥ 60). On the embedded database the
 * requests queue on its single backend; on PostgreSQL they really interleave.
 *
 * A property-based test (fast-check) then throws random batches of concurrent decisions,
 * verification failures and catalog edits at a few persons and checks the same after each run.
 */
import fc from 'fast-check';
import { QueryTypes, type Sequelize } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { generateIdNumber } from '../../src/domain/identifiers.js';
import { recomputesDone } from '../helpers/year-totals.js';

let t: TestPlatform;
let owner: Sequelize;
let county: Client;
let city: Client;
let province: Client;
const q = <T extends object>(sql: string, r: Record<string, unknown> = {}) => owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
const demo = (org: string) => DEMO_ACCOUNTS.find((a) => a.organisationName === org && a.isSuper)!.idNumber;
const post = (c: Client, path: string, data: Record<string, unknown> = {}) => c.json<{ notice?: { message: string; type: string }; record?: { errors?: Record<string, { message: string }> } }>(path, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data),
});

const YEAR = 2025;
const REQUIRED = { total: 90, public: 30, professional: 60 };
let unit: { id: number; path: string };
let cappedForm: number;
let uncappedForm: number;
let serial = 0;

/** A fresh person of a 历下 unit, with no hours. */
async function newPerson(): Promise<number> {
  for (;;) {
    const idNumber = generateIdNumber('370102', '19880808', (Date.now() + serial++) % 1000);
    const rows = await q<{ id: number }>(`INSERT INTO persons (id_number, name, gender, birth_date, unit_id, org_path)
      VALUES (:idNumber, '并发测试', 'F', '1988-08-08', :u, :p) ON CONFLICT (id_number) DO NOTHING RETURNING id`, { idNumber, u: unit.id, p: unit.path });
    if (rows[0]) return rows[0].id;
  }
}
/** A declaration (channel hr: the HR review list), pending unless said otherwise. */
async function declare(personId: number, subject: 'public' | 'professional', hours: number, form = uncappedForm, status = 'pending'): Promise<number> {
  const [d] = await q<{ id: string }>(`INSERT INTO hour_declarations (person_id, unit_id, org_path, year, subject_type, learning_form_id, channel,
      activity_name, declared_hours, approved_hours, status, decided_at)
    VALUES (:p, :u, :path, :y, :s, :f, 'hr', '并发测试', :h, ${status === 'approved' ? ':h' : 'NULL'}, :status, ${status === 'approved' ? 'now()' : 'NULL'}) RETURNING id::text`,
  { p: personId, u: unit.id, path: unit.path, y: YEAR, s: subject, f: form, h: hours, status });
  return Number(d.id);
}

interface Totals { person_id: number; year: number; public_hours: number; professional_hours: number; completed: boolean }

/** The oracle: the yearly totals of these persons, recomputed from their declarations. */
async function recomputed(personIds: number[]): Promise<Map<string, Totals>> {
  const rows = await q<{ id: string; person_id: number; year: number; subject_type: string; approved_hours: string; learning_form_id: number; cap: string | null }>(
    `SELECT h.id::text, h.person_id, h.year, h.subject_type, h.approved_hours, h.learning_form_id, f.cap_per_year cap
       FROM hour_declarations h JOIN learning_forms f ON f.id = h.learning_form_id
      WHERE h.person_id IN (:ids) AND h.status = 'approved' ORDER BY h.id`, { ids: personIds });
  const used = new Map<string, number>();
  const out = new Map<string, Totals>();
  for (const r of rows) {
    const key = `${r.person_id}:${r.year}`;
    const formKey = `${key}:${r.learning_form_id}`;
    const hours = Number(r.approved_hours);
    const counted = r.cap === null ? hours : Math.max(0, Math.min(hours, Number(r.cap) - (used.get(formKey) ?? 0)));
    used.set(formKey, (used.get(formKey) ?? 0) + hours);
    const total = out.get(key) ?? { person_id: r.person_id, year: r.year, public_hours: 0, professional_hours: 0, completed: false };
    if (r.subject_type === 'public') total.public_hours += counted; else total.professional_hours += counted;
    out.set(key, total);
  }
  for (const v of out.values()) {
    v.public_hours = Math.round(v.public_hours * 10) / 10;
    v.professional_hours = Math.round(v.professional_hours * 10) / 10;
    v.completed = v.public_hours >= REQUIRED.public && v.professional_hours >= REQUIRED.professional && v.public_hours + v.professional_hours >= REQUIRED.total;
  }
  return out;
}

/** Person-years whose stored totals differ from the recomputation (rows of no hours count as zero). */
async function mismatches(personIds: number[]): Promise<string[]> {
  const expected = await recomputed(personIds);
  const stored = await q<{ person_id: number; year: number; public_hours: string; professional_hours: string; completed: boolean }>(
    'SELECT person_id, year, public_hours, professional_hours, completed FROM person_year_hours WHERE person_id IN (:ids)', { ids: personIds });
  const seen = new Set<string>();
  const wrong: string[] = [];
  for (const s of stored) {
    const key = `${s.person_id}:${s.year}`;
    seen.add(key);
    const e = expected.get(key) ?? { public_hours: 0, professional_hours: 0, completed: false };
    const got = { public_hours: Number(s.public_hours), professional_hours: Number(s.professional_hours), completed: s.completed };
    const want = { public_hours: e.public_hours, professional_hours: e.professional_hours, completed: e.completed };
    if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${key} stored ${JSON.stringify(got)} recomputed ${JSON.stringify(want)}`);
  }
  for (const key of expected.keys()) if (!seen.has(key)) wrong.push(`${key} missing`);
  return wrong;
}

beforeAll(async () => {
  t = await startTestPlatform();
  owner = t.platform.db.owner;
  [unit] = await q<{ id: number; path: string }>(
    "SELECT id, path FROM organisations WHERE kind = 'unit' AND status = 'active' AND path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局') ORDER BY id LIMIT 1");
  // Forms of this file's own: catalog edits here touch no other test's data.
  const forms = await q<{ id: number }>(`INSERT INTO learning_forms (code, name, subject_types, fields, conversion, cap_per_year, sort)
    VALUES ('race_capped', '并发测试（有年度上限）', ARRAY['public','professional'], :fields, '{"method":"declared"}', 60, 900),
           ('race_uncapped', '并发测试（无上限）', ARRAY['public','professional'], :fields, '{"method":"declared"}', NULL, 901)
    ON CONFLICT (code) DO NOTHING RETURNING id`,
  { fields: JSON.stringify([{ key: 'hours', label: '学时', type: 'number', required: true, min: 0.5, max: 100 }]) });
  [cappedForm, uncappedForm] = forms.map((f) => f.id);
  [county, city, province] = await Promise.all([
    loggedIn(t.base, demo('历下区人力资源和社会保障局')), loggedIn(t.base, demo('济南市人力资源和社会保障局')), loggedIn(t.base, demo('山东省人力资源和社会保障厅')),
  ]);
  // The oracle below assumes the default requirement for 历下 (other files may add rules for regions of their own).
  expect(await q("SELECT 1 FROM yearly_requirements WHERE region_code IN ('370102', '370100') OR (region_code IS NULL AND effective_year > 2000)")).toEqual([]);
});
afterAll(async () => { await t.close(); });

const approve = (c: Client, id: number) => post(c, `/admin/api/resources/hour_reviews/records/${id}/approve`);
const bulkApprove = (c: Client, ids: number[]) => post(c, `/admin/api/resources/hour_reviews/bulk/bulkApprove?recordIds=${ids.join(',')}`);
const verificationFail = (c: Client, ids: number[]) => post(c, `/admin/api/resources/hour_verifications/bulk/bulkVerificationFail?recordIds=${ids.join(',')}`, { reason: '并发审验不通过' });
/** A new yearly cap for the capped form from YEAR on, as the provincial super admin adds it (学习形式年度规则). */
const addCapRule = (cap: number) => post(province, '/admin/api/resources/learning_form_rules/actions/new',
  { learning_form_id: String(cappedForm), effective_year: String(YEAR), cap_per_year: String(cap), source: '并发测试' });
const ROUNDS = 20;

describe('races between two admins', () => {
  it(`the county and the city approve different pending declarations of one person-year at the same moment (${ROUNDS} rounds)`, async () => {
    const persons: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const person = await newPerson();
      persons.push(person);
      // Different forms and subject types: no other row (the statistics rollups) makes the two wait for each other.
      const a = await declare(person, 'professional', 60, uncappedForm);
      const b = await declare(person, 'public', 30, cappedForm);
      const [ra, rb] = await Promise.all([approve(county, a), approve(city, b)]);
      expect([ra.body.notice?.message, rb.body.notice?.message]).toEqual(['已通过 1 条', '已通过 1 条']);
    }
    expect(await mismatches(persons)).toEqual([]);
    // Each of them is 30 + 60 = 90: complete.
    const done = await q<{ n: string }>('SELECT count(*) n FROM person_year_hours WHERE person_id IN (:ids) AND year = :y AND completed', { ids: persons, y: YEAR });
    expect(Number(done[0].n)).toBe(ROUNDS);
  });

  it(`a bulk approval races a verification failure of the same person-year (${ROUNDS} rounds)`, async () => {
    const persons: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const person = await newPerson();
      persons.push(person);
      const approved = [await declare(person, 'professional', 20, cappedForm, 'approved'), await declare(person, 'public', 10, cappedForm, 'approved')];
      const pending = [await declare(person, 'professional', 40, uncappedForm), await declare(person, 'public', 20, uncappedForm)];
      const [v, b] = await Promise.all([verificationFail(city, approved), bulkApprove(county, pending)]);
      expect(v.body.notice?.type).toBe('success');
      expect(b.body.notice?.type).toBe('success');
    }
    expect(await mismatches(persons)).toEqual([]);
  });

  it(`a new yearly-cap rule races approvals of that form (${ROUNDS} rounds)`, async () => {
    const persons: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const person = await newPerson();
      persons.push(person);
      await declare(person, 'public', 40, cappedForm, 'approved');
      const pending = await declare(person, 'professional', 40, cappedForm);
      const cap = round % 2 ? 60 : 70;
      const [edit, a] = await Promise.all([
        addCapRule(cap),
        approve(county, pending),
      ]);
      expect(edit.status).toBe(200);
      expect(edit.body.record?.errors ?? {}).toEqual({});
      expect(a.body.notice?.message).toBe('已通过 1 条');
    }
    // The rules' recompute jobs (migration 018) run after their commits: wait for them to end.
    await recomputesDone(t.platform.db);
    expect(await mismatches(persons)).toEqual([]);
  });

  it('the review’s example of a cap across both subject types: 网络培训-like 40 公需 + 40 专业 under a 60-hour cap, and 20 more 专业', async () => {
    expect((await addCapRule(60)).body.record?.errors ?? {}).toEqual({});
    const person = await newPerson();
    await declare(person, 'public', 40, cappedForm, 'approved');
    await declare(person, 'professional', 40, cappedForm, 'approved');
    await declare(person, 'professional', 20, uncappedForm, 'approved');
    const [y] = await q<{ public_hours: string; professional_hours: string; total_hours: string; completed: boolean }>(
      'SELECT public_hours, professional_hours, total_hours, completed FROM person_year_hours WHERE person_id = :p AND year = :y', { p: person, y: YEAR });
    // 60 of the capped form count (40 public, then 20 of the 40 professional), plus 20: 80, incomplete.
    expect(y).toEqual({ public_hours: '40.0', professional_hours: '40.0', total_hours: '80.0', completed: false });
    expect(await mismatches([person])).toEqual([]);
  });
});

describe('any interleaving (fast-check)', () => {
  it('leaves every person-year equal to its recomputation', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('approve' as const), decl: fc.nat(11), by: fc.constantFrom('county', 'city') }),
      fc.record({ kind: fc.constant('reject' as const), decl: fc.nat(11), by: fc.constantFrom('county', 'city') }),
      fc.record({ kind: fc.constant('verificationFail' as const), decl: fc.nat(11), by: fc.constantFrom('county', 'city') }),
      fc.record({ kind: fc.constant('cap' as const), cap: fc.constantFrom(20, 45, 60, 1000) }),
    );
    // Batches run one after another; the operations of a batch run at once.
    const plan = fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 });
    let runs = 0;
    await fc.assert(fc.asyncProperty(plan, async (batches) => {
      runs++;
      const persons = [await newPerson(), await newPerson(), await newPerson()];
      const decls: number[] = [];
      for (const [i, person] of persons.entries()) {
        decls.push(await declare(person, 'public', 20, cappedForm), await declare(person, 'professional', 35, cappedForm));
        decls.push(await declare(person, 'professional', 30, uncappedForm), await declare(person, 'public', 15, i % 2 ? cappedForm : uncappedForm, 'approved'));
      }
      const who = (by: string) => (by === 'county' ? county : city);
      for (const batch of batches) {
        await Promise.all(batch.map((o) => {
          switch (o.kind) {
            case 'approve': return approve(who(o.by), decls[o.decl]);
            case 'reject': return post(who(o.by), `/admin/api/resources/hour_reviews/records/${decls[o.decl]}/reject`, { reason: '随机驳回' });
            case 'verificationFail': return verificationFail(who(o.by), [decls[o.decl]]);
            case 'cap': return addCapRule(o.cap);
          }
        }));
      }
      await recomputesDone(t.platform.db);
      const wrong = await mismatches(persons);
      if (wrong.length) throw new Error(`after ${JSON.stringify(batches)}: ${wrong.join('; ')}`);
    }), { numRuns: 12, endOnFailure: true });
    expect(runs).toBeGreaterThanOrEqual(12);
  });
});
