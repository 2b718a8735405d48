/**
 * Issue 18.5: the rules of a year are data with history. The review lowered the online cap to 10
 * in a transaction and found 11,016 yearly totals unequal to a recomputation (9,210 still marked
 * completed), and every earlier year changed with it. Here the provincial super admin adds the
 * rule through the panel's API, from 2026: the rule's commit enqueues a recompute job (migration
 * 018) that the process runs after it (inline mode; the worker in production); once it is done
 * every person-year of the database equals its recomputation, 2025 and earlier are untouched, and the history keeps both rules.
 * Requirements per region and the key-review threshold are data of the same kind; bad input
 * saves nothing; nobody but the province adds a rule; the database refuses to rewrite one.
 */
import { QueryTypes, type Sequelize } from 'sequelize';
import { loggedIn, startTestPlatform, type Client, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { loadPrincipal } from '../../src/access/principal.js';
import { runAs } from '../../src/access/context.js';
import { generateIdNumber } from '../../src/domain/identifiers.js';
import { recomputesDone } from '../helpers/year-totals.js';

let t: TestPlatform;
let owner: Sequelize;
let province: Client;
const superOf = (org: string) => DEMO_ACCOUNTS.find((a) => a.organisationName === org && a.isSuper)!.idNumber;
const q = <T extends object>(sql: string, replacements: Record<string, unknown> = {}) => owner.query<T>(sql, { replacements, type: QueryTypes.SELECT });

type Answer = { record?: { errors?: Record<string, { message: string }> }; notice?: { message: string; type: string } };
const add = (c: Client, resource: string, fields: Record<string, string>) => c.json<Answer>(`/admin/api/resources/${resource}/actions/new`,
  { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

/** Person-years whose stored totals differ from the one rule recomputed now, over the whole database. */
async function mismatches(): Promise<number> {
  const [r] = await q<{ n: string }>(`
    WITH k AS (SELECT array_agg(person_id) p, array_agg(year) y FROM person_year_hours)
    SELECT count(*) n FROM k, ce_year_totals(k.p, k.y) t JOIN person_year_hours s ON s.person_id = t.person_id AND s.year = t.year
     WHERE (s.public_hours, s.professional_hours, s.completed) IS DISTINCT FROM (t.public_hours, t.professional_hours, t.completed)`);
  return Number(r.n);
}
const snapshot = (year: number) => q<{ person_id: number; public_hours: string; professional_hours: string; completed: boolean }>(
  'SELECT person_id, public_hours, professional_hours, completed FROM person_year_hours WHERE year = :year ORDER BY person_id', { year });

/** A learning form's fields filled in for a year: dates in that year, every number field `n`. */
const valuesFor = (fields: Array<{ key: string; type: string; options?: string[] }>, year: number, n: string) => Object.fromEntries(fields.map((x) =>
  [x.key, x.key === 'start_date' ? `${year}-05-01` : x.key === 'end_date' ? `${year}-05-02` : x.type === 'number' ? n : x.type === 'select' ? x.options![0] : `规则测试${year}`]));

beforeAll(async () => {
  t = await startTestPlatform();
  owner = t.platform.db.owner;
  province = await loggedIn(t.base, superOf('山东省人力资源和社会保障厅'));
});
afterAll(async () => { await t.close(); });

describe('a learning form’s yearly cap from a year on', () => {
  it('lowering the online cap to 10 from 2026 recomputes 2026 after the same commit and leaves 2025 as it was', async () => {
    const [online] = await q<{ id: number; cap_per_year: string; conversion: unknown }>("SELECT id, cap_per_year, conversion FROM learning_forms WHERE code = 'online'");
    const before2025 = await snapshot(2025);
    const [affected] = await q<{ n: string }>(
      `SELECT count(DISTINCT (person_id, year)) n FROM hour_declarations WHERE learning_form_id = :f AND status = 'approved' AND year >= 2026 AND approved_hours > 10`, { f: online.id });
    expect(Number(affected.n)).toBeGreaterThan(0);
    expect(await mismatches()).toBe(0);

    const started = Date.now();
    const r = await add(province, 'learning_form_rules', { learning_form_id: String(online.id), effective_year: '2026', cap_per_year: '10', source: '测试：2026年起网络培训每年最多10学时' });
    const ms = Date.now() - started;
    expect(r.body.record?.errors ?? {}).toEqual({});
    await recomputesDone(t.platform.db);
    // eslint-disable-next-line no-console
    console.log(`rule added in ${ms} ms; its job (${affected.n} person-years with more than 10 online hours) done ${Date.now() - started} ms after the request began`);

    expect(await mismatches()).toBe(0);
    expect(await snapshot(2025)).toEqual(before2025);
    // No 2026 year counts more than 10 online hours now.
    const [over] = await q<{ n: string }>(`SELECT count(*) n FROM person_year_hours y WHERE y.year = 2026 AND EXISTS (
        SELECT 1 FROM hour_declarations h WHERE h.person_id = y.person_id AND h.year = 2026 AND h.status = 'approved' AND h.learning_form_id = :f)
        AND y.total_hours > 10 + (SELECT coalesce(sum(h.approved_hours), 0) FROM hour_declarations h WHERE h.person_id = y.person_id AND h.year = 2026
                                   AND h.status = 'approved' AND h.learning_form_id <> :f)`, { f: online.id });
    expect(Number(over.n)).toBe(0);
    // The history: both rules, the new one by the province's super admin; the catalog shows the newest.
    const history = await q<{ effective_year: number; cap_per_year: string; created_by: number | null }>(
      'SELECT effective_year, cap_per_year, created_by FROM learning_form_rules WHERE learning_form_id = :f ORDER BY id', { f: online.id });
    expect(history.map((h) => [h.effective_year, Number(h.cap_per_year)])).toEqual([[2000, Number(online.cap_per_year)], [2026, 10]]);
    expect(history[1].created_by).not.toBeNull();
    expect((await q<{ cap_per_year: string }>('SELECT cap_per_year FROM learning_forms WHERE id = :f', { f: online.id }))[0].cap_per_year).toBe('10.0');

    // A declaration of 2026 is now held to the 2026 cap, one of 2025 to the earlier one.
    const lixia = await loggedIn(t.base, superOf('历下区人力资源和社会保障局'));
    const [p] = await q<{ id: number }>(`SELECT p.id FROM persons p WHERE p.status = 'active' AND p.org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局')
        AND NOT EXISTS (SELECT 1 FROM hour_declarations h WHERE h.person_id = p.id AND h.learning_form_id = :f) LIMIT 1`, { f: online.id });
    const [{ fields }] = await q<{ fields: Array<{ key: string; type: string; options?: string[] }> }>('SELECT fields FROM learning_forms WHERE id = :f', { f: online.id });
    const declare = (year: number, hours: string) => lixia.json<{ preview?: { hours: number }; notice?: { message: string } }>('/admin/api/resources/hour_declarations/actions/declareHours', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subjectType: 'public', learningFormId: online.id, values: valuesFor(fields, year, hours), personIds: [p.id], dryRun: true }),
    });
    const in2026 = await declare(2026, '12');
    expect(JSON.stringify(in2026.body)).toContain('每年最多计 10 学时');
    const in2025 = await declare(2025, '12');
    expect(JSON.stringify(in2025.body)).not.toContain('每年最多计');

    // Back to the original cap, as one more rule of 2026: totals return exactly.
    const before2026 = await snapshot(2026);
    await add(province, 'learning_form_rules', { learning_form_id: String(online.id), effective_year: '2026', cap_per_year: String(Number(online.cap_per_year)), source: '测试：恢复' });
    await recomputesDone(t.platform.db);
    expect(await mismatches()).toBe(0);
    expect(await snapshot(2025)).toEqual(before2025);
    expect(await snapshot(2026)).not.toEqual(before2026);
  });

  it('refuses bad rules with a Chinese message and saves nothing', async () => {
    const [{ n: before }] = await q<{ n: string }>('SELECT count(*) n FROM learning_form_rules');
    const [online] = await q<{ id: number }>("SELECT id FROM learning_forms WHERE code = 'online'");
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ learning_form_id: String(online.id), effective_year: '1999', cap_per_year: '10' }, 'effective_year', '生效年度应为2000至2100之间的年份'],
      [{ learning_form_id: String(online.id), effective_year: '2026', cap_per_year: 'abc' }, 'cap_per_year', '年度学时上限应为大于0至1000之间的数字（最多一位小数）'],
      [{ learning_form_id: String(online.id), effective_year: '2026', cap_per_year: '0' }, 'cap_per_year', '年度学时上限应为大于0至1000之间的数字（最多一位小数）'],
      [{ learning_form_id: String(online.id), effective_year: '2026', cap_per_year: '10', cap_per_activity: '20' }, 'cap_per_activity', '单次学时上限不能超过年度学时上限'],
      [{ learning_form_id: '999999', effective_year: '2026', cap_per_year: '10' }, 'learning_form_id', '请选择学习形式'],
      [{ learning_form_id: String(online.id), effective_year: '2026', conversion_json: '{"method":' }, 'conversion_json', '折算规则格式不正确（应为合法的 JSON）'],
    ];
    for (const [fields, key, message] of cases) {
      const r = await add(province, 'learning_form_rules', fields);
      expect([key, r.body.record?.errors?.[key]?.message]).toEqual([key, message]);
      expect(r.body.notice?.message).toBe('学习形式年度规则有误，未保存');
    }
    expect((await q<{ n: string }>('SELECT count(*) n FROM learning_form_rules'))[0].n).toBe(before);
  });
});

describe('the yearly requirement of a region from a year on', () => {
  it('a county’s higher requirement from 2026 makes its persons incomplete there and nowhere else, and not in 2025', async () => {
    // A county of its own (region 370199) with one person who has 90 hours in 2025 and in 2026.
    const [jinan] = await q<{ id: number; path: string }>("SELECT id, path FROM organisations WHERE name = '济南市人力资源和社会保障局'");
    const [[county]] = await owner.query(`INSERT INTO organisations (id, parent_id, kind, name, path, depth, region_code)
      SELECT n, :pid, 'county_hr', '规则测试县人力资源和社会保障局', :ppath || n || '/', 2, '370199' FROM (SELECT nextval(pg_get_serial_sequence('organisations','id'))::int n) s
      RETURNING id, path`, { replacements: { pid: jinan.id, ppath: jinan.path } }) as unknown as [[{ id: number; path: string }]];
    const [[unit]] = await owner.query(`INSERT INTO organisations (id, parent_id, kind, name, path, depth, region_code, credit_code)
      SELECT n, :pid, 'unit', '规则测试单位', :ppath || n || '/', 3, '370199', NULL FROM (SELECT nextval(pg_get_serial_sequence('organisations','id'))::int n) s
      RETURNING id, path`, { replacements: { pid: county.id, ppath: county.path } }) as unknown as [[{ id: number; path: string }]];
    const idNumber = generateIdNumber('370102', '19800101', 977);
    const [[person]] = await owner.query(`INSERT INTO persons (id_number, name, gender, birth_date, unit_id, org_path) VALUES (:n, '规则测试', 'M', '1980-01-01', :u, :p) RETURNING id`,
      { replacements: { n: idNumber, u: unit.id, p: unit.path } }) as unknown as [[{ id: number }]];
    const [{ id: form }] = await q<{ id: number }>("SELECT id FROM learning_forms WHERE code = 'face_to_face'");
    for (const year of [2025, 2026]) {
      for (const [subject, hours] of [['public', 30], ['professional', 60]] as const) {
        await owner.query(`INSERT INTO hour_declarations (person_id, unit_id, org_path, year, subject_type, learning_form_id, channel, activity_name, details, declared_hours, approved_hours, status)
          VALUES (:p, :u, :path, :y, :s, :f, 'hr', '规则测试', '{}', :h, :h, 'approved')`, { replacements: { p: person.id, u: unit.id, path: unit.path, y: year, s: subject, f: form, h: hours } });
      }
    }
    const completed = async () => (await q<{ year: number; completed: boolean }>('SELECT year, completed FROM person_year_hours WHERE person_id = :p ORDER BY year', { p: person.id }))
      .map((y) => [y.year, y.completed]);
    expect(await completed()).toEqual([[2025, true], [2026, true]]);
    const [{ n: othersCompleted }] = await q<{ n: string }>('SELECT count(*) n FROM person_year_hours WHERE completed AND person_id <> :p', { p: person.id });

    const bad = await add(province, 'yearly_requirements', { effective_year: '2026', region_code: '370199', total_hours: '80', public_hours: '30', professional_hours: '60' });
    expect(bad.body.record?.errors?.total_hours?.message).toBe('总学时（80）不能少于公需科目与专业科目学时之和（90）');
    const unknownRegion = await add(province, 'yearly_requirements', { effective_year: '2026', region_code: '370198', total_hours: '100', public_hours: '30', professional_hours: '60' });
    expect(unknownRegion.body.record?.errors?.region_code?.message).toBe('没有使用该行政区划代码的市或县（区）人社部门');
    const outside = await add(province, 'yearly_requirements', { effective_year: '2026', region_code: '110101', total_hours: '100', public_hours: '30', professional_hours: '60' });
    expect(outside.body.record?.errors?.region_code?.message).toContain('山东省内市或县（区）的6位代码');

    const ok = await add(province, 'yearly_requirements', { effective_year: '2026', region_code: '370199', total_hours: '100', public_hours: '30', professional_hours: '60', source: '测试县2026年起每年100学时' });
    expect(ok.body.record?.errors ?? {}).toEqual({});
    await recomputesDone(t.platform.db);
    expect(await completed()).toEqual([[2025, true], [2026, false]]);
    expect((await q<{ n: string }>('SELECT count(*) n FROM person_year_hours WHERE completed AND person_id <> :p', { p: person.id }))[0].n).toBe(othersCompleted);
    expect(await mismatches()).toBe(0);
    // The person's yearly table in the panel states the requirement that decided it.
    const detail = await province.json<{ years: Array<{ year: number; required: { total: number } }> }>(`/admin/api/resources/persons/records/${person.id}/yearTotals`);
    expect(detail.body.years.map((y) => [y.year, y.required.total])).toEqual([[2026, 100], [2025, 90]]);
  });
});

describe('the key-review threshold from a year on', () => {
  it('from 2026 declarations above 10 hours are key reviews; those of 2025 keep the threshold of 40', async () => {
    const bad = await add(province, 'key_review_rules', { effective_year: '2026', above_hours: '-1' });
    expect(bad.body.record?.errors?.above_hours?.message).toBe('重点审核学时线应为大于0至1000之间的数字（最多一位小数）');
    expect((await add(province, 'key_review_rules', { effective_year: '2026', above_hours: '10', source: '测试' })).body.record?.errors ?? {}).toEqual({});
    const lixia = await loggedIn(t.base, superOf('历下区人力资源和社会保障局'));
    const [p] = await q<{ id: number }>("SELECT id FROM persons WHERE status = 'active' AND org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局') ORDER BY id DESC LIMIT 1");
    const [form] = await q<{ id: number; fields: Array<{ key: string; type: string; options?: string[] }> }>("SELECT id, fields FROM learning_forms WHERE code = 'face_to_face'");
    const preview = async (year: number) => {
      const values = valuesFor(form.fields, year, '2'); // 2 days × 6 hours = 12
      return (await lixia.json<{ preview: { keyReview: boolean; hours: number } }>('/admin/api/resources/hour_declarations/actions/declareHours', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subjectType: 'professional', learningFormId: form.id, values, personIds: [p.id], dryRun: true }),
      })).body.preview;
    };
    const y2026 = await preview(2026);
    const y2025 = await preview(2025);
    expect(y2026.hours).toBe(y2025.hours);
    expect(y2026.hours).toBeGreaterThan(10);
    expect(y2026.hours).toBeLessThanOrEqual(40);
    expect([y2026.keyReview, y2025.keyReview]).toEqual([true, false]);
    // Restore for the other test files sharing this database: a later rule of the same year supersedes.
    await add(province, 'key_review_rules', { effective_year: '2026', above_hours: '40', source: '测试：恢复' });
    expect((await preview(2026)).keyReview).toBe(false);
  });
});

describe('who may add rules, and history that cannot be rewritten', () => {
  it('a city’s super admin may not add or list rules; the database refuses the application’s UPDATE and DELETE of a rule', async () => {
    const jinan = await loggedIn(t.base, superOf('济南市人力资源和社会保障局'));
    for (const resource of ['yearly_requirements', 'learning_form_rules', 'key_review_rules']) {
      const [{ n: before }] = await q<{ n: string }>(`SELECT count(*) n FROM ${resource}`);
      const refused = await add(jinan, resource, { effective_year: '2026', total_hours: '1', public_hours: '0', professional_hours: '0', above_hours: '1' });
      expect([resource, refused.status === 403 || (refused.body as { record?: { baseError?: { type: string } } }).record?.baseError?.type]).toEqual([resource, expect.anything()]);
      expect([resource, refused.status, refused.body.notice?.type]).not.toEqual([resource, 200, 'success']);
      expect((await q<{ n: string }>(`SELECT count(*) n FROM ${resource}`))[0].n).toBe(before);
      const list = await jinan.json<{ records?: unknown[]; notice?: { type: string } }>(`/admin/api/resources/${resource}/actions/list`);
      expect([resource, list.status === 403 || list.body.notice?.type === 'error', list.body.records ?? []]).toEqual([resource, true, []]);
      expect((await province.json<{ records: unknown[] }>(`/admin/api/resources/${resource}/actions/list`)).body.records.length).toBeGreaterThan(0);
    }
    const [{ id }] = await q<{ id: number }>('SELECT id FROM accounts WHERE id_number = :n', { n: superOf('山东省人力资源和社会保障厅') });
    const principal = (await loadPrincipal(owner, id, 'admin'))!;
    const app = t.platform.db.sequelize;
    for (const sql of ['UPDATE yearly_requirements SET total_hours = 1', 'DELETE FROM key_review_rules', 'UPDATE learning_form_rules SET cap_per_year = 1',
      "UPDATE learning_forms SET cap_per_year = 1 WHERE code = 'online'"]) {
      await expect(runAs(principal, () => app.query(sql))).rejects.toMatchObject({ original: { code: '42501' } });
    }
  });
});
