/**
 * 培训计划申报 → 培训计划审核 (4.1.5): a CE base files a work summary with an attachment; the
 * file's type is judged by its content; the superior reviews it and downloads the file, which
 * nobody outside that jurisdiction can.
 */
import { QueryTypes } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { createAdminAccount } from '../helpers/accounts.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';

let t: TestPlatform;
let base: { id: number; name: string; path: string };
let ce: Client;
beforeAll(async () => {
  t = await startTestPlatform();
  // A CE base of 济南 and its super admin: the demo account where the base has one (one super admin
  // per organisation), else an account of this file's own.
  [base] = await t.platform.db.owner.query<{ id: number; name: string; path: string }>(
    "SELECT id, name, path FROM organisations WHERE kind = 'ce_base' AND status = 'active' AND path LIKE (SELECT path || '%' FROM organisations WHERE name = '济南市人力资源和社会保障局') ORDER BY id LIMIT 1",
    { type: QueryTypes.SELECT });
  const demo = DEMO_ACCOUNTS.find((x) => x.organisationName === base.name && x.isSuper);
  if (demo) ce = await loggedIn(t.base, demo.idNumber);
  else {
    const a = await createAdminAccount(t.platform.db.owner, base.name, 'Base#Pass2026', { isSuper: true });
    ce = await loggedIn(t.base, a.idNumber, 'Base#Pass2026');
  }
});
afterAll(async () => { await t.close(); });

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
function form(fields: Record<string, string>, file?: { name: string; bytes: Buffer }) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  if (file) f.append('attachment', new Blob([new Uint8Array(file.bytes)]), file.name);
  return f;
}
const create = (fields: Record<string, string>, file?: { name: string; bytes: Buffer }) =>
  ce.json<{ record: { id: number; errors: Record<string, { message: string }> }; notice?: { type: string } }>(
    '/admin/api/resources/plan_filings/actions/new', { method: 'POST', body: form(fields, file) });

describe('plan filing', () => {
  it('a work summary needs an attachment, and a file is judged by its content, not its name', async () => {
    const none = await create({ kind: 'work_summary', year: '2026', title: '2026年度继续教育工作总结' });
    expect(none.body.record.errors.attachment.message).toBe('年度工作总结须上传附件');
    const fake = await create({ kind: 'work_summary', year: '2026', title: '2026年度继续教育工作总结' }, { name: '总结.pdf', bytes: Buffer.from('<script>alert(1)</script>') });
    expect(fake.body.record.errors.attachment.message).toContain('文件类型不受支持');
  });

  it('a plan declaration checks its dates and hours', async () => {
    const r = await create({ kind: 'plan_declaration', year: '2026', title: '新技术培训班', subject_type: 'professional', start_date: '2026-05-10', end_date: '2026-05-01', hours: '0' });
    expect(r.body.record.errors.end_date.message).toBe('结束日期不能早于开始日期');
    expect(r.body.record.errors.hours.message).toBe('学时应大于0且不超过1000');
  });

  it('the superior reviews it and downloads the file; another city cannot', async () => {
    const r = await create({ kind: 'work_summary', year: '2026', title: '2026年度继续教育工作总结', summary: '全年培训 3200 人次' }, { name: '工作总结.pdf', bytes: PDF });
    expect(r.body.notice?.type).toBe('success');
    const id = r.body.record.id;
    const jinan = await loggedIn(t.base, DEMO_ACCOUNTS.find((a) => a.organisationName === '济南市人力资源和社会保障局' && a.isSuper)!.idNumber);
    const file = await jinan.request(`/admin/files/work_summary_reviews/${id}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);
    const qingdao = await loggedIn(t.base, DEMO_ACCOUNTS.find((a) => a.organisationName === '青岛市人力资源和社会保障局' && a.isSuper)!.idNumber);
    expect((await qingdao.request(`/admin/files/work_summary_reviews/${id}`)).status).toBe(404);
    const approved = await jinan.json<{ notice?: { type: string } }>(`/admin/api/resources/work_summary_reviews/records/${id}/approve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(approved.body.notice?.type).toBe('success');
    const mine = await ce.json<{ record: { params: { status: string } } }>(`/admin/api/resources/plan_filings/records/${id}/show`);
    expect(mine.body.record.params.status).toBe('approved');
  });
});
