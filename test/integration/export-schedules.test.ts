/**
 * 定时导出管理 (issue 20, items 3–4): schedules made in the panel — presets or cron with the next
 * three runs, area, year, recipients — refused with a Chinese message and nothing saved on bad
 * input; a due run happens exactly once however many processes run the periodic task; its
 * recipients get a notice in the panel and an e-mail with a link (never the file); run history
 * and 立即运行; a schedule whose report is gone pauses itself and says why; the schedules of
 * config/scheduled-exports.ts are seed data.
 */
import { QueryTypes } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { createAdminAccount } from '../helpers/accounts.js';
import { runDueSchedules } from '../../src/services/exports/schedules.js';
import { exportSchedulesTask } from '../../src/jobs/export-schedules.js';
import { startPeriodicTasks } from '../../src/jobs/periodic.js';
import { checkCron, nextRuns, formatRun } from '../../src/services/exports/cron.js';
import { scheduledExports } from '../../config/scheduled-exports.js';

const LIXIA = '370102198506200033';
const SHIZHONG = '370103198708080048';
const API = '/admin/api/resources/export_schedules';

let t: TestPlatform;
beforeAll(async () => { t = await startTestPlatform(); });
afterAll(async () => { await t.close(); });

const db = () => t.platform.db.owner;
async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  return db().query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
}
const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    if (Array.isArray(v)) v.forEach((x, i) => body.append(`${k}.${i}`, x)); else body.append(k, v);
  }
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() };
};
type Answer = { record?: { id?: number; params?: Record<string, unknown>; errors?: Record<string, { message: string }> }; notice?: { message: string; type: string } };
const create = (c: Client, fields: Record<string, string | string[]>) => c.json<Answer>(`${API}/actions/new`, form(fields));
const orgId = async (name: string) => (await q<{ id: number }>('SELECT id FROM organisations WHERE name = :name', { name }))[0].id;
const adminIdOf = async (idNumber: string) => (await q<{ id: number }>('SELECT ad.id FROM admins ad JOIN accounts a ON a.id = ad.account_id WHERE a.id_number = :n', { n: idNumber }))[0].id;

let lixia: Client;
let recipients: Array<{ adminId: number; accountId: number; idNumber: string; email: string }>;
beforeAll(async () => {
  lixia = await loggedIn(t.base, LIXIA);
  const second = await createAdminAccount(db(), '历下区人力资源和社会保障局', 'Sched@2026x');
  const [me] = await q<{ id: number; email: string }>('SELECT id, email FROM accounts WHERE id_number = :n', { n: LIXIA });
  recipients = [
    { adminId: await adminIdOf(LIXIA), accountId: me.id, idNumber: LIXIA, email: me.email },
    { adminId: await adminIdOf(second.idNumber), accountId: second.accountId, idNumber: second.idNumber, email: second.email },
  ];
});

describe('cron', () => {
  it('presets and expressions: the next runs in Asia/Shanghai; never-firing and too frequent ones refused', () => {
    const after = new Date('2026-12-02T15:00:00Z'); // Thursday 23:00 in Shandong
    expect(nextRuns('0 2 * * 1', after).map(formatRun)).toEqual(['2026-12-07 02:00（周一）', '2026-12-14 02:00（周一）', '2026-12-21 02:00（周一）']);
    expect(nextRuns('0 2 1 * *', after, 2).map((d) => d.toISOString())).toEqual(['2026-12-31T18:00:00.000Z', '2027-01-31T18:00:00.000Z']);
    expect(nextRuns('0 0 29 2 *', after, 1).map(formatRun)).toEqual(['2028-02-29 00:00（周二）']);
    expect(checkCron(' 30  3 * * 1-5 ')).toBe('30 3 * * 1-5');
    expect(checkCron('*/10 8-18 * * *')).toBe('*/10 8-18 * * *');
    expect(() => checkCron('*/5 * * * *')).toThrow('运行过于频繁');
    expect(() => checkCron('55,0 8,9 * * *')).toThrow('运行过于频繁');
    expect(() => checkCron('0 0 30 2 *')).toThrow('永远不会运行');
    expect(() => checkCron('0 3 * *')).toThrow('5 段');
    expect(() => checkCron('61 3 * * *')).toThrow('超出范围');
  });
});

describe('creating a schedule in the panel', () => {
  it('a weekly schedule of a built-in report for two recipients; the form shows the next three runs', async () => {
    const preview = await lixia.json<{ runs: string[]; admins: Array<{ id: number }> }>(`${API}/actions/previewCron?preset=weekly`);
    expect(preview.body.runs).toHaveLength(3);
    expect(preview.body.runs.every((r) => r.includes('02:00（周一）'))).toBe(true);
    expect(preview.body.admins.map((a) => a.id)).toEqual(expect.arrayContaining(recipients.map((r) => r.adminId)));
    const bad = await lixia.json<{ error?: string }>(`${API}/actions/previewCron?preset=cron&cron=${encodeURIComponent('*/2 * * * *')}`);
    expect(bad.body.error).toContain('运行过于频繁');

    const r = await create(lixia, { name: '历下名册（每周一）', report: 'person-roster', preset: 'weekly', year_param: 'current', recipients: recipients.map((x) => String(x.adminId)) });
    expect(r.body.notice?.type).toBe('success');
    const [row] = await q<{ id: number; cron: string; recipients: number[]; organisation_id: number; status: string; next_run_at: Date }>(
      'SELECT id, cron, recipients, organisation_id, status, next_run_at FROM export_schedules WHERE id = :id', { id: r.body.record!.id });
    expect(row).toMatchObject({ cron: '0 2 * * 1', status: 'active', organisation_id: await orgId('历下区人力资源和社会保障局') });
    expect([...row.recipients].sort()).toEqual(recipients.map((x) => x.adminId).sort());
    expect(new Date(row.next_run_at).getTime()).toBe(nextRuns('0 2 * * 1', new Date(), 1)[0].getTime());
  });

  it.each([
    ['a cron that fires every 5 minutes', { preset: 'cron', cron: '*/5 * * * *' }, '运行过于频繁'],
    ['a cron that never fires', { preset: 'cron', cron: '0 0 31 2 *' }, '永远不会运行'],
    ['an area outside the jurisdiction', { report: 'statistics-completion', area_id: 'SHIZHONG' }, '所选地区不在您的管辖范围内'],
    ['a forged saved report (another county\'s)', { report: '', saved_report_id: 'FOREIGN_REPORT' }, '所选报表不存在或不属于本机构'],
    ['a recipient of another organisation', { recipients: ['FOREIGN_ADMIN'] }, '收件人必须是本机构在用的管理员'],
    ['no report at all', { report: '' }, '二选一'],
  ])('refuses %s with a Chinese message, saving nothing', async (_label, over, message) => {
    const [foreignReport] = await db().query(
      `INSERT INTO saved_reports (organisation_id, org_path, name, kind, resource, params)
       SELECT id, path, '市中的报表' || floor(random() * 1e9)::text, 'list', 'persons', '{}' FROM organisations WHERE name = '市中区人力资源和社会保障局' RETURNING id`,
      { type: QueryTypes.SELECT }) as Array<{ id: number }>;
    const subs: Record<string, string> = { SHIZHONG: String(await orgId('市中区人力资源和社会保障局')), FOREIGN_REPORT: String(foreignReport.id), FOREIGN_ADMIN: String(await adminIdOf(SHIZHONG)) };
    const fields: Record<string, string | string[]> = { name: '坏的定时导出', report: 'person-roster', preset: 'weekly', year_param: 'current' };
    for (const [k, v] of Object.entries(over)) fields[k] = Array.isArray(v) ? v.map((x) => subs[x] ?? x) : subs[v] ?? v;
    const before = await q('SELECT id FROM export_schedules');
    const r = await create(lixia, fields);
    expect(r.body.notice?.type).toBe('error');
    const messages = [r.body.notice?.message, ...Object.values(r.body.record?.errors ?? {}).map((e) => e.message)].join(' ');
    expect(messages).toContain(message);
    expect(await q('SELECT id FROM export_schedules')).toHaveLength(before.length);
  });

  it('an admin without 定时导出管理 cannot create one; another county does not see 历下\'s', async () => {
    const account = await createAdminAccount(db(), '历下区人力资源和社会保障局', 'Sched@2026x');
    const plain = await loggedIn(t.base, account.idNumber, 'Sched@2026x');
    const before = await q('SELECT id FROM export_schedules');
    const r = await create(plain, { name: '无权限', report: 'person-roster', preset: 'weekly' });
    expect(r.body.notice?.type).toBe('error');
    expect(await q('SELECT id FROM export_schedules')).toHaveLength(before.length);
    const other = await loggedIn(t.base, SHIZHONG);
    const list = await other.json<{ records: Array<{ params: { name: string } }> }>(`${API}/actions/list?perPage=100`);
    expect(list.body.records.map((x) => x.params.name)).not.toContain('历下名册（每周一）');
  });
});

describe('running', () => {
  async function dueSchedule(name: string, extra: Record<string, unknown> = {}) {
    const [lx] = await q<{ id: number; path: string }>("SELECT id, path FROM organisations WHERE name = '历下区人力资源和社会保障局'");
    const [row] = await db().query(
      `INSERT INTO export_schedules (organisation_id, org_path, name, report, saved_report_id, preset, cron, year_param, recipients, next_run_at)
       VALUES (:o, :p, :name, :report, :saved, 'weekly', '0 2 * * 1', 'previous', ARRAY[:r]::int[], :due) RETURNING id`,
      { replacements: { o: lx.id, p: lx.path, name, report: 'person-roster', saved: null, r: recipients.map((x) => x.adminId), due: new Date('2026-11-30T18:00:00Z'), ...extra }, type: QueryTypes.SELECT }) as Array<{ id: number }>;
    return row.id;
  }

  it('a due run fired by two processes at once runs exactly once; both recipients are told, with a link and never the file', async () => {
    const id = await dueSchedule(`两进程${Date.now()}`);
    const now = new Date('2026-11-30T18:00:30Z');
    const sentBefore = t.sent.length;
    const [a, b] = await Promise.all([runDueSchedules(t.platform.db.sequelize, now), runDueSchedules(t.platform.db.sequelize, now)]);
    const jobs = await q<{ id: number; status: string; trigger: string; scheduled_for: Date; row_count: number; contains_full_id: boolean; params: { year: number } }>(
      'SELECT id, status, trigger, scheduled_for, row_count, contains_full_id, params FROM export_jobs WHERE schedule_id = :id', { id });
    expect(jobs).toHaveLength(1);
    expect([...a, ...b]).toEqual([jobs[0].id]);
    expect(jobs[0]).toMatchObject({ status: 'succeeded', trigger: 'schedule', contains_full_id: false, params: { year: 2025 } });
    expect(new Date(jobs[0].scheduled_for).toISOString()).toBe('2026-11-30T18:00:00.000Z');
    // Moved on to the next Monday after now.
    const [s] = await q<{ next_run_at: Date }>('SELECT next_run_at FROM export_schedules WHERE id = :id', { id });
    expect(new Date(s.next_run_at).toISOString()).toBe('2026-12-06T18:00:00.000Z');
    // Again later (a slow process): nothing more.
    expect(await runDueSchedules(t.platform.db.sequelize, now)).toEqual([]);

    const notices = await q<{ account_id: number; link: string }>('SELECT account_id, link FROM export_notices WHERE job_id = :j', { j: jobs[0].id });
    expect(notices.map((n) => n.account_id).sort()).toEqual(recipients.map((r) => r.accountId).sort());
    const mails = t.sent.slice(sentBefore).filter((m) => m.channel === 'email');
    expect(mails.map((m) => m.recipient).sort()).toEqual(recipients.map((r) => r.email).sort());
    for (const m of mails) {
      expect(m.body).toContain(`/admin/resources/export_jobs/records/${jobs[0].id}/show`);
      expect(m.body.length).toBeLessThan(500);
    }
    // The recipient sees the notice in the panel; another county's admin sees none of it.
    const second = await loggedIn(t.base, recipients[1].idNumber, 'Sched@2026x');
    const mine = await second.json<{ records: Array<{ params: { job_id: number } }> }>('/admin/api/resources/export_notices/actions/list?perPage=100');
    expect(mine.body.records.map((r) => r.params.job_id)).toContain(jobs[0].id);
    const other = await loggedIn(t.base, SHIZHONG);
    const theirs = await other.json<{ records: Array<{ params: { job_id: number } }> }>('/admin/api/resources/export_notices/actions/list?perPage=100');
    expect(theirs.body.records.map((r) => r.params.job_id)).not.toContain(jobs[0].id);
    expect((await other.request(`/admin/files/export-jobs/${jobs[0].id}`)).status).toBe(403);
    expect((await lixia.request(`/admin/files/export-jobs/${jobs[0].id}`)).status).toBe(200);
  });

  it('the periodic task in two processes makes one run per due time', async () => {
    const id = await dueSchedule(`周期任务${Date.now()}`, { due: new Date(Date.now() - 60_000) });
    const fast = { ...exportSchedulesTask, cron: '* * * * * *' };
    const schedulers = [startPeriodicTasks(t.platform.db.sequelize, [fast], () => {}), startPeriodicTasks(t.platform.db.sequelize, [fast], () => {})];
    try {
      for (let i = 0; i < 100; i++) {
        const [done] = await q<{ n: number }>("SELECT count(*)::int n FROM export_jobs WHERE schedule_id = :id AND status = 'succeeded'", { id });
        if (done.n >= 1) break;
        await new Promise((res) => setTimeout(res, 100));
      }
    } finally {
      await Promise.all(schedulers.map((s) => s.stop()));
    }
    const runs = await q<{ n: number }>('SELECT count(*)::int n FROM export_jobs WHERE schedule_id = :id GROUP BY scheduled_for', { id });
    expect(runs).toEqual([{ n: 1 }]);
  });

  it('run now from the panel, and the run history shows due, started, finished, rows, attempts', async () => {
    const [s] = await q<{ id: number }>("SELECT id FROM export_schedules WHERE name = '历下名册（每周一）'");
    const r = await lixia.json<{ jobId?: number; notice?: { type: string } }>(`${API}/records/${s.id}/runSchedule`, form({}));
    expect(r.body.notice?.type).toBe('success');
    let runs: Array<{ id: number; trigger: string; status: string; row_count: number; attempts: number; started_at: string; finished_at: string }> = [];
    for (let i = 0; i < 200; i++) {
      runs = (await lixia.json<{ runs: typeof runs }>(`${API}/records/${s.id}/runs`)).body.runs;
      if (runs[0]?.status === 'succeeded') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(runs[0]).toMatchObject({ id: r.body.jobId, trigger: 'manual', status: 'succeeded', attempts: 1 });
    expect(runs[0].row_count).toBeGreaterThan(0);
    expect(runs[0].finished_at).toBeTruthy();
    // Another county can neither run it nor read its history.
    const other = await loggedIn(t.base, SHIZHONG);
    const before = await q('SELECT id FROM export_jobs');
    const refused = await other.json<{ jobId?: number; notice?: { type: string } }>(`${API}/records/${s.id}/runSchedule`, form({}));
    expect(refused.body.jobId).toBeUndefined();
    expect(await q('SELECT id FROM export_jobs')).toHaveLength(before.length);
    expect((await other.json<{ runs?: unknown[] }>(`${API}/records/${s.id}/runs`)).body.runs).toBeUndefined();
  });

  it('a schedule whose saved report is gone pauses itself and says why', async () => {
    const [lx] = await q<{ id: number; path: string }>("SELECT id, path FROM organisations WHERE name = '历下区人力资源和社会保障局'");
    const [saved] = await db().query("INSERT INTO saved_reports (organisation_id, org_path, name, kind, resource, params) VALUES (:o, :p, :n, 'list', 'persons', '{}') RETURNING id",
      { replacements: { o: lx.id, p: lx.path, n: `将被删除${Date.now()}` }, type: QueryTypes.SELECT }) as Array<{ id: number }>;
    const id = await dueSchedule(`报表已删${Date.now()}`, { report: null, saved: saved.id });
    await db().query('DELETE FROM saved_reports WHERE id = :id', { replacements: { id: saved.id } });
    expect(await runDueSchedules(t.platform.db.sequelize, new Date('2026-11-30T18:01:00Z'))).toEqual([]);
    const [s] = await q<{ status: string; paused_reason: string }>('SELECT status, paused_reason FROM export_schedules WHERE id = :id', { id });
    expect(s).toEqual({ status: 'paused', paused_reason: '所用的保存报表已被删除' });
    expect(await q('SELECT 1 FROM export_jobs WHERE schedule_id = :id', { id })).toEqual([]);
  });
});

describe('seed', () => {
  it('the schedules of config/scheduled-exports.ts are rows of export_schedules, once each', async () => {
    const rows = await q<{ seed_key: string; cron: string; report: string }>('SELECT seed_key, cron, report FROM export_schedules WHERE seed_key IS NOT NULL ORDER BY seed_key');
    expect(rows).toEqual(scheduledExports.map((s) => ({ seed_key: s.key, cron: s.schedule, report: s.report })).sort((a, b) => a.seed_key.localeCompare(b.seed_key)));
    const jinan = await loggedIn(t.base, '370100198203150021');
    const list = await jinan.json<{ records: Array<{ params: { seed_key: string } }> }>(`${API}/actions/list?perPage=100`);
    expect(list.body.records.map((r) => r.params.seed_key)).toContain('jinan-roster-weekly');
  });
});
