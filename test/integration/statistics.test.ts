/**
 * 查询统计 (4.5.1–4.5.3): every number the statistics pages show equals a recomputation from
 * the raw records — persons, declarations and, for completion, each person's approved hours
 * capped per learning form against the year's requirement — for two jurisdictions (a county
 * and a city), and nothing outside the jurisdiction can be asked for.
 */
import { QueryTypes, type Transaction } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS, DEMO_UNIT_LIXIA } from '../../src/db/demo-accounts.js';
import { isCompleted } from '../../config/yearly-requirements.js';

let t: TestPlatform;
const YEAR = 2025;
const admin = (org: string) => DEMO_ACCOUNTS.find((a) => a.organisationName === org && a.isSuper)!.idNumber;
const q = <T extends object>(sql: string, r: Record<string, unknown> = {}) =>
  t.platform.db.owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
const page = (c: Client, resource: string, action: string, params: Record<string, string | number> = {}) =>
  c.json<Record<string, any>>(`/admin/api/resources/${resource}/actions/${action}?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`);

interface Org { id: number; name: string; path: string; kind: string }
const org = async (name: string) => (await q<Org>('SELECT id, name, path, kind FROM organisations WHERE name = :name', { name }))[0];
const children = (o: Org) => q<Org>("SELECT id, name, path, kind FROM organisations WHERE parent_id = :id AND kind IN ('city_hr','county_hr','unit')", { id: o.id });

/** The completion of each active person of a path, recomputed from approved declarations. */
async function recomputedCompletion(path: string, year: number) {
  // The requirement of each person's region and year as the database holds it (rules are data: year-rules-data.test.ts may add some).
  const persons = await q<{ id: number; org_path: string; title_level: string | null; region_code: string | null; total: string; pub: string; prof: string }>(
    `SELECT p.id, p.org_path, p.title_level, o.region_code, r.total_hours total, r.public_hours pub, r.professional_hours prof
       FROM persons p JOIN organisations o ON o.id = p.unit_id LEFT JOIN LATERAL ce_requirement(CAST(:year AS smallint), o.region_code) r ON true
      WHERE p.status = 'active' AND p.org_path LIKE :prefix`, { prefix: `${path}%`, year });
  const declarations = await q<{ person_id: number; learning_form_id: number; subject_type: string; approved_hours: string; cap_per_year: string | null }>(
    `SELECT h.person_id, h.learning_form_id, h.subject_type, h.approved_hours, f.cap_per_year
       FROM hour_declarations h JOIN learning_forms f ON f.id = h.learning_form_id
      WHERE h.status = 'approved' AND h.year = :year AND h.org_path LIKE :prefix ORDER BY h.id`, { year, prefix: `${path}%` });
  // A form's yearly cap counts both subject types together, declarations in the order made (README).
  const used = new Map<string, number>();
  const sums = new Map<number, { pub: number; prof: number }>();
  for (const d of declarations) {
    const key = `${d.person_id}|${d.learning_form_id}`;
    const hours = Number(d.approved_hours);
    const before = used.get(key) ?? 0;
    used.set(key, before + hours);
    const h = d.cap_per_year === null ? hours : Math.max(0, Math.min(hours, Number(d.cap_per_year) - before));
    const s = sums.get(d.person_id) ?? { pub: 0, prof: 0 };
    if (d.subject_type === 'public') s.pub += h; else s.prof += h;
    sums.set(d.person_id, s);
  }
  return persons.map((p) => {
    const s = sums.get(p.id) ?? { pub: 0, prof: 0 };
    const state = isCompleted({ total: Number(p.total), public: Number(p.pub), professional: Number(p.prof) }, s.pub, s.prof) ? 'completed' : s.pub + s.prof > 0 ? 'partly' : 'none';
    const { total: _t, pub: _p, prof: _q, ...person } = p;
    return { ...person, state };
  });
}

async function recomputedDeclarations(path: string, year: number) {
  const [r] = await q<{ declarations: string; declared: string | null; approved: string | null; pub: string | null; prof: string | null }>(
    `SELECT count(*) declarations, sum(declared_hours) declared, sum(approved_hours) FILTER (WHERE status = 'approved') approved,
            sum(approved_hours) FILTER (WHERE status = 'approved' AND subject_type = 'public') pub,
            sum(approved_hours) FILTER (WHERE status = 'approved' AND subject_type = 'professional') prof
       FROM hour_declarations WHERE year = :year AND status <> 'withdrawn' AND org_path LIKE :prefix`, { year, prefix: `${path}%` });
  return { declarations: Number(r.declarations), declaredHours: Number(r.declared ?? 0), approvedHours: Number(r.approved ?? 0), publicHours: Number(r.pub ?? 0), professionalHours: Number(r.prof ?? 0) };
}

/** AdminJS answers a refused resource action with an error notice (or 403): no numbers either way. */
const refused = (res: { status: number; body: Record<string, any> }) =>
  (res.status === 403 || res.body.notice?.type === 'error') && !('area' in res.body) && !/"persons"|"completed"/.test(JSON.stringify(res.body));

const count = <T>(xs: T[], f: (x: T) => boolean) => xs.filter(f).length;

beforeAll(async () => { t = await startTestPlatform(); });
afterAll(async () => { await t.close(); });

describe.each([
  ['历下区人力资源和社会保障局', 'a county: split by units'],
  ['青岛市人力资源和社会保障局', 'a city: split by counties'],
])('statistics of %s (%s)', (bureauName) => {
  let c: Client;
  let bureau: Org;
  beforeAll(async () => {
    c = await loggedIn(t.base, admin(bureauName));
    bureau = await org(bureauName);
  });

  it('继教综合统计: persons, declarations, hours and completion per sub-area equal the raw records', async () => {
    const res = await page(c, 'statistics_overview', 'overview', { year: YEAR });
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.area.id).toBe(bureau.id);
    const subs = await children(bureau);
    expect(body.rows.filter((r: any) => r.areaId !== null).map((r: any) => r.areaId).sort()).toEqual(subs.map((s) => s.id).sort());
    let nonEmpty = 0;
    for (const sub of subs) {
      const row = body.rows.find((r: any) => r.areaId === sub.id);
      const people = await recomputedCompletion(sub.path, YEAR);
      const decl = await recomputedDeclarations(sub.path, YEAR);
      expect({ persons: row.persons, completed: row.completed }).toEqual({ persons: people.length, completed: count(people, (p) => p.state === 'completed') });
      expect(row.declarations).toBe(decl.declarations);
      for (const k of ['declaredHours', 'approvedHours', 'publicHours', 'professionalHours'] as const) expect(row[k]).toBeCloseTo(decl[k], 1);
      if (people.length) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(0);
    const all = await recomputedCompletion(bureau.path, YEAR);
    expect(body.total.persons).toBe(all.length);
    expect(body.total.completed).toBe(count(all, (p) => p.state === 'completed'));
    expect(body.total.declarations).toBe((await recomputedDeclarations(bureau.path, YEAR)).declarations);
    const forms = body.byForm.reduce((s: number, f: any) => s + f.publicHours + f.professionalHours, 0);
    expect(forms).toBeCloseTo(body.total.approvedHours, 1);
  });

  it('继教完成情况: completed / partly / none by sub-area and by title level equal the recomputation', async () => {
    const res = await page(c, 'statistics_completion', 'completion', { year: YEAR });
    expect(res.status).toBe(200);
    const all = await recomputedCompletion(bureau.path, YEAR);
    const tally = (xs: typeof all) => ({ persons: xs.length, completed: count(xs, (p) => p.state === 'completed'), partly: count(xs, (p) => p.state === 'partly'), none: count(xs, (p) => p.state === 'none') });
    expect(res.body.total).toEqual(tally(all));
    for (const sub of await children(bureau)) {
      const { areaId, name, drillable, ...counts } = res.body.byArea.find((r: any) => r.areaId === sub.id);
      expect(counts).toEqual(tally(all.filter((p) => p.org_path.startsWith(sub.path))));
      expect(drillable).toBe(sub.kind !== 'unit');
    }
    for (const level of res.body.byLevel) {
      const { level: l, label, ...counts } = level;
      expect(counts).toEqual(tally(all.filter((p) => (p.title_level ?? 'none') === l)));
    }
  });

  it('职称系列分布: persons by series and level equal the raw records', async () => {
    const res = await page(c, 'statistics_series', 'series');
    expect(res.status).toBe(200);
    const raw = await q<{ series: string | null; level: string | null; n: string }>(
      `SELECT title_series series, title_level level, count(*) n FROM persons WHERE status = 'active' AND org_path LIKE :prefix GROUP BY 1, 2`, { prefix: `${bureau.path}%` });
    for (const r of raw) {
      const row = res.body.rows.find((x: any) => x.series === (r.series ?? '未填写系列'));
      expect(row.counts[r.level ?? 'none']).toBe(Number(r.n));
    }
    expect(res.body.total.total).toBe(raw.reduce((s, r) => s + Number(r.n), 0));
  });
});

describe('drill-down and jurisdiction', () => {
  it('the province drills into a city and from there into a county; the trail names each step', async () => {
    const province = await loggedIn(t.base, admin('山东省人力资源和社会保障厅'));
    const top = await page(province, 'statistics_completion', 'completion', { year: YEAR });
    expect(top.body.byArea).toHaveLength(16);
    const jinan = top.body.byArea.find((r: any) => r.name === '济南市人力资源和社会保障局');
    expect(jinan.drillable).toBe(true);
    const city = await page(province, 'statistics_completion', 'completion', { year: YEAR, area: jinan.areaId });
    expect(city.body.total).toEqual({ persons: jinan.persons, completed: jinan.completed, partly: jinan.partly, none: jinan.none });
    const lixia = city.body.byArea.find((r: any) => r.name === '历下区人力资源和社会保障局');
    const county = await page(province, 'statistics_completion', 'completion', { year: YEAR, area: lixia.areaId });
    expect(county.body.trail.map((s: any) => s.name)).toEqual(['山东省人力资源和社会保障厅', '济南市人力资源和社会保障局', '历下区人力资源和社会保障局']);
    expect(county.body.byArea.every((r: any) => r.drillable === false)).toBe(true);
  });

  it('a county admin cannot ask for another county, a city, or the province; the refusal is audited and shows no numbers', async () => {
    const lixia = await loggedIn(t.base, admin('历下区人力资源和社会保障局'));
    for (const name of ['市中区人力资源和社会保障局', '济南市人力资源和社会保障局', '山东省人力资源和社会保障厅', '市南区人力资源和社会保障局']) {
      const other = await org(name);
      for (const [resource, action] of [['statistics_overview', 'overview'], ['statistics_completion', 'completion'], ['statistics_series', 'series']]) {
        const res = await page(lixia, resource, action, { area: other.id, year: YEAR });
        expect(refused(res)).toBe(true);
        expect(res.body.notice.message).toBe('无权访问该记录，或该记录不在您的管辖范围内');
      }
    }
    const [audited] = await q<{ n: string }>("SELECT count(*) n FROM audit_log WHERE resource = 'statistics_overview' AND outcome = 'refused'");
    expect(Number(audited.n)).toBeGreaterThanOrEqual(4);
  });

  it('bad parameters get a Chinese message; a unit admin and a person have no statistics pages', async () => {
    const lixia = await loggedIn(t.base, admin('历下区人力资源和社会保障局'));
    for (const params of [{ year: 1999 }, { year: 'abc' }, { area: '1 OR 1=1' }, { area: -1 }] as Array<Record<string, string | number>>) {
      const res = await page(lixia, 'statistics_overview', 'overview', params);
      expect(refused(res)).toBe(true);
      expect(res.body.notice.message).toMatch(/^(年度无效，请从年度列表中选择|地区参数无效)$/);
    }
    const department = (await q<{ id: number }>("SELECT id FROM organisations WHERE kind = 'department' AND path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局') LIMIT 1"))[0];
    if (department) expect(refused(await page(lixia, 'statistics_overview', 'overview', { area: department.id }))).toBe(true);
    const unit = await loggedIn(t.base, DEMO_ACCOUNTS.find((a) => a.organisationName === DEMO_UNIT_LIXIA && a.kind === 'admin')!.idNumber);
    const person = await loggedIn(t.base, DEMO_ACCOUNTS.find((a) => a.kind === 'person')!.idNumber);
    for (const c of [unit, person]) {
      for (const [resource, action] of [['statistics_overview', 'overview'], ['statistics_completion', 'completion'], ['statistics_series', 'series']]) {
        expect(refused(await page(c, resource, action))).toBe(true);
      }
    }
  });
});

describe('rollups (统计汇总) kept by the database', () => {
  const rollups = {
    stat_persons: ['SELECT org_path, title_level, persons::int n FROM stat_persons WHERE persons <> 0',
      "SELECT org_path, coalesce(title_level, '') title_level, count(*)::int n FROM persons WHERE status = 'active' GROUP BY 1, 2"],
    stat_series: ['SELECT org_path, title_series, title_level, persons::int n FROM stat_series WHERE persons <> 0',
      "SELECT org_path, coalesce(title_series, '') title_series, coalesce(title_level, '') title_level, count(*)::int n FROM persons WHERE status = 'active' GROUP BY 1, 2, 3"],
    stat_completion: ['SELECT year, org_path, title_level, completed, partly FROM stat_completion WHERE completed <> 0 OR partly <> 0',
      `SELECT y.year, p.org_path, coalesce(p.title_level, '') title_level, (count(*) FILTER (WHERE y.completed))::int completed,
              (count(*) FILTER (WHERE NOT y.completed AND y.total_hours > 0))::int partly
         FROM person_year_hours y JOIN persons p ON p.id = y.person_id WHERE p.status = 'active' GROUP BY 1, 2, 3
        HAVING count(*) FILTER (WHERE y.completed) > 0 OR count(*) FILTER (WHERE NOT y.completed AND y.total_hours > 0) > 0`],
    stat_hours: [`SELECT year, org_path, learning_form_id, subject_type, declarations, declared_hours::text, approved_declarations, approved_hours::text
         FROM stat_hours WHERE declarations <> 0 OR approved_declarations <> 0 OR declared_hours <> 0`,
      `SELECT year, org_path, learning_form_id, subject_type, (count(*) FILTER (WHERE status <> 'withdrawn'))::int declarations,
              coalesce(sum(declared_hours) FILTER (WHERE status <> 'withdrawn'), 0)::numeric(14,1)::text declared_hours,
              (count(*) FILTER (WHERE status = 'approved'))::int approved_declarations,
              coalesce(sum(approved_hours) FILTER (WHERE status = 'approved'), 0)::numeric(14,1)::text approved_hours
         FROM hour_declarations GROUP BY 1, 2, 3, 4
        HAVING count(*) FILTER (WHERE status <> 'withdrawn') > 0 OR count(*) FILTER (WHERE status = 'approved') > 0`],
  };
  const sorted = (rows: object[]) => rows.map((r) => JSON.stringify(r)).sort();
  async function expectRollupsExact(transaction?: Transaction) {
    const read = (sql: string) => t.platform.db.owner.query<object>(sql, { type: QueryTypes.SELECT, transaction });
    for (const [name, [kept, recomputed]] of Object.entries(rollups)) {
      const [a, b] = [sorted(await read(kept)), sorted(await read(recomputed))];
      expect({ name, rows: a.length, diff: a.filter((x) => !b.includes(x)).slice(0, 3) }).toEqual({ name, rows: b.length, diff: [] });
    }
  }

  it('equal a recomputation from the records after everything the other tests did', async () => {
    await expectRollupsExact();
  });

  it('follow a disabled person, a new title level, a move to another county, a decision and a deletion', async () => {
    // Inside one transaction, rolled back: the other test files keep their data as it was.
    const sequelize = t.platform.db.owner;
    const transaction = await sequelize.transaction();
    const run = (sql: string, replacements: Record<string, unknown> = {}) => sequelize.query(sql, { replacements, transaction });
    try {
      const [p] = await sequelize.query<{ id: number }>(
        "SELECT p.id FROM persons p JOIN person_year_hours y ON y.person_id = p.id AND y.completed WHERE p.status = 'active' AND p.account_id IS NULL LIMIT 1",
        { type: QueryTypes.SELECT, transaction });
      const [unit] = await sequelize.query<{ id: number; path: string }>(
        "SELECT id, path FROM organisations WHERE kind = 'unit' AND path LIKE (SELECT path || '%' FROM organisations WHERE name = '市南区人力资源和社会保障局') LIMIT 1",
        { type: QueryTypes.SELECT, transaction });
      await run("UPDATE persons SET title_level = CASE WHEN title_level = 'senior' THEN 'junior' ELSE 'senior' END, title_series = '会计' WHERE id = :id", { id: p.id });
      await run('UPDATE persons SET unit_id = :u, org_path = :path WHERE id = :id', { id: p.id, u: unit.id, path: unit.path });
      await run('UPDATE hour_declarations SET org_path = :path WHERE person_id = :id', { id: p.id, path: unit.path });
      await expectRollupsExact(transaction);
      await run("UPDATE persons SET status = 'disabled' WHERE id = :id", { id: p.id });
      await expectRollupsExact(transaction);
      await run("UPDATE persons SET status = 'active' WHERE id = :id", { id: p.id });
      await run(`UPDATE hour_declarations SET status = 'approved', approved_hours = declared_hours, decided_at = now()
        WHERE id IN (SELECT id FROM hour_declarations WHERE status = 'pending' LIMIT 50)`);
      await run('UPDATE person_year_hours SET completed = NOT completed WHERE person_id = :id', { id: p.id });
      await expectRollupsExact(transaction);
      await run("DELETE FROM hour_declarations WHERE id IN (SELECT id FROM hour_declarations WHERE status = 'rejected' LIMIT 5)");
      await run('DELETE FROM person_year_hours WHERE person_id = :id', { id: p.id });
      await expectRollupsExact(transaction);
    } finally {
      await transaction.rollback();
    }
  });
});

describe('导出数据', () => {
  it('each statistics page downloads as xlsx with the numbers the page shows; another area is refused', async () => {
    const c = await loggedIn(t.base, admin('历下区人力资源和社会保障局'));
    const ExcelJS = (await import('exceljs')).default;
    const read = async (url: string) => {
      const res = await c.request(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await res.arrayBuffer());
      return wb.worksheets[0].getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1));
    };
    const page1 = (await page(c, 'statistics_completion', 'completion', { year: YEAR })).body;
    const completionRows = await read(`/admin/files/statistics/statistics-completion?year=${YEAR}`);
    for (const r of page1.byArea) {
      const row = completionRows.find((x) => x[0] === r.name)!;
      // 完成率 is the ratio as a number (formatted 0.0% in the file), empty where nobody counts.
      expect(row.slice(0, 5)).toEqual([r.name, r.persons, r.completed, r.partly, r.none]);
      expect(row[5] ?? null).toBe(r.persons ? r.completed / r.persons : null);
    }
    const series = (await page(c, 'statistics_series', 'series')).body;
    const seriesRows = await read('/admin/files/statistics/statistics-series');
    expect(seriesRows.at(-1)![0]).toBe('合计');
    expect(seriesRows.at(-1)!.at(-1)).toBe(series.total.total);
    const overviewRows = await read(`/admin/files/statistics/statistics-overview?year=${YEAR}`);
    expect(overviewRows).toHaveLength((await page(c, 'statistics_overview', 'overview', { year: YEAR })).body.rows.length + 1);

    const shinan = await org('市南区人力资源和社会保障局');
    for (const key of ['statistics-overview', 'statistics-completion', 'statistics-series']) {
      expect((await c.request(`/admin/files/statistics/${key}?area=${shinan.id}`)).status).toBe(403);
    }
    expect((await c.request('/admin/files/statistics/person-roster')).status).toBe(403);
    expect((await c.request('/admin/files/statistics/statistics-overview?year=abc')).status).toBe(400);
  });
});
