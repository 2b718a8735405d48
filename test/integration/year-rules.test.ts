/**
 * Issue 18, items 6 and 7, through the HTTP API: hours count in the year of the date the learning
 * form names (the start of the activity as seeded: a patent by its application, not its grant),
 * in declarations and imports; conversions use both fields they ask for (research level × rank,
 * papers to the first three authors, patents by inventor rank).
 */
import ExcelJS from 'exceljs';
import { QueryTypes } from 'sequelize';
import { declarationForm, pngOf } from '../helpers/evidence.js';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import type { LearningFormField } from '../../config/learning-forms.js';

let t: TestPlatform;
let lixia: Client;
let province: Client;
beforeAll(async () => {
  t = await startTestPlatform();
  lixia = await loggedIn(t.base, admin('历下区人力资源和社会保障局'));
  province = await loggedIn(t.base, admin('山东省人力资源和社会保障厅'));
});
afterAll(async () => { await t.close(); });

function admin(org: string) { return DEMO_ACCOUNTS.find((a) => a.organisationName === org && a.isSuper)!.idNumber; }
async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  return t.platform.db.owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
}
type Reply = { notice?: { message: string; type: string }; errors?: Record<string, string>; preview?: { hours: number; year: number } };
const postJson = (c: Client, path: string, data: Record<string, unknown> = {}) => c.json<Reply>(path, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data),
});
/** A declaration that saves carries its proof, as the panel sends it (issue 17: the proof is a real upload). */
const post = (c: Client, path: string, data: Record<string, unknown> = {}) => (path.endsWith('/declareHours') && !data.dryRun
  ? c.json<Awaited<ReturnType<typeof postJson>>['body']>(path, { method: 'POST', body: declarationForm(data, { name: '结业证书.png', bytes: pngOf() }) })
  : postJson(c, path, data));
const DECLARE = '/admin/api/resources/hour_declarations/actions/declareHours';
const formId = async (code: string) => (await q<{ id: number }>('SELECT id FROM learning_forms WHERE code = :code', { code }))[0].id;
let n = 0;
const unique = (s: string) => `${s}${Date.now()}-${++n}`;
/** A person of 历下 whose yearly caps of these forms are untouched (no such record at all; a declaring test takes its person out). */
async function lixiaPerson() {
  const [p] = await q<{ id: number; name: string; id_number: string }>(`SELECT p.id, p.name, p.id_number FROM persons p WHERE p.status = 'active'
    AND p.org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局')
    AND NOT EXISTS (SELECT 1 FROM hour_declarations h JOIN learning_forms f ON f.id = h.learning_form_id
                     WHERE h.person_id = p.id AND f.code IN ('patent', 'paper', 'research', 'degree'))
    ORDER BY p.id DESC LIMIT 1`);
  return p;
}
const declare = async (code: string, values: Record<string, unknown>, personId: number, dryRun = true) =>
  post(lixia, DECLARE, { subjectType: 'professional', learningFormId: await formId(code), values, personIds: [personId], dryRun });

describe('the year the hours count in (item 6)', () => {
  it('a patent applied for on 2023-05-01 and granted on 2025-03-10 counts in 2023', async () => {
    const p = await lixiaPerson();
    const values = { activity_name: unique('一种测试装置'), start_date: '2023-05-01', end_date: '2025-03-10', organiser: '测试单位',
      patent_number: 'ZL202310000001.1', inventor_rank: '第一发明人', evidence: '专利证书' };
    expect((await declare('patent', values, p.id)).body.preview).toMatchObject({ hours: 48, year: 2023 });
    expect((await declare('patent', values, p.id, false)).body.notice?.type).toBe('success');
    const [decl] = await q<{ id: number; year: number }>('SELECT id, year FROM hour_declarations WHERE activity_name = :a', { a: values.activity_name });
    expect(decl.year).toBe(2023);
    const hoursIn = async (year: number) => (await q<{ h: string }>('SELECT professional_hours h FROM person_year_hours WHERE person_id = :p AND year = :year',
      { p: p.id, year }))[0]?.h ?? null;
    const grantYear = await hoursIn(2025);
    expect(await hoursIn(2023)).toBeNull();
    await post(lixia, `/admin/api/resources/hour_reviews/records/${decl.id}/approve`);
    expect(await hoursIn(2023)).toBe('48.0');
    expect(await hoursIn(2025)).toBe(grantYear);
  });

  it('papers count by submission, degrees by enrolment, research by approval', async () => {
    const p = await lixiaPerson();
    const paper = await declare('paper', { activity_name: unique('论文'), start_date: '2024-11-20', end_date: '2025-04-01', organiser: '测试学报',
      publication_level: '中文核心期刊论文', author_rank: '第一作者（独著）', evidence: '目录页' }, p.id);
    expect(paper.body.preview).toMatchObject({ year: 2024 });
    const degree = await declare('degree', { activity_name: unique('在职硕士'), start_date: '2024-09-01', end_date: '2025-06-30', organiser: '山东大学',
      major: '工程管理', degree_level: '硕士研究生', courses: '2', evidence: '成绩单' }, p.id);
    expect(degree.body.preview).toMatchObject({ hours: 30, year: 2024 });
    const research = await declare('research', { activity_name: unique('课题'), start_date: '2025-03-01', end_date: '2026-06-30', organiser: '山东省科学技术厅',
      project_level: '省部级', rank: '第二位', evidence: '立项通知书' }, p.id);
    expect(research.body.preview).toMatchObject({ hours: 48, year: 2025 });
  });

  it('a deciding date before 2000 or after today is refused with a message saying it decides the year', async () => {
    const p = await lixiaPerson();
    const r = await declare('patent', { activity_name: unique('旧专利'), start_date: '1998-05-01', end_date: '2001-03-10', organiser: '测试单位',
      patent_number: 'ZL199810000001.1', inventor_rank: '第一发明人', evidence: '专利证书' }, p.id);
    expect(r.body.errors?.start_date).toBe('申请日期决定学时的认定年度，应在2000年1月1日至今天之间');
  });

  it('an import puts the hours in the year of the date the form names — and follows the catalog when it names another', async () => {
    const p = await lixiaPerson();
    const [onJob] = await q<{ id: number; fields: LearningFormField[] }>("SELECT id, fields FROM learning_forms WHERE code = 'on_job'");
    const importRows = async (activity: string) => {
      const template = new ExcelJS.Workbook();
      await template.xlsx.load(await (await lixia.request('/admin/files/templates/hours')).arrayBuffer());
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('导入');
      ws.addRow((template.worksheets[0].getRow(1).values as string[]).slice(1));
      ws.addRow([p.name, p.id_number, activity, '2025-12-29', '2026-01-02', '本单位', '8', '签到表']);
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(await wb.xlsx.writeBuffer())]), '导入.xlsx');
      const up = await lixia.json<{ jobId: number }>('/admin/api/resources/hour_declarations/actions/importHours', { method: 'POST', body: form });
      for (;;) {
        const r = await lixia.json<{ job: { status: string; committed_rows: number } }>(`/admin/api/resources/hour_declarations/actions/importHours?jobId=${up.body.jobId}`);
        if (['succeeded', 'failed'].includes(r.body.job.status)) return r.body.job;
        await new Promise((res) => setTimeout(res, 100));
      }
    };
    const byStart = unique('跨年岗位培训');
    expect(await importRows(byStart)).toMatchObject({ status: 'succeeded', committed_rows: 1 });
    expect(await q('SELECT year FROM hour_declarations WHERE activity_name = :a', { a: byStart })).toEqual([{ year: 2025 }]);

    const edit = (fields: LearningFormField[]) => province.json<{ record?: { errors: Record<string, { message: string }> } }>(`/admin/api/resources/learning_forms/records/${onJob.id}/edit`,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ fields_json: JSON.stringify(fields) }).toString() });
    const none = await edit(onJob.fields.map(({ decidesYear: _d, ...f }) => f));
    expect(none.body.record?.errors.fields_json.message).toMatch(/decidesYear/);
    await edit(onJob.fields.map((f) => (f.type === 'date' ? { ...f, decidesYear: f.key === 'end_date' } : f)));
    try {
      const byEnd = unique('跨年岗位培训');
      expect(await importRows(byEnd)).toMatchObject({ status: 'succeeded', committed_rows: 1 });
      expect(await q('SELECT year FROM hour_declarations WHERE activity_name = :a', { a: byEnd })).toEqual([{ year: 2026 }]);
    } finally {
      await edit(onJob.fields);
    }
    expect((await q<{ fields: LearningFormField[] }>('SELECT fields FROM learning_forms WHERE id = :id', { id: onJob.id }))[0].fields).toEqual(onJob.fields);
  });
});

describe('conversions that use both fields they ask for (item 7)', () => {
  it('research by level and rank', async () => {
    const p = await lixiaPerson();
    const hours = async (project_level: string, rank: string) => (await declare('research', { activity_name: unique('课题'), start_date: '2025-03-01',
      end_date: '2026-06-30', organiser: '立项部门', project_level, rank, evidence: '立项通知书' }, p.id)).body.preview?.hours;
    expect([await hours('国家级', '主持人（第一位）'), await hours('省部级', '主持人（第一位）'), await hours('其他', '主持人（第一位）')]).toEqual([64, 56, 24]);
    expect([await hours('国家级', '第五位'), await hours('省部级', '第三位')]).toEqual([32, 40]);
    const sixth = await declare('research', { activity_name: unique('课题'), start_date: '2025-03-01', end_date: '2026-06-30', organiser: '立项部门',
      project_level: '省部级', rank: '第四位', evidence: '立项通知书' }, p.id);
    expect(sixth.body.notice?.message).toBe('按课题研究的折算规则，「课题级别：省部级，本人排名：第四位」不计学时');
  });

  it('papers count for the first three authors; a later author is refused with the reason', async () => {
    const p = await lixiaPerson();
    const hours = async (author_rank: string) => declare('paper', { activity_name: unique('论文'), start_date: '2025-01-10', end_date: '2025-06-01',
      organiser: '测试学报', publication_level: 'SCI/SSCI/EI收录论文', author_rank, evidence: '目录页' }, p.id);
    expect((await hours('第一作者（独著）')).body.preview?.hours).toBe(30);
    expect((await hours('第三作者')).body.preview?.hours).toBe(15);
    expect((await hours('第四作者及以后')).body.notice?.message).toBe('按论文著作的折算规则，「刊物（著作）级别：SCI/SSCI/EI收录论文，作者排名：第四作者及以后」不计学时');
    expect((await hours('20')).body.errors?.author_rank).toBe('请选择作者排名');
  });

  it('patents by inventor rank', async () => {
    const p = await lixiaPerson();
    const hours = async (inventor_rank: string) => (await declare('patent', { activity_name: unique('专利'), start_date: '2025-01-10', end_date: '2025-10-01',
      organiser: '测试单位', patent_number: 'ZL202510000001.1', inventor_rank, evidence: '专利证书' }, p.id)).body.preview?.hours;
    expect([await hours('第一发明人'), await hours('第二发明人'), await hours('第三发明人')]).toEqual([48, 42, 36]);
  });

  it('the catalog shows each seeded conversion as unconfirmed, with its source', async () => {
    const r = await province.json<{ records: Array<{ params: Record<string, unknown> }> }>('/admin/api/resources/learning_forms/actions/list?perPage=50');
    const research = r.body.records.find((x) => x.params.code === 'research')!;
    expect(research.params['conversion.confirmed']).toBe(false);
    expect(String(research.params['conversion.source'])).toContain('国家级课题主课题组前5名每年64/56/48/40/32学时');
  });
});
