/**
 * 保存的报表 (issue 20, item 2): a list's filters saved under a name from its 导出, or a built-in
 * report with its area and year; data in the database, shared with the organisation's admins
 * (not another county's), changed or deleted by its owner or the super admin only, runnable now.
 */
import ExcelJS from 'exceljs';
import { QueryTypes } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { createAdminAccount } from '../helpers/accounts.js';

const LIXIA = '370102198506200033';
const SHIZHONG = '370103198708080048';
const API = '/admin/api/resources';
const NOT_STARTED = { 'filters.completion': '2026:none' };

let t: TestPlatform;
beforeAll(async () => { t = await startTestPlatform(); });
afterAll(async () => { await t.close(); });
const db = () => t.platform.db.owner;
async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  return db().query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
}
const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
type Answer = { record?: { id?: number; params?: Record<string, unknown>; errors?: Record<string, { message: string }> }; notice?: { message: string; type: string }; jobId?: number; savedReportId?: number };

/** A 历下 admin holding exactly these permissions (not the super admin). */
async function clerkWith(codes: string[]): Promise<Client> {
  const [lixia] = await q<{ id: number; path: string }>("SELECT id, path FROM organisations WHERE name = '历下区人力资源和社会保障局'");
  const account = await createAdminAccount(db(), '历下区人力资源和社会保障局', 'Saved@2026x');
  const [[role]] = await db().query('INSERT INTO roles (organisation_id, org_path, name) VALUES (:o, :p, :n) RETURNING id',
    { replacements: { o: lixia.id, p: lixia.path, n: `报表测试${account.accountId}` } }) as unknown as [[{ id: number }]];
  for (const code of codes) await db().query('INSERT INTO role_permissions (role_id, permission_code) VALUES (:r, :c)', { replacements: { r: role.id, c: code } });
  await db().query('INSERT INTO admin_roles (admin_id, role_id) SELECT id, :r FROM admins WHERE account_id = :a', { replacements: { r: role.id, a: account.accountId } });
  return loggedIn(t.base, account.idNumber, 'Saved@2026x');
}

let boss: Client;
let clerk: Client;
let otherClerk: Client;
let savedId: number;
beforeAll(async () => {
  boss = await loggedIn(t.base, LIXIA);
  clerk = await clerkWith(['stats.persons:view', 'stats.persons:export', 'stats.exports:view', 'stats.exports:run']);
  otherClerk = await clerkWith(['stats.persons:view', 'stats.persons:export', 'stats.exports:view', 'stats.exports:run']);
});

describe('saving a list', () => {
  it('保存为报表 from the list\'s 导出 keeps its filters, shared with the organisation', async () => {
    const name = `历下2026未开始${Date.now()}`;
    const r = await clerk.postJson(`${API}/persons/actions/exportList`, { saveAs: name, query: NOT_STARTED }) as { body: Answer };
    expect(r.body.notice?.type).toBe('success');
    savedId = r.body.savedReportId!;
    const [row] = await q<{ kind: string; resource: string; params: unknown; organisation_id: number }>('SELECT kind, resource, params, organisation_id FROM saved_reports WHERE id = :id', { id: savedId });
    expect(row).toMatchObject({ kind: 'list', resource: 'persons', params: { query: NOT_STARTED } });
    // The same name again: refused in Chinese.
    const again = await clerk.postJson(`${API}/persons/actions/exportList`, { saveAs: name, query: NOT_STARTED }) as { body: Answer };
    expect(again.body.notice?.message ?? JSON.stringify(again.body)).toContain('同名报表');
    // Seen by the organisation's admins, not by another county's.
    const mine = await otherClerk.json<{ records: Array<{ id: number }> }>(`${API}/saved_reports/actions/list?perPage=200`);
    expect(mine.body.records.map((x) => Number(x.id))).toContain(savedId);
    const other = await loggedIn(t.base, SHIZHONG);
    const theirs = await other.json<{ records: Array<{ id: number }> }>(`${API}/saved_reports/actions/list?perPage=200`);
    expect(theirs.body.records.map((x) => Number(x.id))).not.toContain(savedId);
    expect((await other.json<Answer>(`${API}/saved_reports/records/${savedId}/runSaved`, form({}))).body.jobId).toBeUndefined();
  });

  it('runnable now: the file has the list\'s rows as the runner sees them', async () => {
    const r = await otherClerk.json<Answer>(`${API}/saved_reports/records/${savedId}/runSaved`, form({}));
    expect(r.body.notice?.type).toBe('success');
    let job: { status: string; row_count: number } | undefined;
    for (let i = 0; i < 200; i++) {
      job = (await otherClerk.json<{ job: typeof job }>(`${API}/export_jobs/actions/runNow?jobId=${r.body.jobId}`)).body.job;
      if (job && ['succeeded', 'failed'].includes(job.status)) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const total = (await otherClerk.json<{ meta: { total: number } }>(`${API}/persons/actions/list?filters.completion=2026:none`)).body.meta.total;
    expect(job).toMatchObject({ status: 'succeeded', row_count: total });
    const res = await otherClerk.request(`/admin/files/export-jobs/${r.body.jobId}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets[0].rowCount).toBe(total + 1);
  });

  it('edited or deleted by its owner or the super admin only', async () => {
    const rename = (c: Client, name: string) => c.json<Answer>(`${API}/saved_reports/records/${savedId}/edit`, form({ name }));
    const del = (c: Client) => c.json<Answer>(`${API}/saved_reports/records/${savedId}/delete`, { method: 'POST' });
    const notOwner = await rename(otherClerk, '被他人改名');
    expect(notOwner.status === 403 || notOwner.body.notice?.type === 'error').toBe(true);
    expect((await del(otherClerk)).status === 403).toBe(true);
    expect((await q<{ name: string }>('SELECT name FROM saved_reports WHERE id = :id', { id: savedId }))[0].name).not.toBe('被他人改名');
    const owner = await rename(clerk, '历下 2026 未开始（改名）');
    expect(owner.body.notice?.type).toBe('success');
    expect((await q<{ name: string }>('SELECT name FROM saved_reports WHERE id = :id', { id: savedId }))[0].name).toBe('历下 2026 未开始（改名）');
    const other = await loggedIn(t.base, SHIZHONG);
    expect((await del(other)).status).toBe(403);
    const bySuper = await del(boss);
    expect(bySuper.body.notice?.type).toBe('success');
    expect(await q('SELECT 1 FROM saved_reports WHERE id = :id', { id: savedId })).toEqual([]);
  });
});

describe('saving a built-in report with its area and year', () => {
  it('an area of the jurisdiction and 上一年度; an area outside is refused, nothing saved', async () => {
    const [unit] = await q<{ id: number }>("SELECT id FROM organisations WHERE name = '济南市历下区第一人民医院'");
    const [shizhong] = await q<{ id: number }>("SELECT id FROM organisations WHERE name = '市中区人力资源和社会保障局'");
    const ok = await boss.json<Answer>(`${API}/saved_reports/actions/new`, form({ name: `完成情况${Date.now()}`, report: 'statistics-completion', area_id: String(unit.id), year_param: 'previous' }));
    expect(ok.body.notice?.type).toBe('success');
    const [row] = await q<{ kind: string; report: string; params: unknown }>('SELECT kind, report, params FROM saved_reports WHERE id = :id', { id: ok.body.record!.id });
    expect(row).toEqual({ kind: 'report', report: 'statistics-completion', params: { area: unit.id, year: 'previous' } });
    const before = await q('SELECT id FROM saved_reports');
    for (const [fields, message] of [
      [{ area_id: String(shizhong.id) }, '所选地区不在您的管辖范围内'],
      [{ report: 'list-export' }, '报表不存在'],
      [{ year_param: '1999' }, '年度应为'],
    ] as const) {
      const r = await boss.json<Answer>(`${API}/saved_reports/actions/new`, form({ name: `坏报表${Date.now()}`, report: 'statistics-completion', ...fields }));
      expect(r.body.notice?.type).toBe('error');
      expect([r.body.notice?.message, ...Object.values(r.body.record?.errors ?? {}).map((e) => e.message)].join(' ')).toContain(message);
    }
    expect(await q('SELECT id FROM saved_reports')).toHaveLength(before.length);
  });
});
