/**
 * 定时导出管理 (issue 20, items 3 and 4): schedules made in the panel, as rows of
 * export_schedules, run by the periodic task registry (src/jobs/periodic.ts) in whichever
 * process runs periodic tasks.
 *
 * - checking (create/edit): a preset (每日/每周一/每月1日) or a cron expression that fires, at most
 *   every 10 minutes; a built-in report the admin may run, or a saved report of its own
 *   organisation; an area inside its jurisdiction; recipients among its organisation's admins.
 *   Anything else is refused with a Chinese message and nothing is saved;
 * - running: every minute the task looks for schedules due. A run is one export_jobs row keyed
 *   by (schedule_key 'db:<id>', due time), UNIQUE, inserted in the same transaction that moves
 *   the schedule's next_run_at on: of several processes exactly one inserts it (the others'
 *   INSERT … ON CONFLICT DO NOTHING returns nothing) and runs it;
 * - a run reads as the organisation's system principal (its office, ID numbers masked), only
 *   while the organisation holds 定时导出管理 (an active admin holding it: its super admin, or a
 *   role); a schedule whose report or rights are gone pauses itself and says why;
 * - when a run's file is ready its recipients get a notice in the panel (export_notices) and an
 *   e-mail through the notifier with a link to the job — never the file.
 */
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { config } from '../../../config/index.js';
import { scheduledExports } from '../../../config/scheduled-exports.js';
import { asPlatform } from '../../access/context.js';
import { holds } from '../../access/policy.js';
import type { Principal } from '../../access/principal.js';
import { scopeOf } from '../../access/scope.js';
import { AccessDenied, PlatformError, ValidationFailed } from '../../domain/errors.js';
import { audit } from '../audit.js';
import type { Notifier } from '../notifier.js';
import { reportByKey } from '../reports/index.js';
import { yearIn } from '../reports/params.js';
import { checkCron, formatRun, nextRuns, PRESETS, type Preset } from './cron.js';
import { jurisdictionOf, runExportJob, systemPrincipal } from './jobs.js';
import { mayExportList } from './list-access.js';
import { savedReportFor, schedulableReport, type SavedReportRow } from './saved-reports.js';
import { SCHEDULE_VIEW } from '../../../resources/export-schedules/policy.js';

export const SCHEDULE_HELD = SCHEDULE_VIEW;
export const scheduleKeyOf = (id: number) => `db:${id}`;
const LIST_EXPORT = 'list-export';
const MAX_RECIPIENTS = 20;

let notifier: Notifier | null = null;
/** The notifier that e-mails recipients (bound by the app at start; the outbox by default). */
export function bindExportNotifier(n: Notifier): void { notifier = n; }

export interface ScheduleRow {
  id: number; organisation_id: number; org_path: string; created_by: number | null; name: string; report: string | null;
  saved_report_id: number | null; area_id: number | null; preset: Preset; cron: string; year_param: 'current' | 'previous';
  recipients: number[]; status: 'active' | 'paused'; paused_reason: string | null; next_run_at: Date | null;
}

const refuse = (field: string, message: string): never => { throw new ValidationFailed({ [field]: { message } }, message); };

// ── checking what an admin saves ────────────────────────────────────────────

/** The cron expression of a preset, or the admin's own, checked. */
export function cronOf(preset: unknown, cron: unknown): { preset: Preset; cron: string } {
  // No preset chosen: the admin's own expression if given, else the form's default (每周一).
  const p = (typeof preset === 'string' && preset ? preset : typeof cron === 'string' && cron.trim() ? 'cron' : 'weekly') as Preset;
  if (p !== 'cron' && !(p in PRESETS)) refuse('preset', '运行频率无效');
  if (p !== 'cron') return { preset: p, cron: PRESETS[p as keyof typeof PRESETS].cron };
  if (typeof cron !== 'string' || !cron.trim()) refuse('cron', '请填写 cron 表达式（分 时 日 月 周）');
  try {
    return { preset: 'cron', cron: checkCron(cron as string) };
  } catch (e) {
    if (e instanceof ValidationFailed) refuse('cron', e.message);
    throw e;
  }
}

/** 下三次运行时间: what the form shows before saving. */
export function previewRuns(preset: unknown, cron: unknown, now = new Date()): { cron: string; runs: string[] } {
  const c = cronOf(preset, cron);
  return { cron: c.cron, runs: nextRuns(c.cron, now, 3).map(formatRun) };
}

/** The area: the admin's own organisation or one inside its jurisdiction (the organisations list's scope). */
export async function checkArea(sequelize: Sequelize, p: Principal, areaId: unknown, transaction?: Transaction): Promise<number> {
  if (areaId === undefined || areaId === null || areaId === '' || Number(areaId) === p.organisationId) return p.organisationId;
  const id = Number(areaId);
  if (!Number.isSafeInteger(id) || id <= 0) refuse('area_id', '所选地区无效');
  let found = false;
  try {
    found = !!await sequelize.model('Organisation').findOne({ where: { id, ...scopeOf(p, 'organisations', 'list').where as object }, attributes: ['id'], raw: true, transaction });
  } catch (e) { if (!(e instanceof AccessDenied)) throw e; }
  if (!found) refuse('area_id', '所选地区不在您的管辖范围内');
  return id;
}

async function checkRecipients(sequelize: Sequelize, p: Principal, value: unknown, transaction?: Transaction): Promise<number[]> {
  const raw = Array.isArray(value) ? value : value === undefined || value === null || value === '' ? [] : [value];
  const ids = [...new Set(raw.map((x) => Number(x)))];
  if (ids.some((x) => !Number.isSafeInteger(x) || x <= 0)) refuse('recipients', '收件人无效');
  if (ids.length > MAX_RECIPIENTS) refuse('recipients', `收件人不能超过 ${MAX_RECIPIENTS} 位`);
  if (!ids.length) return [];
  const rows = await sequelize.query<{ id: number }>(
    `SELECT ad.id FROM admins ad JOIN accounts a ON a.id = ad.account_id
      WHERE ad.id IN (:ids) AND ad.organisation_id = :org AND a.status = 'active'`,
    { replacements: { ids, org: p.organisationId }, type: QueryTypes.SELECT, transaction });
  if (rows.length !== ids.length) refuse('recipients', '收件人必须是本机构在用的管理员');
  return ids.sort((a, b) => a - b);
}

const REPORTS_WITH_AREA = new Set(['statistics-overview', 'statistics-completion', 'statistics-series']);

/**
 * A schedule's fields as an admin sends them (new or edit), checked in the admin's principal:
 * returns the values to save, server-side fields included. `current` is the row being edited.
 */
export async function checkSchedule(sequelize: Sequelize, p: Principal, v: Record<string, unknown>, transaction?: Transaction, current?: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (!['province_hr', 'city_hr', 'county_hr'].includes(p.kind)) throw new AccessDenied('仅人社部门可以设置定时导出');
  const merged = { ...current, ...v };
  // An edit that changes the expression without naming a preset means a custom expression
  // (the panel's form always sends the preset, so switching to a preset wins over a stale one).
  const presetGiven = v.preset !== undefined && v.preset !== null && v.preset !== '';
  if (current && !presetGiven && v.cron !== undefined && v.cron !== current.cron) merged.preset = 'cron';
  const name = typeof merged.name === 'string' ? merged.name.trim() : '';
  if (!name) refuse('name', '请填写名称');
  if ([...name].length > 60) refuse('name', '名称不能超过 60 个字');
  const hasReport = merged.report !== undefined && merged.report !== null && merged.report !== '';
  const hasSaved = merged.saved_report_id !== undefined && merged.saved_report_id !== null && merged.saved_report_id !== '';
  if (hasReport === hasSaved) refuse('report', '请选择一个内置报表或一个保存的报表（二选一）');
  let saved: SavedReportRow | null = null;
  let reportKey: string;
  if (hasSaved) {
    saved = await savedReportFor(sequelize, p, merged.saved_report_id, transaction);
    reportKey = saved.kind === 'list' ? LIST_EXPORT : saved.report!;
    if (saved.kind === 'list' && !mayExportList(p, saved.resource!)) refuse('saved_report_id', '无权导出该报表对应的列表');
    if (saved.kind === 'report') schedulableReport(p, saved.report);
  } else {
    reportKey = schedulableReport(p, merged.report).key;
  }
  const area = await checkArea(sequelize, p, merged.area_id, transaction);
  if (area !== p.organisationId && !REPORTS_WITH_AREA.has(reportKey)) refuse('area_id', '该报表按本机构的管辖范围导出，不能另选地区');
  const { preset, cron } = cronOf(merged.preset, merged.cron);
  const year = merged.year_param ?? 'current';
  if (year !== 'current' && year !== 'previous') refuse('year_param', '年度参数应为 本年度 或 上一年度');
  const recipients = await checkRecipients(sequelize, p, merged.recipients, transaction);
  const next = nextRuns(cron, new Date(), 1)[0];
  return {
    name, report: hasSaved ? null : reportKey, saved_report_id: saved?.id ?? null, area_id: area, preset, cron, year_param: year, recipients,
    next_run_at: next, organisation_id: current?.organisation_id ?? p.organisationId, org_path: current?.org_path ?? p.orgPath,
    ...(current ? {} : { created_by: p.accountId, status: 'active' }),
  };
}

// ── what a run is ───────────────────────────────────────────────────────────

interface RunSpec { report: string; params: Record<string, unknown>; principal: Principal }

/** Whether the organisation holds 定时导出管理: an active admin of it holds the permission. */
async function organisationHolds(sequelize: Sequelize, organisationId: number, transaction?: Transaction): Promise<boolean> {
  const [row] = await sequelize.query<{ ok: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM admins ad JOIN accounts a ON a.id = ad.account_id
        WHERE ad.organisation_id = :org AND a.status = 'active'
          AND (ad.is_super OR EXISTS (SELECT 1 FROM admin_roles ar JOIN role_permissions rp ON rp.role_id = ar.role_id
                                       WHERE ar.admin_id = ad.id AND rp.permission_code = :code))) ok`,
    { replacements: { org: organisationId, code: SCHEDULE_HELD }, type: QueryTypes.SELECT, transaction });
  return !!row?.ok;
}

/** The export a run of the schedule makes at `due`, or the reason it cannot run any more (a PlatformError). */
export async function runSpecOf(sequelize: Sequelize, s: ScheduleRow, due: Date, transaction?: Transaction): Promise<RunSpec> {
  let principal: Principal;
  try {
    principal = await systemPrincipal(sequelize, s.organisation_id);
  } catch (e) {
    if (e instanceof PlatformError) throw new PlatformError('所属机构不存在或已停用');
    throw e;
  }
  if (!holds(principal, SCHEDULE_HELD) || !await organisationHolds(sequelize, s.organisation_id, transaction)) throw new PlatformError('所属机构已不再拥有「定时导出管理」权限');
  const year = s.year_param === 'previous' ? yearIn(due) - 1 : yearIn(due);
  if (s.saved_report_id === null && !s.report) throw new PlatformError('所用的保存报表已被删除');
  if (s.saved_report_id !== null) {
    const [saved] = await sequelize.query<SavedReportRow>('SELECT * FROM saved_reports WHERE id = :id AND organisation_id = :org',
      { replacements: { id: s.saved_report_id, org: s.organisation_id }, type: QueryTypes.SELECT, transaction });
    if (!saved) throw new PlatformError('所用的保存报表已被删除');
    if (saved.kind === 'list') {
      if (!mayExportList(principal, saved.resource!)) throw new PlatformError('所属机构已无权导出该列表');
      return { report: LIST_EXPORT, params: { resource: saved.resource, query: (saved.params as { query?: unknown }).query ?? {} }, principal };
    }
    return reportRun(sequelize, s, saved.report!, { ...saved.params, year }, principal, transaction);
  }
  return reportRun(sequelize, s, s.report!, { year }, principal, transaction);
}

async function reportRun(sequelize: Sequelize, s: ScheduleRow, key: string, params: Record<string, unknown>, principal: Principal, transaction?: Transaction): Promise<RunSpec> {
  const def = reportByKey(key);
  if (!def) throw new PlatformError(`报表已不存在：${key}`);
  if (!holds(principal, def.permission)) throw new PlatformError('所属机构已无权运行该报表');
  const area = s.area_id ?? s.organisation_id;
  if (area !== s.organisation_id) {
    const [inside] = await sequelize.query<{ ok: boolean }>('SELECT (path LIKE :prefix AND status = \'active\') ok FROM organisations WHERE id = :id',
      { replacements: { id: area, prefix: `${s.org_path}%` }, type: QueryTypes.SELECT, transaction });
    if (!inside?.ok) throw new PlatformError('所选地区已不在本机构的管辖范围内');
  }
  return { report: def.key, params: { ...params, ...(REPORTS_WITH_AREA.has(def.key) ? { area } : {}) }, principal };
}

/** Pauses a schedule with its reason (once: a paused schedule stays as it is). */
export async function pauseSchedule(sequelize: Sequelize, id: number, reason: string, actor: Principal | null, transaction?: Transaction): Promise<boolean> {
  const [rows] = await sequelize.query(
    `UPDATE export_schedules SET status = 'paused', paused_reason = :reason, updated_at = now() WHERE id = :id AND status = 'active' RETURNING org_path`,
    { replacements: { id, reason }, transaction }) as unknown as [Array<{ org_path: string }>];
  if (!rows.length) return false;
  await audit({ actor, orgPath: rows[0].org_path, action: 'pause', resource: 'export_schedules', recordId: id, reason }, transaction);
  return true;
}

// ── running ────────────────────────────────────────────────────────────────

const SCHEDULE_COLUMNS = 'id, organisation_id, org_path, created_by, name, report, saved_report_id, area_id, preset, cron, year_param, recipients, status, paused_reason, next_run_at';

/**
 * One pass of the periodic task at `now`: every active schedule due (next_run_at ≤ now) gets its
 * run — exactly once per due time whichever processes call this — and moves on to its next
 * time after `now` (runs missed while no process ran are not made up: the latest one runs).
 * Returns the ids of the jobs this call inserted (and ran, unless `run` is false).
 */
export function runDueSchedules(sequelize: Sequelize, now = new Date(), o: { run?: boolean; log?: (s: string) => void } = {}): Promise<number[]> {
  return asPlatform('定时导出', async () => {
    const due = await sequelize.query<ScheduleRow>(
      `SELECT ${SCHEDULE_COLUMNS} FROM export_schedules WHERE status = 'active' AND next_run_at <= :now ORDER BY next_run_at, id LIMIT 200`,
      { replacements: { now }, type: QueryTypes.SELECT });
    const jobs: number[] = [];
    for (const s of due) {
      const jobId = await claimRun(sequelize, s, now, o.log);
      if (jobId !== null) jobs.push(jobId);
    }
    if (o.run !== false) await Promise.all(jobs.map((id) => runAndNotify(sequelize, id)));
    return jobs;
  });
}

async function claimRun(sequelize: Sequelize, s: ScheduleRow, now: Date, log?: (s: string) => void): Promise<number | null> {
  const dueAt = new Date(Math.floor(new Date(s.next_run_at!).getTime() / 60_000) * 60_000);
  const next = nextRuns(s.cron, now, 1)[0] ?? null;
  let spec: RunSpec;
  try {
    spec = await runSpecOf(sequelize, s, dueAt);
  } catch (e) {
    if (!(e instanceof PlatformError)) throw e;
    if (await pauseSchedule(sequelize, s.id, e.message, null)) log?.(`定时导出「${s.name}」已暂停：${e.message}`);
    return null;
  }
  return sequelize.transaction(async (transaction) => {
    const [rows] = await sequelize.query(
      `INSERT INTO export_jobs (report, params, organisation_id, org_path, trigger, schedule_key, scheduled_for, schedule_id)
       VALUES (:report, :params, :org, :path, 'schedule', :key, :due, :id)
       ON CONFLICT (schedule_key, scheduled_for) DO NOTHING RETURNING id`,
      { replacements: { report: spec.report, params: JSON.stringify(spec.params), org: s.organisation_id, path: s.org_path, key: scheduleKeyOf(s.id), due: dueAt, id: s.id }, transaction },
    ) as unknown as [Array<{ id: number }>];
    // Conditional on the due time read: a process that comes late moves nothing.
    await sequelize.query('UPDATE export_schedules SET next_run_at = :next WHERE id = :id AND next_run_at = :was',
      { replacements: { id: s.id, next, was: s.next_run_at }, transaction });
    return rows[0]?.id ?? null;
  });
}

/** 立即运行 a schedule from the panel: its report, area and principal, now; recorded in its run history. */
export async function runScheduleNow(sequelize: Sequelize, p: Principal, scheduleId: number): Promise<number> {
  const [s] = await sequelize.query<ScheduleRow>(`SELECT ${SCHEDULE_COLUMNS} FROM export_schedules WHERE id = :id AND organisation_id = :org`,
    { replacements: { id: scheduleId, org: p.organisationId }, type: QueryTypes.SELECT });
  if (!s) throw new AccessDenied('无权访问该定时导出，或其不属于本机构');
  const spec = await asPlatform('定时导出', () => runSpecOf(sequelize, s, new Date())).catch(async (e) => {
    if (e instanceof PlatformError && !(e instanceof AccessDenied)) {
      await asPlatform('定时导出', () => pauseSchedule(sequelize, s.id, e.message, p));
      throw new PlatformError(`无法运行，已暂停：${e.message}`);
    }
    throw e;
  });
  return sequelize.transaction(async (transaction) => {
    const [[job]] = await sequelize.query(
      `INSERT INTO export_jobs (report, params, organisation_id, org_path, requested_by, trigger, schedule_key, schedule_id)
       VALUES (:report, :params, :org, :path, :me, 'manual', :key, :id) RETURNING id`,
      { replacements: { report: spec.report, params: JSON.stringify(spec.params), org: s.organisation_id, path: s.org_path, me: p.accountId, key: scheduleKeyOf(s.id), id: s.id }, transaction },
    ) as unknown as [[{ id: number }]];
    await audit({ actor: p, action: 'export_request', resource: 'export_schedules', recordId: s.id, after: { job: job.id, report: spec.report, params: spec.params } }, transaction);
    return job.id;
  });
}

/** Runs the job to its end, then tells the schedule's recipients if its file is ready. */
export async function runAndNotify(sequelize: Sequelize, jobId: number): Promise<void> {
  await runExportJob(sequelize, jobId);
  await asPlatform('定时导出通知', () => notifyRecipients(sequelize, jobId));
}

/** The notices of a finished run: one per recipient (in the panel, and an e-mail with the link), once. */
export async function notifyRecipients(sequelize: Sequelize, jobId: number): Promise<number> {
  const [job] = await sequelize.query<{ id: number; status: string; schedule_id: number | null; row_count: number }>(
    'SELECT id, status, schedule_id, row_count FROM export_jobs WHERE id = :id', { replacements: { id: jobId }, type: QueryTypes.SELECT });
  if (!job || job.status !== 'succeeded' || job.schedule_id === null) return 0;
  const [s] = await sequelize.query<ScheduleRow>(`SELECT ${SCHEDULE_COLUMNS} FROM export_schedules WHERE id = :id`, { replacements: { id: job.schedule_id }, type: QueryTypes.SELECT });
  if (!s || !s.recipients.length) return 0;
  // Recipients still admins of the schedule's organisation, with active accounts.
  const people = await sequelize.query<{ account_id: number; org_path: string; email: string | null; name: string }>(
    `SELECT a.id account_id, ad.org_path, a.email, a.name FROM admins ad JOIN accounts a ON a.id = ad.account_id
      WHERE ad.id IN (:ids) AND ad.organisation_id = :org AND a.status = 'active'`,
    { replacements: { ids: s.recipients, org: s.organisation_id }, type: QueryTypes.SELECT });
  const link = `${config.publicBaseUrl}/admin/resources/export_jobs/records/${job.id}/show`;
  const title = `定时导出「${s.name}」已生成（${job.row_count} 行）`;
  let sent = 0;
  for (const r of people) {
    const [inserted] = await sequelize.query(
      `INSERT INTO export_notices (account_id, org_path, job_id, schedule_id, title, link) VALUES (:a, :path, :job, :s, :title, :link)
       ON CONFLICT (job_id, account_id) DO NOTHING RETURNING id`,
      { replacements: { a: r.account_id, path: r.org_path, job: job.id, s: s.id, title, link } }) as unknown as [unknown[]];
    if (!inserted.length) continue;
    sent++;
    if (r.email && notifier) {
      await notifier.send({ channel: 'email', recipient: r.email, subject: title, body: `${r.name}，您好：${title}。请登录管理后台查看并下载：${link}` })
        .catch((e) => console.error(`定时导出通知邮件发送失败（${r.email}）：`, (e as Error).message));
    }
  }
  return sent;
}

// ── seed: the schedules of config/scheduled-exports.ts ──────────────────────

/** The schedules of config/scheduled-exports.ts as rows, once each (one deleted in the panel stays deleted). */
export function seedConfiguredSchedules(sequelize: Sequelize): Promise<number> {
  return asPlatform('定时导出种子', async () => {
    let n = 0;
    for (const c of scheduledExports) {
      const org = await jurisdictionOf(sequelize, c).catch(() => null);
      if (!org) continue;
      const done = await sequelize.transaction(async (transaction) => {
        const [fresh] = await sequelize.query('INSERT INTO export_schedule_seeds (seed_key) VALUES (:k) ON CONFLICT DO NOTHING RETURNING seed_key',
          { replacements: { k: c.key }, transaction }) as unknown as [unknown[]];
        if (!fresh.length) return false;
        const cron = c.schedule.trim().split(/\s+/).length === 5 ? c.schedule : null;
        if (!cron || !reportByKey(c.report)) return false;
        await sequelize.query(
          `INSERT INTO export_schedules (organisation_id, org_path, name, report, area_id, preset, cron, year_param, next_run_at, seed_key)
           VALUES (:org, :path, :name, :report, :org, 'cron', :cron, 'current', :next, :key)`,
          { replacements: { org: org.id, path: org.path, name: c.title, report: c.report, cron, next: nextRuns(cron, new Date(), 1)[0] ?? null, key: c.key }, transaction });
        return true;
      });
      if (done) n++;
    }
    return n;
  });
}
