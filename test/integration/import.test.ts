/**
 * 批量导入 of 岗位培训 hours: template → filled file with good and bad rows → every bad row
 * reported with its reason, the good ones committed; hostile files refused before parsing.
 */
import ExcelJS from 'exceljs';
import { QueryTypes } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { inspectXlsx } from '../../src/services/import/xlsx-guard.js';
import { failInterruptedImports } from '../../src/services/import/engine.js';

let t: TestPlatform;
let lixia: Client;
beforeAll(async () => {
  t = await startTestPlatform();
  lixia = await loggedIn(t.base, DEMO_ACCOUNTS.find((a) => a.organisationName === '历下区人力资源和社会保障局' && a.isSuper)!.idNumber);
});
afterAll(async () => { await t.close(); });

async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  return t.platform.db.owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
}
const ACTION = '/admin/api/resources/hour_declarations/actions/importHours';

async function upload(bytes: Buffer, name = '导入.xlsx') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  return lixia.json<{ jobId?: number; notice?: { message: string; type: string } }>(ACTION, { method: 'POST', body: form });
}
async function finished(jobId: number) {
  for (let i = 0; i < 200; i++) {
    const r = await lixia.json<{ job: { id?: number; status: string; total_rows: number; committed_rows: number; error_rows: number; error: string | null; has_report: boolean; progress: number } }>(`${ACTION}?jobId=${jobId}`);
    if (['succeeded', 'failed'].includes(r.body.job.status)) return r.body.job;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('import did not finish');
}
async function sheet(rows: string[][], header?: string[]) {
  const template = new ExcelJS.Workbook();
  await template.xlsx.load(await (await lixia.request('/admin/files/templates/hours')).arrayBuffer());
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('导入');
  ws.addRow(header ?? (template.worksheets[0].getRow(1).values as string[]).slice(1));
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('hours import', () => {
  it('commits the good rows and reports every bad row with its reason', async () => {
    const people = await q<{ name: string; id_number: string }>(`SELECT name, id_number FROM persons WHERE status = 'active'
      AND org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局') ORDER BY id LIMIT 3`);
    const [outsider] = await q<{ name: string; id_number: string }>("SELECT name, id_number FROM persons WHERE org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '市南区人力资源和社会保障局') LIMIT 1");
    const act = `导入测试培训${Date.now()}`;
    const row = (p: { name: string; id_number: string }, extra: Partial<Record<number, string>> = {}) => {
      const r = [p.name, p.id_number, act, '2026-04-01', '2026-04-02', '本单位', '8', '签到表'];
      for (const [i, v] of Object.entries(extra)) r[Number(i)] = v!;
      return r;
    };
    const bytes = await sheet([
      row(people[0]), row(people[1]), row(people[2]),
      row(people[0]),                                      // duplicate of row 2
      row(people[1], { 1: '370102199001011013' }),         // bad check digit
      row(outsider),                                       // outside the jurisdiction
      row(people[2], { 0: '冒名' , 2: `${act}-b` }),        // name does not match
      row(people[1], { 2: `${act}-c`, 6: '99' }),          // over the cap per activity
      row(people[1], { 2: `${act}-d`, 3: '2026/13/01' }),  // bad date
    ]);
    const r = await upload(bytes);
    expect(r.body.jobId).toBeGreaterThan(0);
    const job = await finished(r.body.jobId!);
    expect(job).toMatchObject({ status: 'succeeded', total_rows: 9, committed_rows: 3, error_rows: 6, has_report: true, progress: 100 });
    expect(await q('SELECT 1 FROM hour_declarations WHERE activity_name = :a AND status = \'pending\'', { a: act })).toHaveLength(3);
    // Each committed record carries its row's person, year, hours and details, and the batch's form, channel and source.
    const written = await q<Record<string, unknown>>(`SELECT p.id_number, h.year, h.declared_hours::float hours, h.details, h.channel, h.source,
        h.ce_base_id, h.external_id, h.key_review, h.org_path = p.org_path same_path, h.unit_id = p.unit_id same_unit
      FROM hour_declarations h JOIN persons p ON p.id = h.person_id WHERE h.activity_name = :a ORDER BY h.id`, { a: act });
    expect(written).toEqual(people.map((p) => ({
      id_number: p.id_number, year: 2026, hours: 8, channel: 'hr', source: '批量导入', ce_base_id: null, external_id: null, key_review: false,
      same_path: true, same_unit: true, details: expect.objectContaining({ start_date: '2026-04-01', end_date: '2026-04-02' }),
    })));

    const report = new ExcelJS.Workbook();
    await report.xlsx.load(await (await lixia.request(`/admin/files/import-jobs/${r.body.jobId}`)).arrayBuffer());
    const reasons = report.worksheets[0].getColumn(10).values.slice(2).map(String);
    expect(reasons).toEqual([
      '与第 2 行重复', '身份证号码校验位不正确', '该身份证号不是本辖区的在册专业技术人员', '姓名与身份证号不符',
      '培训学时超过单次上限（40 学时）', '开始日期格式应为 YYYY-MM-DD',
    ]);
    // Importing the same file again adds nothing: the committed rows are now duplicates.
    const again = await finished((await upload(bytes)).body.jobId!);
    expect(again.committed_rows).toBe(0);
  });

  it('refuses a file that is not a spreadsheet, and one whose header is not the template’s', async () => {
    const notXlsx = await upload(Buffer.from('<html>not a spreadsheet</html>'), '学时.xlsx');
    expect(notXlsx.body.notice?.message).toBe('请上传 Excel（xlsx）文件');
    const wrong = await finished((await upload(await sheet([['a', 'b']], ['名字', '号码']))).body.jobId!);
    expect(wrong.status).toBe('failed');
    expect(wrong.error).toContain('导入文件与模板格式不符');
  });

  it('bounds a spreadsheet before parsing it (entries, uncompressed size, a workbook inside)', async () => {
    const bytes = await sheet([['张三', '11010519491231002X', '培训', '2026-01-01', '2026-01-02', '单位', '8', '材料']]);
    await expect(inspectXlsx(bytes, { maxUncompressedBytes: 1000, maxEntries: 200 })).rejects.toThrow('解压后过大');
    await expect(inspectXlsx(bytes, { maxUncompressedBytes: 1e9, maxEntries: 3 })).rejects.toThrow('内部文件过多');
    await expect(inspectXlsx(bytes)).resolves.toBeUndefined();
    await expect(inspectXlsx(Buffer.from('PK\u0003\u0004garbage'))).rejects.toThrow('已损坏');
  });

  it('a job whose process died is marked failed, keeping its committed batches', async () => {
    const [me] = await q<{ id: number; organisation_id: number; org_path: string }>('SELECT a.id, ad.organisation_id, ad.org_path FROM accounts a JOIN admins ad ON ad.account_id = a.id LIMIT 1');
    const [job] = await q<{ id: number }>(`INSERT INTO import_jobs (kind, organisation_id, org_path, requested_by, file_name, file, status, valid_rows, committed_rows, heartbeat_at)
      VALUES ('hours', :o, :p, :a, 'x.xlsx', '\\x00', 'committing', 5000, 2000, now() - interval '1 hour') RETURNING id`, { o: me.organisation_id, p: me.org_path, a: me.id });
    expect(await failInterruptedImports(t.platform.db.owner)).toBeGreaterThanOrEqual(1);
    const [after] = await q<{ status: string; error: string }>('SELECT status, error FROM import_jobs WHERE id = :id', { id: job.id });
    expect(after.status).toBe('failed');
    expect(after.error).toContain('已提交 2000 行');
  });
});

describe('hours import: more bad input', () => {
  it('reports negative, non-numeric hours, formula and merged cells, and refuses empty files', async () => {
    const [p] = await q<{ name: string; id_number: string }>(`SELECT name, id_number FROM persons WHERE status = 'active'
      AND org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局') ORDER BY id LIMIT 1 OFFSET 5`);
    const act = `坏输入测试${Date.now()}`;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('导入');
    ws.addRow(['姓名', '身份证号', '培训项目名称', '开始日期', '结束日期', '组织单位', '培训学时', '证明材料']);
    ws.addRow([p.name, p.id_number, `${act}-1`, '2026-04-01', '2026-04-02', '本单位', '-4', '签到表']);
    ws.addRow([p.name, p.id_number, `${act}-2`, '2026-04-01', '2026-04-02', '本单位', '八', '签到表']);
    // A formula without a cached result, and a date typed as a real Excel date.
    ws.addRow([p.name, p.id_number, `${act}-3`, new Date('2026-04-01'), new Date('2026-04-02'), '本单位', { formula: 'A1*2' }, '签到表']);
    // Merged cells: the name spans two rows, so the second row has none.
    ws.addRow([p.name, p.id_number, `${act}-4`, '2026-04-01', '2026-04-02', '本单位', '4', '签到表']);
    ws.addRow(['', p.id_number, `${act}-5`, '2026-04-01', '2026-04-02', '本单位', '4', '签到表']);
    ws.mergeCells('A5:A6');
    const job = await finished((await upload(Buffer.from(await wb.xlsx.writeBuffer()))).body.jobId!);
    expect(job).toMatchObject({ status: 'succeeded', total_rows: 5, committed_rows: 1, error_rows: 4 });
    expect(await q('SELECT activity_name FROM hour_declarations WHERE activity_name LIKE :a', { a: `${act}%` })).toEqual([{ activity_name: `${act}-4` }]);

    const empty = await upload(Buffer.alloc(0), '空.xlsx');
    expect(empty.body.notice?.message).toBe('请上传 Excel（xlsx）文件');
    const noRows = await finished((await upload(Buffer.from(await new ExcelJS.Workbook().xlsx.writeBuffer()))).body.jobId!);
    expect(noRows.status).toBe('failed');
    expect(noRows.error).toBe('导入文件是空的');
  });
});
