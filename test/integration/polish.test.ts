/**
 * Issue 17 item 13, the parts a request can show: a department's phone is checked (「abc」 is
 * refused in Chinese), /register lists the superior bureaus by region code (济南 before 泰安),
 * a statistics export is named by area and year and carries 完成率 as a number formatted as a
 * percentage, and the statistics pages offer only the years with data.
 */
import ExcelJS from 'exceljs';
import { QueryTypes } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS, DEMO_CE_BASE } from '../../src/db/demo-accounts.js';
import { validatePhone } from '../../src/domain/identifiers.js';

let t: TestPlatform;
beforeAll(async () => { t = await startTestPlatform(); });
afterAll(async () => { await t.close(); });

const adminOf = (org: string) => DEMO_ACCOUNTS.find((a) => a.organisationName === org && a.isSuper)!.idNumber;
async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  return t.platform.db.owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
}
const postJson = <T>(c: Client, path: string, data: Record<string, unknown>) => c.json<T>(path, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data),
});
type Answer = { record?: { id?: number; errors?: Record<string, { message: string }> }; notice?: { message: string; type: string } };

describe('a department phone', () => {
  it('「abc」 is refused with a Chinese message and nothing is created; 0531-86012345 is taken', async () => {
    const c = await loggedIn(t.base, adminOf('济南市人力资源和社会保障局'));
    const name = `测试科室${Date.now()}`;
    const bad = await postJson<Answer>(c, '/admin/api/resources/departments/actions/new', { name, phone: 'abc', contact_name: '张三' });
    expect(bad.body.record?.errors?.phone?.message).toMatch(/^电话号码格式不正确/);
    expect(await q('SELECT 1 FROM organisations WHERE name = :name', { name })).toHaveLength(0);
    const good = await postJson<Answer>(c, '/admin/api/resources/departments/actions/new', { name, phone: '0531-86012345', contact_name: '张三' });
    expect(good.body.notice?.type).toBe('success');
    expect(await q<{ phone: string }>('SELECT phone FROM organisations WHERE name = :name', { name })).toEqual([{ phone: '0531-86012345' }]);
    // And an edit of the own organisation alike.
    const [jinan] = await q<{ id: number; version: number }>("SELECT id, version FROM organisations WHERE name = '济南市人力资源和社会保障局'");
    const edit = await postJson<Answer>(c, `/admin/api/resources/my_organisation/records/${jinan.id}/edit`, { phone: '电话号码', version: jinan.version });
    expect(edit.body.record?.errors?.phone?.message).toMatch(/^电话号码格式不正确/);
  });

  it.each([['0531-86012345'], ['053186012345'], ['0531-86012345-123'], ['(0531)86012345'], ['13953100017'], ['400-123-4567']])('accepts %s', (s) => {
    expect(validatePhone(s).ok).toBe(true);
  });
  it.each([['abc'], ['123'], ['0531-abc'], ['1234567890123456']])('refuses %s', (s) => {
    expect(validatePhone(s).ok).toBe(false);
  });
});

describe('/register', () => {
  it('lists the superior bureaus by region code: the province, 济南 and its counties, 青岛 …, 泰安 after 济南', async () => {
    const html = await (await new Client(t.base).get('/register')).text();
    const select = html.slice(html.indexOf('id="superiorId"'), html.indexOf('</select>', html.indexOf('id="superiorId"')));
    const listed = [...select.matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1]));
    const bureaus = await q<{ id: number; region_code: string; name: string }>(
      "SELECT id, region_code, name FROM organisations WHERE kind IN ('province_hr','city_hr','county_hr') AND status = 'active'");
    const code = new Map(bureaus.map((b) => [b.id, b.region_code]));
    expect(listed).toHaveLength(bureaus.length);
    const codes = listed.map((id) => code.get(id)!);
    expect(codes).toEqual([...codes].sort());
    const pos = (name: string) => listed.indexOf(bureaus.find((b) => b.name === name)!.id);
    expect(pos('山东省人力资源和社会保障厅')).toBe(0);
    expect(pos('济南市人力资源和社会保障局')).toBeLessThan(pos('历下区人力资源和社会保障局'));
    expect(pos('历下区人力资源和社会保障局')).toBeLessThan(pos('青岛市人力资源和社会保障局'));
    expect(pos('济南市人力资源和社会保障局')).toBeLessThan(pos('泰安市人力资源和社会保障局'));
  });
});

describe('statistics exports and years', () => {
  const YEAR = 2025;
  it('a download is named by area and year (济南市-2025-继教综合统计.xlsx), 完成率 a number formatted 0.0%', async () => {
    const c = await loggedIn(t.base, adminOf('济南市人力资源和社会保障局'));
    const res = await c.request(`/admin/files/statistics/statistics-overview?year=${YEAR}`);
    expect(res.status).toBe(200);
    expect(decodeURIComponent(res.headers.get('content-disposition')!)).toContain(`济南市-${YEAR}-继教综合统计.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const sheet = wb.worksheets[0];
    const rateColumn = (sheet.getRow(1).values as unknown[]).indexOf('完成率');
    expect(rateColumn).toBeGreaterThan(0);
    const page = (await c.json<{ rows: Array<{ name: string; completed: number; persons: number }>; total: { completed: number; persons: number } }>(
      `/admin/api/resources/statistics_overview/actions/overview?year=${YEAR}`)).body;
    let numbers = 0;
    for (let r = 2; r <= sheet.rowCount; r++) {
      const cell = sheet.getRow(r).getCell(rateColumn);
      const row = [...page.rows, page.total][r - 2];
      if (!row.persons) continue;
      expect(typeof cell.value).toBe('number');
      expect(cell.value).toBeCloseTo(row.completed / row.persons, 12);
      expect(cell.numFmt).toBe('0.0%');
      numbers++;
    }
    expect(numbers).toBeGreaterThan(0);

    const lixia = await q<{ id: number }>("SELECT id FROM organisations WHERE name = '历下区人力资源和社会保障局'");
    const county = await c.request(`/admin/files/statistics/statistics-completion?year=${YEAR}&area=${lixia[0].id}`);
    expect(decodeURIComponent(county.headers.get('content-disposition')!)).toContain(`历下区-${YEAR}-继教完成情况.xlsx`);
    const series = await c.request('/admin/files/statistics/statistics-series');
    expect(decodeURIComponent(series.headers.get('content-disposition')!)).toContain('济南市-职称系列分布.xlsx');
  });

  it('the year list offers only years with data in the area, newest first', async () => {
    const c = await loggedIn(t.base, adminOf('历下区人力资源和社会保障局'));
    const [{ path }] = await q<{ path: string }>("SELECT path FROM organisations WHERE name = '历下区人力资源和社会保障局'");
    const withData = (await q<{ year: number }>(
      `SELECT DISTINCT year FROM hour_declarations WHERE org_path LIKE :p AND status <> 'withdrawn' AND year <= extract(year FROM now()) ORDER BY year DESC`, { p: `${path}%` }))
      .map((r) => Number(r.year));
    for (const [resource, action] of [['statistics_overview', 'overview'], ['statistics_completion', 'completion']]) {
      const body = (await c.json<{ years: number[]; year: number }>(`/admin/api/resources/${resource}/actions/${action}`)).body;
      expect(body.years).toEqual(withData);
      expect(body.year).toBe(withData[0]);
    }
    // A unit without any declaration offers the current year alone.
    const [empty] = await q<{ id: number }>(`SELECT o.id FROM organisations o WHERE o.kind = 'unit' AND o.status = 'active' AND o.path LIKE :p
      AND NOT EXISTS (SELECT 1 FROM hour_declarations h WHERE h.org_path LIKE o.path || '%') LIMIT 1`, { p: `${path}%` });
    if (empty) {
      const body = (await c.json<{ years: number[] }>(`/admin/api/resources/statistics_overview/actions/overview?area=${empty.id}`)).body;
      expect(body.years).toEqual([new Date().getFullYear()]);
    }
  });
});

describe('the CE base demo account (item 14)', () => {
  it('logs in as 继续教育基地管理员 with the demo password', async () => {
    const account = DEMO_ACCOUNTS.find((a) => a.organisationName === DEMO_CE_BASE)!;
    const c = await loggedIn(t.base, account.idNumber);
    const me = await c.request('/admin');
    expect(me.status).toBe(200);
    const [org] = await q<{ kind: string }>('SELECT kind FROM organisations WHERE name = :n', { n: DEMO_CE_BASE });
    expect(org.kind).toBe('ce_base');
  });
});
