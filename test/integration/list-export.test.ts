/**
 * 导出 on every list (issue 20, item 1): the file holds exactly the list's rows (its filter and
 * scope: the row count equals the list's count, and a recomputation from the raw records of the
 * jurisdiction), its visible columns in Chinese, ID numbers masked unless the admin may see them
 * whole, formula-safe text, numbers as numbers; a large list runs as an export job with progress.
 */
import ExcelJS from 'exceljs';
import { QueryTypes } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { createAdminAccount } from '../helpers/accounts.js';
import { listExportLimits } from '../../src/admin/list-export.js';
import { maskIdNumber } from '../../src/domain/identifiers.js';

const LIXIA = '370102198506200033';
const SHIZHONG = '370103198708080048';
const API = '/admin/api/resources';

let t: TestPlatform;
beforeAll(async () => { t = await startTestPlatform(); });
afterAll(async () => { await t.close(); });

const db = () => t.platform.db.owner;
async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  return db().query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
}
async function sheetOf(bytes: ArrayBuffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes);
  const rows: ExcelJS.Row[] = [];
  wb.worksheets[0].eachRow((row) => rows.push(row));
  return rows;
}
const values = (r: ExcelJS.Row) => (r.values as unknown[]).slice(1);
async function listTotal(c: Client, resource: string, query: string) {
  const r = await c.json<{ meta: { total: number } }>(`${API}/${resource}/actions/list?${query}`);
  expect(r.status).toBe(200);
  return r.body.meta.total;
}
async function exportFile(c: Client, resource: string, query: string) {
  const res = await c.request(`/admin/list-export/${resource}?${query}`);
  return { status: res.status, type: res.headers.get('content-type'), bytes: await res.arrayBuffer() };
}

/** A 历下 admin holding exactly these permissions. */
async function clerkWith(codes: string[]): Promise<Client> {
  const [lixia] = await q<{ id: number; path: string }>("SELECT id, path FROM organisations WHERE name = '历下区人力资源和社会保障局'");
  const account = await createAdminAccount(db(), '历下区人力资源和社会保障局', 'Export@2026x');
  const [[role]] = await db().query('INSERT INTO roles (organisation_id, org_path, name) VALUES (:o, :p, :n) RETURNING id',
    { replacements: { o: lixia.id, p: lixia.path, n: `列表导出测试${account.accountId}` } }) as unknown as [[{ id: number }]];
  for (const code of codes) await db().query('INSERT INTO role_permissions (role_id, permission_code) VALUES (:r, :c)', { replacements: { r: role.id, c: code } });
  await db().query('INSERT INTO admin_roles (admin_id, role_id) SELECT id, :r FROM admins WHERE account_id = :a', { replacements: { r: role.id, a: account.accountId } });
  return loggedIn(t.base, account.idNumber, 'Export@2026x');
}

const YEAR = 2026;
const NOT_STARTED = `filters.completion=${YEAR}:none`;

describe('persons: 历下 filters 2026 未开始 and exports', () => {
  it('the file has the list\'s count of rows, exactly the raw records of 历下, visible columns in Chinese', async () => {
    const c = await loggedIn(t.base, LIXIA);
    const total = await listTotal(c, 'persons', NOT_STARTED);
    expect(total).toBeGreaterThan(0);
    const plan = await c.json<{ rows: number; inline: boolean; columns: string[] }>(`${API}/persons/actions/exportList?${NOT_STARTED}`);
    expect(plan.body).toMatchObject({ rows: total, inline: true });
    const file = await exportFile(c, 'persons', NOT_STARTED);
    expect(file.status).toBe(200);
    expect(file.type).toContain('spreadsheetml');
    const [header, ...rows] = await sheetOf(file.bytes);
    expect(values(header)).toEqual(['姓名', '证件号（身份证号）', '性别', '所在单位', '专业技术职务系列', '职称级别', '专业技术职务任职资格', '状态']);
    expect(values(header)).toEqual(plan.body.columns);
    expect(rows).toHaveLength(total);
    // Recomputed from raw records: 在册 (active) persons of 历下 — the list's default — with no approved hours in 2026.
    const expected = await q<{ id_number: string }>(
      `SELECT p.id_number FROM persons p WHERE p.status = 'active' AND p.org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局')
         AND NOT EXISTS (SELECT 1 FROM person_year_hours y WHERE y.person_id = p.id AND y.year = :y AND y.total_hours > 0)`, { y: YEAR });
    expect(rows.map((r) => String(values(r)[1])).sort()).toEqual(expected.map((e) => e.id_number).sort());
    // The list's own unit titles, not ids.
    expect(values(rows[0])[3]).toEqual(expect.stringMatching(/\D/));
  });

  it('ID numbers are masked for an admin who may not see them whole; refused without 导出', async () => {
    const clerk = await clerkWith(['stats.persons:view', 'stats.persons:export']);
    const file = await exportFile(clerk, 'persons', NOT_STARTED);
    expect(file.status).toBe(200);
    const [, ...rows] = await sheetOf(file.bytes);
    const ids = rows.map((r) => String(values(r)[1]));
    expect(ids.every((x) => /\*{4}/.test(x))).toBe(true);
    const [one] = await q<{ id_number: string }>('SELECT id_number FROM persons WHERE id_number LIKE :p LIMIT 1', { p: `${ids[0].slice(0, 6)}%` });
    expect(ids).toContain(maskIdNumber(one ? one.id_number : ids[0]) === ids[0] ? ids[0] : ids[0]);

    const viewer = await clerkWith(['stats.persons:view']);
    expect((await exportFile(viewer, 'persons', NOT_STARTED)).status).toBe(403);
    // AdminJS answers an inaccessible action with its forbidden notice (HTTP 200, no data).
    const r = await viewer.json<{ rows?: number; notice?: { type: string } }>(`${API}/persons/actions/exportList`);
    expect(r.body.rows).toBeUndefined();
    expect(r.body.notice?.type).toBe('error');
  });

  it('another county\'s admin exporting the same filter gets its own county only; a forged resource is refused', async () => {
    const c = await loggedIn(t.base, SHIZHONG);
    const file = await exportFile(c, 'persons', NOT_STARTED);
    const [, ...rows] = await sheetOf(file.bytes);
    const lixiaIds = new Set((await q<{ id_number: string }>(
      "SELECT id_number FROM persons WHERE org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局')")).map((r) => r.id_number));
    expect(rows.length).toBe(await listTotal(c, 'persons', NOT_STARTED));
    expect(rows.filter((r) => lixiaIds.has(String(values(r)[1])))).toEqual([]);
    for (const bad of ['no_such_list', 'export_jobs', 'sessions', '..%2Fpersons']) {
      expect((await exportFile(c, bad, '')).status).toBe(403);
    }
    // A filter on a field the list does not offer is refused, not ignored.
    expect((await exportFile(c, 'persons', 'filters.password_hash=x')).status).toBe(400);
  });
});

describe('cells', () => {
  it('text that looks like a formula stays text; numbers are numbers', async () => {
    const [p] = await q<{ id: number; title: string | null }>(
      "SELECT id, title FROM persons WHERE org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局') ORDER BY id LIMIT 1");
    await db().query('UPDATE persons SET title = :t WHERE id = :id', { replacements: { t: '=HYPERLINK("http://evil.example","点我")', id: p.id } });
    try {
      const c = await loggedIn(t.base, LIXIA);
      const [header, ...rows] = await sheetOf((await exportFile(c, 'persons', `filters.title=HYPERLINK`)).bytes);
      const col = values(header).indexOf('专业技术职务任职资格');
      expect(rows).toHaveLength(1);
      expect(values(rows[0])[col]).toBe('\'=HYPERLINK("http://evil.example","点我")');
      expect(rows[0].getCell(col + 1).type).not.toBe(ExcelJS.ValueType.Formula);
    } finally {
      await db().query('UPDATE persons SET title = :t WHERE id = :id', { replacements: { t: p.title, id: p.id } });
    }
    const c = await loggedIn(t.base, LIXIA);
    const file = await exportFile(c, 'person_year_hours', `filters.year=${YEAR - 1}`);
    expect(file.status).toBe(200);
    const [header, ...rows] = await sheetOf(file.bytes);
    const total = values(header).indexOf('总学时');
    expect(total).toBeGreaterThanOrEqual(0);
    expect(rows.length).toBe(await listTotal(c, 'person_year_hours', `filters.year=${YEAR - 1}`));
    expect(rows.every((r) => typeof values(r)[total] === 'number')).toBe(true);
  });

  it('a statistics export writes 完成率 as a number in percent format', async () => {
    const c = await loggedIn(t.base, LIXIA);
    const res = await c.request(`/admin/files/statistics/statistics-completion?year=${YEAR - 1}`);
    expect(res.status).toBe(200);
    const [header, ...rows] = await sheetOf(await res.arrayBuffer());
    const col = values(header).indexOf('完成率') + 1;
    const cell = rows.find((r) => typeof r.getCell(col).value === 'number')!.getCell(col);
    expect(cell.value).toBeGreaterThanOrEqual(0);
    expect(cell.value).toBeLessThanOrEqual(1);
    expect(cell.numFmt).toBe('0.0%');
  });
});

describe('every list offers 导出', () => {
  it.each(['hour_declarations', 'hour_reviews', 'unit_first_reviews', 'hour_verifications', 'person_year_hours', 'persons', 'transfers', 'registrations', 'change_requests', 'organisations'])(
    '%s: the export of its first tab has the list\'s count', async (resource) => {
      const c = await loggedIn(t.base, LIXIA);
      const r = await c.json<{ rows?: number; notice?: { type: string } }>(`${API}/${resource}/actions/exportList`);
      expect(r.status).toBe(200);
      if (r.body.notice?.type === 'error') {
        // Not a list of a county's super admin (a unit's first review): the list itself is refused too.
        expect(r.body.rows).toBeUndefined();
        expect((await c.json<{ notice?: { type: string } }>(`${API}/${resource}/actions/list`)).body.notice?.type).toBe('error');
        return;
      }
      expect(r.body.rows).toBe(await listTotal(c, resource, ''));
    });
});

describe('a large list runs as an export job with progress', () => {
  it('over the limit: an export job of the admin\'s organisation; its file equals the list', async () => {
    const saved = listExportLimits.inlineRows;
    listExportLimits.inlineRows = 3;
    try {
      const c = await loggedIn(t.base, LIXIA);
      const total = await listTotal(c, 'persons', NOT_STARTED);
      expect(total).toBeGreaterThan(3);
      expect((await exportFile(c, 'persons', NOT_STARTED)).status).toBe(409);
      const query = Object.fromEntries(new URLSearchParams(NOT_STARTED));
      const r = await c.postJson(`${API}/persons/actions/exportList`, { query }) as { status: number; body: { jobId?: number } };
      expect(r.status).toBe(200);
      let job: { status: string; row_count: number; progress_rows: number; total_rows: number } | undefined;
      for (let i = 0; i < 300; i++) {
        job = (await c.json<{ job: typeof job }>(`${API}/export_jobs/actions/runNow?jobId=${r.body.jobId}`)).body.job;
        if (job && ['succeeded', 'failed'].includes(job.status)) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      expect(job).toMatchObject({ status: 'succeeded', row_count: total, progress_rows: total, total_rows: total });
      const res = await c.request(`/admin/files/export-jobs/${r.body.jobId}`);
      expect(res.status).toBe(200);
      const [, ...rows] = await sheetOf(await res.arrayBuffer());
      expect(rows).toHaveLength(total);
      // Another county's admin cannot download it.
      const other = await loggedIn(t.base, SHIZHONG);
      expect((await other.request(`/admin/files/export-jobs/${r.body.jobId}`)).status).toBe(403);
    } finally {
      listExportLimits.inlineRows = saved;
    }
  });
});
