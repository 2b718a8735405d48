/**
 * 导出任务: run now → background job → downloadable xlsx whose rows equal a recomputation
 * from the raw records of the jurisdiction (and nothing outside it); jobs and files of another
 * jurisdiction are invisible and refused; a scheduled run happens once however many processes
 * fire it; a failing report is recorded and retried; hostile cells are neutralised.
 */
import ExcelJS from 'exceljs';
import { QueryTypes } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { createAdminAccount } from '../helpers/accounts.js';
import { isCompleted } from '../../config/yearly-requirements.js';
import { labelOf, titleLevel } from '../../src/domain/labels.js';
import { maskIdNumber } from '../../src/domain/identifiers.js';
import { registerReport } from '../../src/services/reports/index.js';
import { runExportJob, runScheduledExport } from '../../src/services/exports/jobs.js';
import { checkSchedules, scheduleExports } from '../../src/jobs/scheduled-exports.js';
import { storeFileParts } from '../../src/services/exports/file-parts.js';
import { asPlatform, runAs } from '../../src/access/context.js';
import { loadPrincipal } from '../../src/access/principal.js';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { scheduledExports, type ScheduledExport } from '../../config/scheduled-exports.js';

const LIXIA = '370102198506200033';
const SHIZHONG = '370103198708080048';
const JINAN = '370100198203150021';
const QINGDAO = '370200198302120050';
const SHINAN = '370202198609090063';
const YEAR = 2025;
const RUN = '/admin/api/resources/export_jobs/actions/runNow';

let t: TestPlatform;
const clients = new Map<string, Client>();
const as = async (idNumber: string) => {
  if (!clients.has(idNumber)) clients.set(idNumber, await loggedIn(t.base, idNumber));
  return clients.get(idNumber)!;
};
beforeAll(async () => { t = await startTestPlatform(); });
afterAll(async () => { await t.close(); });

const db = () => t.platform.db.owner;
async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  return db().query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
}
const bureau = async (name: string) => (await q<{ id: number; path: string; region_code: string }>('SELECT id, path, region_code FROM organisations WHERE name = :name', { name }))[0];

/** A 历下 admin holding exactly these permissions (through a role of its own). */
async function clerkWith(codes: string[]): Promise<Client> {
  const lixia = await bureau('历下区人力资源和社会保障局');
  const account = await createAdminAccount(db(), '历下区人力资源和社会保障局', 'Export@2026x');
  const [[role]] = await db().query('INSERT INTO roles (organisation_id, org_path, name) VALUES (:o, :p, :n) RETURNING id',
    { replacements: { o: lixia.id, p: lixia.path, n: `导出测试${account.accountId}` } }) as unknown as [[{ id: number }]];
  for (const code of codes) await db().query('INSERT INTO role_permissions (role_id, permission_code) VALUES (:r, :c)', { replacements: { r: role.id, c: code } });
  await db().query('INSERT INTO admin_roles (admin_id, role_id) SELECT id, :r FROM admins WHERE account_id = :a', { replacements: { r: role.id, a: account.accountId } });
  return loggedIn(t.base, account.idNumber, 'Export@2026x');
}

interface Job { id: number; status: string; attempts: number; row_count: number | null; error: string | null }
async function runNow(c: Client, body: Record<string, unknown>) {
  return c.postJson(RUN, body) as Promise<{ status: number; body: { jobId?: number; notice?: { message: string } } }>;
}
async function finished(c: Client, jobId: number): Promise<Job> {
  for (let i = 0; i < 300; i++) {
    const r = await c.json<{ job: Job }>(`${RUN}?jobId=${jobId}`);
    if (r.status !== 200) throw new Error(`job ${jobId}: HTTP ${r.status}`);
    if (['succeeded', 'failed'].includes(r.body.job.status)) return r.body.job;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('export did not finish');
}
async function sheetOf(bytes: ArrayBuffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes);
  const rows: unknown[][] = [];
  wb.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}
async function download(c: Client, jobId: number) {
  const res = await c.request(`/admin/files/export-jobs/${jobId}`);
  return { status: res.status, type: res.headers.get('content-type'), bytes: await res.arrayBuffer() };
}

/** The roster recomputed from raw records: persons of the jurisdiction, approved hours capped per form and year. */
async function expectedRoster(path: string, year: number, mask: boolean) {
  const rows = await q<{ id: number; name: string; id_number: string; unit: string; region_code: string | null; title_series: string | null; title_level: string | null; title: string | null; pub: string; prof: string; req_total: string; req_pub: string; req_prof: string }>(
    `WITH per_form AS (
       -- A form's yearly cap — its rule for that year (rules are data: other files add some) — counts
       -- both subject types together, in the order declared (README).
       SELECT h.person_id, h.subject_type,
              CASE WHEN cap.v IS NULL THEN h.approved_hours
                   ELSE greatest(0, least(h.approved_hours, cap.v - (sum(h.approved_hours) OVER (PARTITION BY h.person_id, f.id ORDER BY h.id) - h.approved_hours))) END hours
         FROM hour_declarations h JOIN learning_forms f ON f.id = h.learning_form_id
         LEFT JOIN LATERAL (SELECT true found, r.cap_per_year FROM learning_form_rules r WHERE r.learning_form_id = f.id AND r.effective_year <= :year
                             ORDER BY r.effective_year DESC, r.id DESC LIMIT 1) rule ON true
         CROSS JOIN LATERAL (SELECT CASE WHEN rule.found THEN rule.cap_per_year ELSE f.cap_per_year END v) cap
        WHERE h.status = 'approved' AND h.year = :year)
     SELECT p.id, p.name, p.id_number, u.name unit, u.region_code, p.title_series, p.title_level, p.title,
            coalesce(sum(pf.hours) FILTER (WHERE pf.subject_type = 'public'), 0) pub,
            coalesce(sum(pf.hours) FILTER (WHERE pf.subject_type = 'professional'), 0) prof,
            -- The requirement as the database holds it (rules are data: year-rules-data.test.ts may add some).
            min(r.total_hours) req_total, min(r.public_hours) req_pub, min(r.professional_hours) req_prof
       FROM persons p JOIN organisations u ON u.id = p.unit_id LEFT JOIN per_form pf ON pf.person_id = p.id
       LEFT JOIN LATERAL ce_requirement(CAST(:year AS smallint), u.region_code) r ON true
      WHERE p.org_path LIKE :prefix
      GROUP BY p.id, u.name, u.region_code ORDER BY p.id`, { prefix: `${path}%`, year });
  return rows.map((r) => {
    const pub = Number(r.pub); const prof = Number(r.prof);
    return [r.name, mask ? maskIdNumber(r.id_number) : r.id_number, r.unit, r.title_series ?? '', r.title_level ? labelOf(titleLevel, r.title_level) : '',
      r.title ?? '', year, pub, prof, pub + prof, isCompleted({ total: Number(r.req_total), public: Number(r.req_pub), professional: Number(r.req_prof) }, pub, prof) ? '已完成' : '未完成']
      .map((v) => (v === '' ? undefined : v)); // exceljs reads an empty string cell back as no cell
  });
}
const HEADER = ['姓名', '身份证号', '工作单位', '职称系列', '职称级别', '专业技术职务', '年度', '公需科目学时', '专业科目学时', '总学时', '完成情况'];
const normalise = (rows: unknown[][]) => rows.map((r) => HEADER.map((_, i) => r[i] ?? undefined));

describe('run now: the roster of a jurisdiction', () => {
  it.each([
    ['历下', LIXIA, '历下区人力资源和社会保障局'],
    ['青岛', QINGDAO, '青岛市人力资源和社会保障局'],
  ])('%s: the file equals the raw records of its jurisdiction, and nothing else', async (_label, idNumber, bureauName) => {
    const c = await as(idNumber);
    const r = await runNow(c, { report: 'person-roster', year: YEAR });
    expect(r.status).toBe(200);
    const job = await finished(c, r.body.jobId!);
    expect(job).toMatchObject({ status: 'succeeded', attempts: 1, error: null });

    const file = await download(c, job.id);
    expect(file.status).toBe(200);
    expect(file.type).toContain('spreadsheetml');
    const [header, ...rows] = await sheetOf(file.bytes);
    expect(header).toEqual(HEADER);
    const b = await bureau(bureauName);
    const expected = await expectedRoster(b.path, YEAR, false);
    expect(expected.length).toBeGreaterThan(10);
    expect(job.row_count).toBe(expected.length);
    expect(normalise(rows)).toEqual(expected);
    // Every ID number in the file is a person of this jurisdiction.
    const outside = await q<{ n: number }>('SELECT count(*)::int n FROM persons WHERE id_number IN (:ids) AND org_path NOT LIKE :prefix',
      { ids: rows.map((x) => x[1]), prefix: `${b.path}%` });
    expect(outside[0].n).toBe(0);
  });

  it('an admin without 查看完整证件号 gets masked ID numbers, and cannot download a file with whole ones', async () => {
    const lixia = await bureau('历下区人力资源和社会保障局');
    const clerk = await clerkWith(['stats.exports:view', 'stats.exports:run', 'stats.persons:view', 'stats.persons:export']);

    const job = await finished(clerk, (await runNow(clerk, { report: 'person-roster', year: YEAR })).body.jobId!);
    expect(job.status).toBe('succeeded');
    const [, ...rows] = await sheetOf((await download(clerk, job.id)).bytes);
    expect(normalise(rows)).toEqual(await expectedRoster(lixia.path, YEAR, true));

    // The super admin's file holds whole ID numbers: not for the clerk.
    const superJob = await finished(await as(LIXIA), (await runNow(await as(LIXIA), { report: 'person-roster', year: YEAR })).body.jobId!);
    const refused = await download(clerk, superJob.id);
    expect(refused.status).toBe(403);
    expect(Buffer.from(refused.bytes).subarray(0, 2).toString()).not.toBe('PK');
  });

  it('refuses a report the admin may not run, an unknown report and a bad year', async () => {
    const c = await as(LIXIA);
    expect((await runNow(c, { report: 'no-such-report', year: YEAR })).body.notice?.message).toBe('报表不存在');
    expect((await runNow(c, { report: 'person-roster', year: 1900 })).body.notice?.message).toContain('年度');
    // 导出任务 rights without the roster's own permission (stats.persons:export): no roster.
    const viewer = await clerkWith(['stats.exports:view', 'stats.exports:run', 'stats.persons:view']);
    expect((await viewer.json<{ reports: unknown[] }>(RUN)).body.reports).toEqual([]);
    const refused = await runNow(viewer, { report: 'person-roster', year: YEAR });
    expect(refused.body.jobId).toBeUndefined();
    expect(refused.body.notice?.message).toBe('无权运行该报表');
    // Nor may it download a roster someone else ran.
    const lixiaJob = await finished(c, (await runNow(c, { report: 'person-roster', year: YEAR })).body.jobId!);
    expect((await download(viewer, lixiaJob.id)).status).toBe(403);
  });
});

describe('jurisdiction of jobs and files', () => {
  let lixiaJob: number;
  beforeAll(async () => {
    const c = await as(LIXIA);
    lixiaJob = (await finished(c, (await runNow(c, { report: 'person-roster', year: YEAR })).body.jobId!)).id;
  });

  it('another county neither lists, shows, polls nor downloads it', async () => {
    const shizhong = await as(SHIZHONG);
    const list = await shizhong.json<{ records: Array<{ id: string }> }>('/admin/api/resources/export_jobs/actions/list?perPage=500');
    expect(list.status).toBe(200);
    expect(list.body.records.map((r) => Number(r.id))).not.toContain(lixiaJob);
    expect((await shizhong.json(`/admin/api/resources/export_jobs/records/${lixiaJob}/show`)).status).toBe(403);
    // An action's refusal comes back as AdminJS's error notice, with no job in it.
    const poll = await shizhong.json<{ job?: unknown; notice?: { message: string } }>(`${RUN}?jobId=${lixiaJob}`);
    expect(poll.body.job).toBeUndefined();
    expect(poll.body.notice?.message).toContain('无权访问');
    const file = await download(shizhong, lixiaJob);
    expect(file.status).toBe(403);
    expect(Buffer.from(file.bytes).toString()).not.toContain('PK');
    // Nor does another city, nor a county of another city.
    expect((await download(await as(QINGDAO), lixiaJob)).status).toBe(403);
    expect((await download(await as(SHINAN), lixiaJob)).status).toBe(403);
  });

  it('a forged or unknown id is refused alike, and the refusal is audited', async () => {
    const shizhong = await as(SHIZHONG);
    for (const id of [String(lixiaJob), '99999999', '0', 'abc', `${lixiaJob}%20OR%201=1`]) expect((await download(shizhong, id as unknown as number)).status).toBe(403);
    const [audit] = await q<{ n: number }>("SELECT count(*)::int n FROM audit_log WHERE action = 'export_download' AND outcome = 'refused' AND record_id = :id", { id: String(lixiaJob) });
    expect(audit.n).toBeGreaterThan(0);
  });

  it('the city above sees and downloads it', async () => {
    const jinan = await as(JINAN);
    const list = await jinan.json<{ records: Array<{ id: string; params: Record<string, unknown> }> }>('/admin/api/resources/export_jobs/actions/list?perPage=500');
    const record = list.body.records.find((r) => Number(r.id) === lixiaJob)!;
    expect(record.params).toMatchObject({ report: 'person-roster', status: 'succeeded', trigger: 'manual', attempts: 1 });
    expect(record.params.file).toBeUndefined();
    expect((await download(jinan, lixiaJob)).status).toBe(200);
  });
});

describe('a file stored in parts (export_file_parts)', () => {
  it('a file of many parts is sent whole, in order, with its length; parts of another jurisdiction are invisible to a query as another admin', async () => {
    const c = await as(LIXIA);
    const job = await finished(c, (await runNow(c, { report: 'person-roster', year: YEAR })).body.jobId!);
    expect(job.status).toBe('succeeded');
    const whole = Buffer.from((await download(c, job.id)).bytes);
    // Stored again in parts of 1,000 bytes (a real file is 4 MiB a part): dozens of parts, and the
    // last one short — the download must join them in part order, not in the order rows come back.
    const file = path.join(os.tmpdir(), `parts-${process.pid}.xlsx`);
    await fs.writeFile(file, whole);
    const lixia = await bureau('历下区人力资源和社会保障局');
    const parts = await db().transaction((transaction) => storeFileParts(db(), { id: job.id, org_path: lixia.path }, file, transaction, 1000));
    await fs.rm(file);
    expect(parts).toBe(Math.ceil(whole.length / 1000));
    expect(parts).toBeGreaterThan(3);
    await db().query('UPDATE export_file_parts SET part = part WHERE job_id = :id AND part % 2 = 0', { replacements: { id: job.id } }); // moves even parts to the heap's end
    const res = await c.request(`/admin/files/export-jobs/${job.id}`);
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBe(whole.length);
    expect(Buffer.from(await res.arrayBuffer()).equals(whole)).toBe(true);
    // The database's own check: as 青岛's admin, a direct query finds none of 历下's parts.
    const qingdaoAccount = (await q<{ id: number }>('SELECT id FROM accounts WHERE id_number = :n', { n: QINGDAO }))[0].id;
    const qingdao = (await asPlatform('测试', () => loadPrincipal(t.platform.db.sequelize, qingdaoAccount, 'admin')))!;
    const seen = await runAs(qingdao, () => t.platform.db.sequelize.query<{ n: number }>('SELECT count(*)::int n FROM export_file_parts WHERE job_id = :id',
      { replacements: { id: job.id }, type: QueryTypes.SELECT }));
    expect(seen[0].n).toBe(0);
    // …and may not add a part to it either.
    await expect(runAs(qingdao, () => t.platform.db.sequelize.query(
      "INSERT INTO export_file_parts (job_id, part, org_path, bytes) VALUES (:id, 9999, :path, '\\x00')", { replacements: { id: job.id, path: lixia.path } }))).rejects.toThrow();
  });
});

describe('scheduled exports', () => {
  const schedule = (key: string, report = 'person-roster'): ScheduledExport => ({
    key, title: '测试定时导出', schedule: '0 3 * * *', timezone: 'Asia/Shanghai', report, jurisdiction: { regionCode: '370102' }, params: { year: YEAR },
  });

  it('a run fired by two processes at once produces exactly one export', async () => {
    const s = schedule(`test-once-${Date.now()}`);
    const due = new Date('2026-03-01T19:00:00.000Z');
    const ids = await Promise.all([runScheduledExport(t.platform.db.sequelize, s, due), runScheduledExport(t.platform.db.sequelize, s, new Date(due.getTime() + 250))]);
    expect(ids.filter((x) => x !== null)).toHaveLength(1);
    const jobs = await q<{ id: number; status: string; trigger: string; row_count: number; contains_full_id: boolean; file: Buffer }>(
      `SELECT id, status, trigger, row_count, contains_full_id, (SELECT string_agg(bytes, ''::bytea ORDER BY part) FROM export_file_parts f WHERE f.job_id = export_jobs.id) AS file FROM export_jobs WHERE schedule_key = :k`, { k: s.key });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: 'succeeded', trigger: 'schedule', contains_full_id: false });
    // Read in the jurisdiction's system principal: the whole county, ID numbers masked.
    const lixia = await bureau('历下区人力资源和社会保障局');
    const [, ...rows] = await sheetOf(new Uint8Array(jobs[0].file).buffer);
    expect(normalise(rows)).toEqual(await expectedRoster(lixia.path, YEAR, true));
    // The same run fired again later (a slow process) adds nothing.
    expect(await runScheduledExport(t.platform.db.sequelize, s, due)).toBeNull();
    expect(await q('SELECT 1 FROM export_jobs WHERE schedule_key = :k', { k: s.key })).toHaveLength(1);
  });

  it('the configured schedules are valid; a bad cron expression or an unknown report is refused at start', () => {
    expect(() => checkSchedules(scheduledExports)).not.toThrow();
    expect(() => checkSchedules([{ ...schedule('x'), schedule: '61 * * * *' }])).toThrow('cron 表达式无效');
    expect(() => checkSchedules([schedule('x', 'no-such-report')])).toThrow('报表不存在');
    expect(() => checkSchedules([schedule('x'), schedule('x')])).toThrow('标识重复');
  });

  it('node-cron fires a schedule; two schedulers (two processes) still make one export per due time', async () => {
    const s = { ...schedule(`test-cron-${Date.now()}`), schedule: '*/2 * * * * *' };
    const schedulers = [scheduleExports(t.platform.db.sequelize, [s], () => {}), scheduleExports(t.platform.db.sequelize, [s], () => {})];
    try {
      for (let i = 0; i < 60; i++) {
        const [done] = await q<{ n: number }>("SELECT count(*)::int n FROM export_jobs WHERE schedule_key = :k AND status = 'succeeded'", { k: s.key });
        if (done.n >= 1) break;
        await new Promise((res) => setTimeout(res, 100));
      }
    } finally {
      await Promise.all(schedulers.map((x) => x.stop()));
    }
    const runs = await q<{ scheduled_for: Date; n: number }>('SELECT scheduled_for, count(*)::int n FROM export_jobs WHERE schedule_key = :k GROUP BY scheduled_for', { k: s.key });
    expect(runs.length).toBeGreaterThanOrEqual(1);
    for (const r of runs) {
      expect(r.n).toBe(1);
      expect(new Date(r.scheduled_for).getUTCSeconds() % 2).toBe(0);
    }
  });

  it('run now from the panel: a schedule of the jurisdiction, not one above it', async () => {
    const jinan = await as(JINAN);
    const choices = await jinan.json<{ reports: Array<{ key: string }>; schedules: Array<{ key: string }> }>(RUN);
    expect(choices.body.reports.map((r) => r.key)).toContain('person-roster');
    expect(choices.body.schedules.map((s) => s.key)).toEqual(['jinan-roster-weekly']);
    const job = await finished(jinan, (await runNow(jinan, { schedule: 'jinan-roster-weekly' })).body.jobId!);
    expect(job.status).toBe('succeeded');
    const [row] = await q<{ schedule_key: string; trigger: string; contains_full_id: boolean }>('SELECT schedule_key, trigger, contains_full_id FROM export_jobs WHERE id = :id', { id: job.id });
    expect(row).toEqual({ schedule_key: 'jinan-roster-weekly', trigger: 'manual', contains_full_id: false });

    const lixia = await as(LIXIA);
    expect((await lixia.json<{ schedules: unknown[] }>(RUN)).body.schedules).toEqual([]);
    const before = await q('SELECT 1 FROM export_jobs');
    for (const key of ['jinan-roster-weekly', 'province-roster-monthly']) {
      const r = await runNow(lixia, { schedule: key });
      expect(r.body.jobId).toBeUndefined();
      expect(r.body.notice?.message).toBe('该定时导出不在您的管辖范围内');
    }
    expect(await q('SELECT 1 FROM export_jobs')).toHaveLength(before.length);
  });

  it('a failing report is recorded failed with its error, after bounded retries', async () => {
    let calls = 0;
    registerReport({
      key: 'test-failing', title: '总是失败的报表', permission: 'stats.persons:export', columns: [{ key: 'a', header: '甲' }],
      // eslint-disable-next-line require-yield
      async *rows() { calls++; throw new Error('模拟的数据库故障'); },
    });
    const s = schedule(`test-fail-${Date.now()}`, 'test-failing');
    const started = Date.now();
    const jobId = await (async () => {
      // A schedule whose attempts wait 20 ms, 80 ms between them.
      const { exportRetry } = await import('../../config/scheduled-exports.js');
      const saved = { ...exportRetry };
      Object.assign(exportRetry, { maxAttempts: 3, baseDelayMs: 20 });
      try { return await runScheduledExport(t.platform.db.sequelize, s, new Date()); } finally { Object.assign(exportRetry, saved); }
    })();
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(calls).toBe(3);
    const [job] = await q<{ status: string; attempts: number; error: string; parts: number; finished_at: Date | null }>(
      'SELECT status, attempts, error, (SELECT count(*)::int FROM export_file_parts f WHERE f.job_id = export_jobs.id) AS parts, finished_at FROM export_jobs WHERE id = :id', { id: jobId });
    expect(job).toMatchObject({ status: 'failed', attempts: 3, parts: 0 });
    expect(job.error).toBe('导出失败：模拟的数据库故障');
    expect(job.finished_at).not.toBeNull();
    const [audit] = await q<{ reason: string }>("SELECT reason FROM audit_log WHERE action = 'export' AND outcome = 'failed' AND record_id = :id", { id: String(jobId) });
    expect(audit.reason).toBe('导出失败：模拟的数据库故障');
  });

  it('a report that fails once succeeds on its retry', async () => {
    let calls = 0;
    registerReport({
      key: 'test-flaky', title: '偶尔失败的报表', permission: 'stats.persons:export', columns: [{ key: 'a', header: '甲' }],
      async *rows() { if (++calls === 1) throw new Error('连接被重置'); yield { a: '好' }; },
    });
    const lixia = await bureau('历下区人力资源和社会保障局');
    const [[row]] = await db().query(`INSERT INTO export_jobs (report, organisation_id, org_path, trigger, schedule_key, scheduled_for)
      VALUES ('test-flaky', :o, :p, 'schedule', 'test-flaky', now()) RETURNING id`, { replacements: { o: lixia.id, p: lixia.path } }) as unknown as [[{ id: number }]];
    await runExportJob(t.platform.db.sequelize, row.id, { maxAttempts: 3, baseDelayMs: 10 });
    const [job] = await q<{ status: string; attempts: number; error: string | null; row_count: number }>('SELECT status, attempts, error, row_count FROM export_jobs WHERE id = :id', { id: row.id });
    expect(job).toEqual({ status: 'succeeded', attempts: 2, error: null, row_count: 1 });
  });
});

describe('neutralisation in the files the platform writes', () => {
  const HOSTILE = ['=1+1', '+1', '-1', '@SUM(A1)', '\t=cmd', '\r=cmd'];

  it('an export: every hostile cell is text with a quote in front', async () => {
    registerReport({
      key: 'test-hostile', title: '注入测试', permission: 'stats.persons:export', columns: [{ key: 'v', header: '值' }],
      async *rows() { for (const v of HOSTILE) yield { v }; },
    });
    const c = await as(LIXIA);
    const job = await finished(c, (await runNow(c, { report: 'test-hostile', year: YEAR })).body.jobId!);
    const [header, ...rows] = await sheetOf((await download(c, job.id)).bytes);
    expect(header).toEqual(['值']);
    expect(rows.map((r) => r[0])).toEqual(HOSTILE.map((v) => `'${v}`.replace(/\r/g, '\n')));
  });

  it('the import’s report of bad rows: uploaded cells come back neutralised', async () => {
    const c = await as(LIXIA);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('导入');
    ws.addRow(['姓名', '身份证号', '培训项目名称', '开始日期', '结束日期', '组织单位', '培训学时', '证明材料']);
    ws.addRow(['=HYPERLINK("http://evil","点我")', '370102199001011013', '@培训', '2026-04-01', '2026-04-02', '+单位', '-4', '签到表']);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await wb.xlsx.writeBuffer())]), '导入.xlsx');
    const IMPORT = '/admin/api/resources/hour_declarations/actions/importHours';
    const { body } = await c.json<{ jobId: number }>(IMPORT, { method: 'POST', body: form });
    for (let i = 0; i < 200; i++) {
      const r = await c.json<{ job: { status: string } }>(`${IMPORT}?jobId=${body.jobId}`);
      if (['succeeded', 'failed'].includes(r.body.job.status)) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const [, bad] = await sheetOf(await (await c.request(`/admin/files/import-jobs/${body.jobId}`)).arrayBuffer());
    expect(bad.slice(1, 8)).toEqual(["'=HYPERLINK(\"http://evil\",\"点我\")", '370102199001011013', "'@培训", '2026-04-01', '2026-04-02', "'+单位", "'-4"]);
  });
});
