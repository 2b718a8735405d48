/**
 * 专技人员信息查询 (4.5.4): the completion filter, 重置密码 (a one-time password shown once,
 * changed at the next login) and 批量导入学员 (the two-phase import with bad rows reported;
 * new persons log in with the initial password and must change it) — all inside the
 * admin's jurisdiction.
 */
import ExcelJS from 'exceljs';
import { QueryTypes } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { generateIdNumber } from '../../src/domain/identifiers.js';

let t: TestPlatform;
let lixia: Client;
const admin = (org: string) => DEMO_ACCOUNTS.find((a) => a.organisationName === org && a.isSuper)!.idNumber;
const q = <T extends object>(sql: string, r: Record<string, unknown> = {}) =>
  t.platform.db.owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
const LIXIA_PREFIX = "(SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局')";
const API = '/admin/api/resources/persons';

beforeAll(async () => {
  t = await startTestPlatform();
  lixia = await loggedIn(t.base, admin('历下区人力资源和社会保障局'));
});
afterAll(async () => { await t.close(); });

describe('completion filter', () => {
  it.each(['completed', 'partly', 'none'])('2025:%s lists exactly the jurisdiction’s persons in that state', async (state) => {
    const r = await lixia.json<{ records: Array<{ id: number }>; meta: { total: number } }>(`${API}/actions/list?filters.completion=2025:${state}&perPage=500`);
    const cond = state === 'completed' ? 'y.completed' : state === 'partly' ? 'NOT y.completed AND y.total_hours > 0' : 'y.person_id IS NULL OR y.total_hours = 0';
    const expected = await q<{ id: number }>(
      `SELECT p.id FROM persons p LEFT JOIN person_year_hours y ON y.person_id = p.id AND y.year = 2025
        WHERE p.org_path LIKE ${LIXIA_PREFIX} AND p.status = 'active' AND (${cond})`); // the list opens on active persons (issue 17, item 8)
    expect(r.body.meta.total).toBe(expected.length);
    expect(r.body.meta.total).toBeGreaterThan(0);
    const allowed = new Set(expected.map((x) => x.id));
    expect(r.body.records.length).toBe(Math.min(500, expected.length));
    expect(r.body.records.every((x) => allowed.has(Number(x.id)))).toBe(true);
  });

  it('refuses a value it does not offer, with a Chinese message and no rows', async () => {
    for (const bad of ['2025:done', '1999:completed', "2025:completed' OR 1=1 --", '2025']) {
      const r = await lixia.json<{ records?: unknown[]; notice?: { message: string } }>(`${API}/actions/list?filters.completion=${encodeURIComponent(bad)}`);
      expect(r.body.records ?? []).toEqual([]);
      expect(JSON.stringify(r.body)).toMatch(/筛选值无效/);
    }
  });
});

describe('重置密码', () => {
  it('shows a one-time password once; the person logs in with it and must change it; the reset is audited', async () => {
    const [person] = await q<{ id: number; id_number: string; account_id: number | null }>(
      `SELECT id, id_number, account_id FROM persons WHERE status = 'active' AND account_id IS NULL AND org_path LIKE ${LIXIA_PREFIX} ORDER BY id LIMIT 1`);
    const get = await lixia.json<Record<string, unknown>>(`${API}/records/${person.id}/resetPassword`);
    expect(get.body.oneTimePassword).toBeUndefined();
    const r = await lixia.json<{ oneTimePassword: string; notice: { message: string } }>(`${API}/records/${person.id}/resetPassword`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(r.body.notice.message).toBe('已为该人员开通账号并生成临时密码');
    expect(r.body.oneTimePassword).toMatch(/^.{12}$/);
    expect(JSON.stringify(r.body)).not.toMatch(/password_hash|\$2[aby]\$/);
    const [account] = await q<{ must_change_password: boolean }>('SELECT a.must_change_password FROM accounts a JOIN persons p ON p.account_id = a.id WHERE p.id = :id', { id: person.id });
    expect(account.must_change_password).toBe(true);

    const c = new Client(t.base);
    const login = await c.login(person.id_number, r.body.oneTimePassword, 'person');
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).not.toBe('/admin');
    expect((await c.get('/admin/api/resources/persons/actions/list')).status).not.toBe(200);

    // A second reset: the first password no longer works.
    const again = await lixia.json<{ oneTimePassword: string; notice: { message: string } }>(`${API}/records/${person.id}/resetPassword`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(again.body.notice.message).toBe('密码已重置为临时密码');
    expect((await new Client(t.base).login(person.id_number, r.body.oneTimePassword, 'person')).headers.get('location') ?? '').not.toMatch(/admin|change/);
    const audited = await q("SELECT 1 FROM audit_log WHERE action = 'reset_password' AND resource = 'persons' AND record_id = :id", { id: String(person.id) });
    expect(audited).toHaveLength(2);
  });

  it('another county cannot reset a 历下 person; nothing changes', async () => {
    const [person] = await q<{ id: number; account_id: number | null }>(`SELECT id, account_id FROM persons WHERE status = 'active' AND org_path LIKE ${LIXIA_PREFIX} ORDER BY id DESC LIMIT 1`);
    const shizhong = await loggedIn(t.base, admin('市中区人力资源和社会保障局'));
    const r = await shizhong.json<Record<string, unknown>>(`${API}/records/${person.id}/resetPassword`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(403);
    expect(r.body.oneTimePassword).toBeUndefined();
    const [after] = await q<{ account_id: number | null }>('SELECT account_id FROM persons WHERE id = :id', { id: person.id });
    expect(after.account_id).toBe(person.account_id);
  });
});

describe('批量导入学员', () => {
  const ACTION = `${API}/actions/importPersons`;
  async function upload(c: Client, bytes: Buffer) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), '学员.xlsx');
    return c.json<{ jobId?: number; notice?: { message: string } }>(ACTION, { method: 'POST', body: form });
  }
  async function finished(c: Client, jobId: number) {
    for (let i = 0; i < 300; i++) {
      const r = await c.json<{ job: { status: string; total_rows: number; committed_rows: number; error_rows: number; has_report: boolean } }>(`${ACTION}?jobId=${jobId}`);
      if (['succeeded', 'failed'].includes(r.body.job.status)) return r.body.job;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('import did not finish');
  }
  let n = 0;
  const freshId = async () => {
    for (;;) {
      const id = generateIdNumber('370102', `1985${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}`, (Date.now() + n++) % 1000);
      if (!(await q('SELECT 1 FROM accounts WHERE id_number = :id UNION ALL SELECT 1 FROM persons WHERE id_number = :id', { id })).length) return id;
    }
  };

  it('template → good rows become persons with accounts; bad rows come back with their reasons', async () => {
    const template = new ExcelJS.Workbook();
    await template.xlsx.load(await (await lixia.request('/admin/files/templates/persons')).arrayBuffer());
    const header = (template.worksheets[0].getRow(1).values as string[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['姓名', '身份证号', '所在单位统一社会信用代码']);

    const [unit] = await q<{ credit_code: string; id: number }>(`SELECT credit_code, id FROM organisations WHERE kind = 'unit' AND status = 'active' AND credit_code IS NOT NULL AND path LIKE ${LIXIA_PREFIX} LIMIT 1`);
    const [foreign] = await q<{ credit_code: string }>("SELECT credit_code FROM organisations WHERE kind = 'unit' AND credit_code IS NOT NULL AND path LIKE (SELECT path || '%' FROM organisations WHERE name = '市南区人力资源和社会保障局') LIMIT 1");
    const [existing] = await q<{ id_number: string }>('SELECT id_number FROM persons LIMIT 1');
    const good = [await freshId(), await freshId()];
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('学员');
    ws.addRow(header);
    const row = (name: string, id: string, code: string, extra: Record<number, string> = {}) => {
      const r = [name, id, code, '工程技术', '中级', '工程师', '大学本科', '13912345678', ''];
      for (const [i, v] of Object.entries(extra)) r[Number(i)] = v;
      ws.addRow(r);
    };
    row('导入甲', good[0], unit.credit_code);
    row('导入乙', good[1], unit.credit_code, { 4: '', 5: '', 7: '' });
    row('重复行', good[0], unit.credit_code);                        // duplicate within the file
    row('坏号', '370102198501010010', unit.credit_code);             // bad check digit
    row('外区单位', await freshId(), foreign.credit_code);           // unit outside the jurisdiction
    row('已登记', existing.id_number, unit.credit_code);             // already registered
    row('坏级别', await freshId(), unit.credit_code, { 4: '高级' });  // not a level
    row('坏系列', await freshId(), unit.credit_code, { 3: '=HYPERLINK("http://x")' });
    row('坏代码', await freshId(), '91370102MA3C00000A');            // credit code check digit
    const r = await upload(lixia, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(r.body.jobId).toBeGreaterThan(0);
    const job = await finished(lixia, r.body.jobId!);
    expect(job).toMatchObject({ status: 'succeeded', total_rows: 9, committed_rows: 2, error_rows: 7, has_report: true });

    const report = new ExcelJS.Workbook();
    await report.xlsx.load(await (await lixia.request(`/admin/files/import-jobs/${r.body.jobId}`)).arrayBuffer());
    const reasons = report.worksheets[0].getColumn(header.length + 2).values.slice(2).map(String);
    expect(reasons).toHaveLength(7);
    expect(reasons[0]).toBe('与第 2 行重复');
    expect(reasons[1]).toBe('身份证号码校验位不正确');
    expect(reasons[2]).toBe('所在单位不存在、未启用或不在本辖区内');
    expect(reasons[3]).toMatch(/已在本辖区登记|无法在本辖区导入/);
    expect(reasons[4]).toMatch(/职称级别应为/);
    expect(reasons[5]).toMatch(/不在职称系列目录中/);
    expect(reasons[6]).toMatch(/校验/);

    const created = await q<{ name: string; unit_id: number; title_level: string | null; gender: string; must_change_password: boolean; org_path: string }>(
      `SELECT p.name, p.unit_id, p.title_level, p.gender, p.org_path, a.must_change_password FROM persons p JOIN accounts a ON a.id = p.account_id
        WHERE p.id_number IN (:ids) ORDER BY p.name`, { ids: good });
    expect(created.map((p) => [p.name, p.unit_id, p.must_change_password])).toEqual([['导入乙', unit.id, true], ['导入甲', unit.id, true]]);
    expect(created.find((p) => p.name === '导入甲')!.title_level).toBe('intermediate');
    // Each column of the batch lands in its own field: the birth date is the ID number's, the path the unit's.
    const [{ path: unitPath }] = await q<{ path: string }>('SELECT path FROM organisations WHERE id = :id', { id: unit.id });
    const fields = await q<{ id_number: string; birth: string; org_path: string }>(
      'SELECT id_number, birth_date::text birth, org_path FROM persons WHERE id_number IN (:ids)', { ids: good });
    expect(fields.map((f) => [f.birth, f.org_path]).sort()).toEqual(fields.map((f) => [`${f.id_number.slice(6, 10)}-${f.id_number.slice(10, 12)}-${f.id_number.slice(12, 14)}`, unitPath]).sort());

    // The initial password is the ID number's last six digits, and must be changed at once.
    const c = new Client(t.base);
    const login = await c.login(good[0], good[0].slice(-6), 'person');
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).not.toBe('/admin');
    expect((await new Client(t.base).login(good[0], '000000', 'person')).headers.get('location') ?? '').not.toMatch(/change/);

    // 市中 does not see them; 历下 does.
    const shizhong = await loggedIn(t.base, admin('市中区人力资源和社会保障局'));
    const [imported] = await q<{ id: number }>('SELECT id FROM persons WHERE id_number = :id', { id: good[0] });
    expect((await shizhong.json(`${API}/records/${imported.id}/show`)).status).toBe(403);
    expect((await lixia.json<{ record: { params: { name: string } } }>(`${API}/records/${imported.id}/show`)).body.record.params.name).toBe('导入甲');
  });
});
