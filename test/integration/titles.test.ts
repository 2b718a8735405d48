/**
 * Issue 18, item 8, through the HTTP API: a person's title is checked against its series, track
 * and level wherever it is written — the title-change request, the persons import, the
 * registration — and every title of the demo data fits the catalog.
 */
import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { QueryTypes } from 'sequelize';
import { fieldsWithProof } from '../helpers/evidence.js';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { generateIdNumber } from '../../src/domain/identifiers.js';
import { checkTitle } from '../../config/title-series.js';
import { TEST_PERSONS } from '../setup/database.js';

let t: TestPlatform;
beforeAll(async () => { t = await startTestPlatform(); });
afterAll(async () => { await t.close(); });

const adminOf = (org: string) => DEMO_ACCOUNTS.find((a) => a.organisationName === org && a.isSuper)!.idNumber;
async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  return t.platform.db.owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
}
async function freshId(): Promise<string> {
  for (;;) {
    const id = generateIdNumber('370103', `1988${String(crypto.randomInt(1, 13)).padStart(2, '0')}${String(crypto.randomInt(1, 29)).padStart(2, '0')}`, crypto.randomInt(0, 1000));
    if (!(await q('SELECT 1 FROM accounts WHERE id_number = :id UNION ALL SELECT 1 FROM persons WHERE id_number = :id', { id })).length) return id;
  }
}

describe('the demo data', () => {
  it('gives every person a title that fits its series and level, nurses as nurses', async () => {
    const rows = await q<{ series: string | null; level: string | null; title: string | null; n: string }>(
      // The seeded persons (ids 1 … TEST_PERSONS), not what other test files write into the shared database.
      'SELECT title_series series, title_level level, title, count(*) n FROM persons WHERE id <= :seeded GROUP BY 1, 2, 3', { seeded: TEST_PERSONS });
    const bad = rows.filter((r) => { const c = checkTitle(r); return !c.ok || (r.title !== null && c.title !== r.title); });
    expect(bad).toEqual([]);
    const health = Object.fromEntries(rows.filter((r) => r.series === '卫生技术' && r.level === 'intermediate').map((r) => [r.title, Number(r.n)]));
    expect(health['主管护师']).toBeGreaterThan(0);
    expect(health['主治医师']).toBeGreaterThan(0);
  });
});

describe('the title-change request', () => {
  it('refuses a title of another track’s level and files one that fits', async () => {
    const [person] = await q<{ id: number; id_number: string }>(`SELECT p.id, p.id_number FROM persons p WHERE p.status = 'active' AND p.account_id IS NULL
      AND p.title_series = '卫生技术' AND p.title_level = 'intermediate' AND p.org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '市中区人力资源和社会保障局')
      AND NOT EXISTS (SELECT 1 FROM change_requests c WHERE c.person_id = p.id) ORDER BY p.id DESC LIMIT 1`);
    const [[acc]] = await t.platform.db.owner.query('INSERT INTO accounts (id_number, name, password_hash) VALUES (:n, \'护士长\', :h) RETURNING id',
      { replacements: { n: person.id_number, h: await hashPassword('Nurse#Pass2026') } }) as unknown as [[{ id: number }]];
    await q('UPDATE persons SET account_id = :a WHERE id = :p', { a: acc.id, p: person.id });
    const me = await loggedIn(t.base, person.id_number, 'Nurse#Pass2026');
    const ask = (values: Record<string, string>) => me.json<{ errors?: Record<string, string>; notice?: { type: string } }>(
      `/admin/api/resources/persons/records/${person.id}/requestTitleChange`, { method: 'POST', body: fieldsWithProof({ ...values, evidence: '聘任文件' }) });
    const wrong = await ask({ title_series: '卫生技术', title_level: 'vice_senior', title: '主管护师' });
    expect(wrong.body.errors).toEqual({ title: '「卫生技术」系列副高级的专业技术职务为：副主任医师（医疗）、副主任药师（药学）、副主任护师（护理）、副主任技师（技术）、副主任中医师（中医）' });
    const noLevel = await ask({ title_series: '高等学校教师', title_level: 'junior', title: '助教' });
    expect(noLevel.body.errors?.title_level).toMatch(/「高等学校教师」系列没有员级职称/);
    expect(await q('SELECT 1 FROM change_requests WHERE person_id = :p', { p: person.id })).toHaveLength(0);
    const ok = await ask({ title_series: '卫生技术', title_level: 'vice_senior', title: '副主任护师' });
    expect(ok.body.notice?.type).toBe('success');
    const [req] = await q<{ new_values: Record<string, string> }>("SELECT new_values FROM change_requests WHERE person_id = :p AND status = 'pending'", { p: person.id });
    expect(req.new_values).toMatchObject({ title_level: 'vice_senior', title: '副主任护师' });
  });
});

describe('the persons import', () => {
  it('reports a title that does not fit its series and level, and imports the one that does', async () => {
    const lixia = await loggedIn(t.base, adminOf('历下区人力资源和社会保障局'));
    const [unit] = await q<{ credit_code: string }>(`SELECT credit_code FROM organisations WHERE kind = 'unit' AND status = 'active' AND credit_code IS NOT NULL
      AND path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局') LIMIT 1`);
    const template = new ExcelJS.Workbook();
    await template.xlsx.load(await (await lixia.request('/admin/files/templates/persons')).arrayBuffer());
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('学员');
    ws.addRow((template.worksheets[0].getRow(1).values as string[]).slice(1));
    const good = await freshId();
    const bad = await freshId();
    ws.addRow(['护士甲', good, unit.credit_code, '卫生技术', '中级', '主管护师', '大学本科', '13912345678', '']);
    ws.addRow(['护士乙', bad, unit.credit_code, '卫生技术', '中级', '主任护师', '大学本科', '13912345679', '']);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await wb.xlsx.writeBuffer())]), '学员.xlsx');
    const up = await lixia.json<{ jobId: number }>('/admin/api/resources/persons/actions/importPersons', { method: 'POST', body: form });
    let job: { status: string; committed_rows: number; error_rows: number } | undefined;
    while (!job || !['succeeded', 'failed'].includes(job.status)) {
      if (job) await new Promise((res) => setTimeout(res, 100));
      job = (await lixia.json<{ job: typeof job }>(`/admin/api/resources/persons/actions/importPersons?jobId=${up.body.jobId}`)).body.job;
    }
    expect(job).toMatchObject({ status: 'succeeded', committed_rows: 1, error_rows: 1 });
    expect(await q('SELECT title_series, title_level, title FROM persons WHERE id_number IN (:ids)', { ids: [good, bad] }))
      .toEqual([{ title_series: '卫生技术', title_level: 'intermediate', title: '主管护师' }]);
    const report = new ExcelJS.Workbook();
    await report.xlsx.load(await (await lixia.request(`/admin/files/import-jobs/${up.body.jobId}`)).arrayBuffer());
    expect(String(report.worksheets[0].getRow(2).getCell(11).value)).toMatch(/「卫生技术」系列中级的专业技术职务为：主治医师（医疗）、主管药师（药学）、主管护师（护理）/);
  });
});

describe('the registration', () => {
  it('names a title that does not fit, and keeps one that does with the pending person', async () => {
    const [unit] = await q<{ id: number }>(`SELECT u.id FROM organisations u JOIN organisations s ON s.id = u.parent_id
      WHERE u.kind = 'unit' AND u.status = 'active' AND s.name = '市中区人力资源和社会保障局' LIMIT 1`);
    const form = async (extra: Record<string, string>) => ({ kind: 'person', unitId: String(unit.id), idNumber: await freshId(), name: '郑注册', mobile: '13700004444',
      email: 'zheng@example.com', password: 'Person#2026', confirm: 'Person#2026', ...extra });
    const bad = await form({ titleSeries: '船舶', titleLevel: 'intermediate', title: '船长' });
    const html = await (await new Client(t.base).postForm('/register', bad)).text();
    expect(html).toContain('data-error="title"');
    expect(html).toContain('「船舶」系列中级的专业技术职务为：大副（驾驶）、大管轮（轮机）');
    expect(await q('SELECT 1 FROM persons WHERE id_number = :id', { id: bad.idNumber })).toHaveLength(0);
    const good = await form({ titleSeries: '船舶', titleLevel: 'intermediate', title: '大副' });
    expect(await (await new Client(t.base).postForm('/register', good)).text()).toContain('注册信息已提交');
    expect(await q('SELECT title_series, title_level, title, status FROM persons WHERE id_number = :id', { id: good.idNumber }))
      .toEqual([{ title_series: '船舶', title_level: 'intermediate', title: '大副', status: 'pending' }]);
  });
});
