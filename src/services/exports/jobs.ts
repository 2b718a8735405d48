/**
 * Export jobs (导出任务): a report written to xlsx in the background and kept in export_jobs
 * for download, in the scope of one jurisdiction.
 *
 * - manual (立即运行): an admin asks for a report of its own jurisdiction; the job reads in that
 *   admin's principal, reloaded from the database when it runs;
 * - scheduled (定时导出, config/scheduled-exports.ts): a run is one row keyed by (schedule, due
 *   time), UNIQUE, so with several app processes exactly one of them inserts and runs it; it
 *   reads in the jurisdiction's system principal (its office's rights, ID numbers masked). An
 *   admin may also run a schedule now from the panel: same jurisdiction, same principal.
 *
 * A run claims its job (`UPDATE … WHERE status = 'queued'`, so one runner only), writes the
 * file to a temp file through the streaming writer, then stores it in parts (file-parts.ts) with
 * the row count in one transaction with its audit entry. A failure is recorded with its error and retried, at
 * most `exportRetry.maxAttempts` times in all, waiting base × 4^(n−1) between attempts; a
 * refusal (report unknown, right withdrawn) is final at once.
 */
import fs from 'node:fs/promises';
import { QueryTypes, type Sequelize } from 'sequelize';
import { holds } from '../../access/policy.js';
import { loadPrincipal, officePrincipal, type Principal } from '../../access/principal.js';
import { personPersonalData, FULL_ID_PERMISSION } from '../../access/personal-data.js';
import { allows } from '../../access/scope.js';
import { asPlatform, runAs } from '../../access/context.js';
import { PlatformError } from '../../domain/errors.js';
import { EXPORT_RUN, EXPORT_VIEW } from '../../../resources/export-jobs/policy.js';
import { exportRetry, scheduledExports, type ScheduledExport } from '../../../config/scheduled-exports.js';
import { audit } from '../audit.js';
import { reportByKey } from '../reports/index.js';
import { reportYear } from '../reports/params.js';
import { writeReport } from './writer.js';
import { storeFileParts } from './file-parts.js';
import { readerOf } from '../../db/replica.js';
import { tempPath } from '../temp-files.js';
import { beat, JobLost, recoverStaleJobs, startHeartbeat } from '../../jobs/recovery.js';
import { jobMode, PANEL_REPORTS, workerId } from '../../jobs/queue.js';

export { EXPORT_RUN, EXPORT_VIEW };
const HR_KINDS = ['province_hr', 'city_hr', 'county_hr'];

/** A request the platform refuses (shown to the admin as is, never retried). */
export class ExportRefused extends PlatformError {}
/** A refusal for want of rights or jurisdiction (HTTP 403). */
export class ExportForbidden extends ExportRefused {
  override readonly status = 403;
  override readonly code = 'forbidden';
}

interface JobRow {
  id: number; report: string; params: Record<string, unknown>; organisation_id: number; org_path: string;
  requested_by: number | null; trigger: 'manual' | 'schedule'; schedule_key: string | null; attempts: number;
}
// ── principals ──────────────────────────────────────────────────────────────

/**
 * The system principal of an HR bureau: what its office may do, minus seeing whole ID
 * numbers (a scheduled file is downloadable by every export viewer of the jurisdiction).
 */
export async function systemPrincipal(sequelize: Sequelize, organisationId: number): Promise<Principal> {
  const p = await officePrincipal(sequelize, organisationId, '系统定时导出', [FULL_ID_PERMISSION]);
  if (!p || !HR_KINDS.includes(p.kind)) throw new ExportRefused('导出的管辖机构不存在或已停用');
  return p;
}

async function principalFor(sequelize: Sequelize, job: JobRow): Promise<Principal> {
  if (job.schedule_key !== null) return systemPrincipal(sequelize, job.organisation_id);
  const p = job.requested_by === null ? null : await loadPrincipal(sequelize, job.requested_by, 'admin');
  if (!p) throw new ExportRefused('发起导出的管理员账号已停用，任务终止');
  // The job belongs to the organisation it was asked for; an admin moved since reads nothing.
  if (p.organisationId !== job.organisation_id) throw new ExportRefused('发起导出的管理员已不属于该机构，任务终止');
  return p;
}

// ── schedules ───────────────────────────────────────────────────────────────

export function scheduleByKey(key: string): ScheduledExport | undefined {
  return scheduledExports.find((s) => s.key === key);
}

export function paramsOf(s: ScheduledExport, dueAt: Date): Record<string, unknown> {
  return typeof s.params === 'function' ? s.params(dueAt) : { ...s.params };
}

/** The HR bureau a schedule reads in. */
export async function jurisdictionOf(sequelize: Sequelize, s: ScheduledExport): Promise<{ id: number; path: string; name: string }> {
  const byRegion = 'regionCode' in s.jurisdiction;
  const [org] = await sequelize.query<{ id: number; path: string; name: string }>(
    `SELECT id, path, name FROM organisations WHERE kind IN (:kinds) AND status = 'active' AND ${byRegion ? 'region_code = :v' : 'id = :v'}
      ORDER BY depth LIMIT 1`,
    { replacements: { kinds: HR_KINDS, v: byRegion ? (s.jurisdiction as { regionCode: string }).regionCode : (s.jurisdiction as { organisationId: number }).organisationId }, type: QueryTypes.SELECT });
  if (!org) throw new ExportRefused(`定时导出「${s.title}」的管辖机构不存在或已停用`);
  return org;
}

// ── creating jobs ───────────────────────────────────────────────────────────

function mayRun(p: Principal, reportKey: string, params: Record<string, unknown> = {}) {
  const def = reportByKey(reportKey);
  if (!def) throw new ExportRefused('报表不存在');
  if (!holds(p, EXPORT_RUN) || !holds(p, def.permission) || (def.allowed && !def.allowed(p, params))) throw new ExportForbidden('无权运行该报表');
  return def;
}

/** 立即运行: a manual job for the admin's own organisation. Returns the job's id. */
export async function requestExport(sequelize: Sequelize, p: Principal, reportKey: string, params: Record<string, unknown>): Promise<number> {
  const def = mayRun(p, reportKey, params);
  return sequelize.transaction(async (transaction) => {
    const [[job]] = await sequelize.query(
      `INSERT INTO export_jobs (report, params, organisation_id, org_path, requested_by, trigger)
       VALUES (:report, :params, :org, :path, :me, 'manual') RETURNING id`,
      { replacements: { report: def.key, params: JSON.stringify(params), org: p.organisationId, path: p.orgPath, me: p.accountId }, transaction },
    ) as unknown as [[{ id: number }]];
    await audit({ actor: p, action: 'export_request', resource: 'export_jobs', recordId: job.id, after: { report: def.key, params } }, transaction);
    return job.id;
  });
}

/** 立即运行 a schedule: its report, jurisdiction and principal, if that lies inside the admin's. */
export async function requestScheduledExportNow(sequelize: Sequelize, p: Principal, scheduleKey: string): Promise<number> {
  const s = scheduleByKey(scheduleKey);
  if (!s) throw new ExportRefused('定时导出不存在');
  const def = mayRun(p, s.report);
  const org = await jurisdictionOf(sequelize, s);
  if (!allows(p, 'export_jobs', 'runNow', { org_path: org.path })) throw new ExportForbidden('该定时导出不在您的管辖范围内');
  const params = paramsOf(s, new Date());
  return sequelize.transaction(async (transaction) => {
    const [[job]] = await sequelize.query(
      `INSERT INTO export_jobs (report, params, organisation_id, org_path, requested_by, trigger, schedule_key)
       VALUES (:report, :params, :org, :path, :me, 'manual', :key) RETURNING id`,
      { replacements: { report: def.key, params: JSON.stringify(params), org: org.id, path: org.path, me: p.accountId, key: s.key }, transaction },
    ) as unknown as [[{ id: number }]];
    await audit({ actor: p, action: 'export_request', resource: 'export_jobs', recordId: job.id, after: { schedule: s.key, report: def.key, params } }, transaction);
    return job.id;
  });
}

/**
 * One scheduled run, due at `dueAt` (the cron's time, to the second). Every process whose
 * cron fires calls this; the unique (schedule_key, scheduled_for) lets one insert the run,
 * and that one runs it. Returns the job's id, or null where another process has the run.
 */
export function runScheduledExport(sequelize: Sequelize, s: ScheduledExport, dueAt: Date): Promise<number | null> {
  return asPlatform('定时导出', () => insertScheduledRun(sequelize, s, dueAt));
}

async function insertScheduledRun(sequelize: Sequelize, s: ScheduledExport, dueAt: Date): Promise<number | null> {
  const due = new Date(Math.floor(dueAt.getTime() / 1000) * 1000);
  const def = reportByKey(s.report);
  if (!def) throw new ExportRefused(`定时导出「${s.title}」的报表不存在：${s.report}`);
  const org = await jurisdictionOf(sequelize, s);
  const jobId = await sequelize.transaction(async (transaction) => {
    const [rows] = await sequelize.query(
      `INSERT INTO export_jobs (report, params, organisation_id, org_path, trigger, schedule_key, scheduled_for)
       VALUES (:report, :params, :org, :path, 'schedule', :key, :due)
       ON CONFLICT (schedule_key, scheduled_for) DO NOTHING RETURNING id`,
      { replacements: { report: def.key, params: JSON.stringify(paramsOf(s, due)), org: org.id, path: org.path, key: s.key, due }, transaction },
    ) as unknown as [Array<{ id: number }>];
    return rows[0]?.id ?? null;
  });
  if (jobId !== null) await track(runExportJob(sequelize, jobId));
  return jobId;
}

// ── running jobs ────────────────────────────────────────────────────────────

const running = new Set<Promise<void>>();
let stopping = false;
const wakeSleepers = new Set<() => void>();

function track(p: Promise<void>): Promise<void> {
  const tracked = p.finally(() => running.delete(tracked));
  running.add(tracked);
  return tracked;
}

/** Jobs running in this process (shutdown waits for them). */
export function runningExports(): Promise<void>[] { return [...running]; }

/** Shutdown: no more retries; a job waiting for one is recorded failed now. */
export function stopExportRetries(): void {
  stopping = true;
  for (const wake of wakeSleepers) wake();
}
/** Tests and a restarted platform in the same process. */
export function resumeExportRetries(): void { stopping = false; }

const sleep = (ms: number) => new Promise<void>((resolve) => {
  const done = () => { clearTimeout(timer); wakeSleepers.delete(done); resolve(); };
  const timer = setTimeout(done, ms);
  wakeSleepers.add(done);
});

/**
 * A web process in `queue` mode only enqueues: the worker claims the row (src/worker.ts) —
 * except a panel report (`inProcess`), which this process runs itself.
 */
export function startExportJob(sequelize: Sequelize, jobId: number, opts: { inProcess?: boolean } = {}): void {
  if (jobMode() === 'queue' && !opts.inProcess) return;
  void track(runExportJob(sequelize, jobId).catch((e) => console.error(`导出任务 ${jobId} 异常：`, e)));
}

const fileNameOf = (title: string, job: JobRow, org: string) => {
  const year = typeof job.params.year === 'number' || typeof job.params.year === 'string' ? `-${job.params.year}年` : '';
  return `${title}-${org}${year}-${job.id}.xlsx`.replace(/[\\/:*?"<>|]/g, '_');
};

/** Refusals and bad parameters fail at once: running again would not change them. */
const isRefusal = (e: unknown) => e instanceof PlatformError || e instanceof RangeError;

function errorText(e: unknown): string {
  if (isRefusal(e)) return (e as Error).message;
  const message = e instanceof Error ? e.message : String(e);
  return `导出失败：${message}`.slice(0, 500);
}

const JOB_COLUMNS = 'id, report, params, organisation_id, org_path, requested_by, trigger, schedule_key, attempts';
const CLAIM = `status = 'running', attempts = attempts + 1, started_at = now(), heartbeat_at = now(), finished_at = NULL, run_after = NULL, claimed_by = :me`;

/**
 * Claim: of several processes, one runs each attempt. By id (the process that created the job,
 * `inline` mode), or the oldest due job of the queue (the worker): SKIP LOCKED lets two workers
 * claim two different jobs at once instead of queueing behind one row lock.
 */
async function claimExport(sequelize: Sequelize, jobId: number | null): Promise<JobRow | undefined> {
  const [job] = await sequelize.query<JobRow>(jobId !== null
    ? `UPDATE export_jobs SET ${CLAIM} WHERE id = :id AND status = 'queued' RETURNING ${JOB_COLUMNS}`
    : `UPDATE export_jobs SET ${CLAIM}
        WHERE id = (SELECT id FROM export_jobs WHERE status = 'queued' AND (run_after IS NULL OR run_after <= now())
                       AND report <> ALL(CAST(:panelReports AS text[]))
                     ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
          AND status = 'queued'
        RETURNING ${JOB_COLUMNS}`,
  { replacements: { id: jobId, me: workerId, panelReports: `{${PANEL_REPORTS.join(',')}}` }, type: QueryTypes.SELECT });
  return job;
}

/**
 * Runs a queued job to its end: succeeded, or failed after its attempts. Claiming and recording
 * are the platform's; the report's rows are read on behalf of the job's principal.
 */
export function runExportJob(sequelize: Sequelize, jobId: number, retry = exportRetry): Promise<void> {
  return asPlatform('导出任务', async () => {
    for (;;) {
      const job = await claimExport(sequelize, jobId);
      if (!job || !await runClaimedExport(sequelize, job, retry)) return;
    }
  });
}

/** The worker: claims the oldest due export and runs this attempt; false when none was due. `claimed` learns at once. */
export function runNextExport(sequelize: Sequelize, claimed: (found: boolean) => void = () => {}, retry = exportRetry): Promise<boolean> {
  return asPlatform('导出任务', async () => {
    const job = await claimExport(sequelize, null);
    claimed(!!job);
    if (!job) return false;
    await runClaimedExport(sequelize, job, retry);
    return true;
  });
}

/** One attempt of a claimed job. True: run it again now (inline mode, after its backoff). */
async function runClaimedExport(sequelize: Sequelize, job: JobRow, retry: typeof exportRetry): Promise<boolean> {
  {
    const file = tempPath(`ce-export-${job.id}`, '.xlsx');
    const heartbeat = startHeartbeat(sequelize, 'export_jobs', job.id);
    let principal: Principal | undefined;
    try {
      const def = reportByKey(job.report);
      if (!def) throw new ExportRefused(`报表不存在：${job.report}`);
      principal = await principalFor(sequelize, job);
      if (!holds(principal, def.permission) || (def.allowed && !def.allowed(principal, job.params))) throw new ExportRefused('无权运行该报表');
      const who = principal;
      // Progress (导出任务 shows it): rows written so far, doubling as a heartbeat.
      const progress = (rows: number) => { void beat(sequelize, 'export_jobs', job.id, { sets: 'progress_rows = :rows', replacements: { rows } }).catch(() => {}); };
      const written = await runAs(who, () => writeReport(def, { sequelize, reader: readerOf(sequelize), principal: who, params: job.params, progress }, file));
      const fullIds = holds(principal, personPersonalData.fullOn);
      await sequelize.transaction(async (transaction) => {
        await storeFileParts(sequelize, job, file, transaction);
        // Conditional on the claim: a job a sweep has failed meanwhile stays failed (JobLost, and this transaction rolls back).
        await beat(sequelize, 'export_jobs', job.id, {
          sets: `status = 'succeeded', finished_at = now(), error = NULL, file_size = :size,
                  file_name = :name, row_count = :rows, progress_rows = :rows, contains_full_id = :fullIds`,
          replacements: { size: written.bytes, name: fileNameOf(def.titleOf?.(job.params) ?? def.title, job, principal!.organisationName), rows: written.rows, fullIds }, transaction });
        await audit({ actor: job.schedule_key ? null : principal, orgPath: job.org_path, action: 'export', resource: 'export_jobs', recordId: job.id,
          after: { report: job.report, params: job.params, trigger: job.trigger, schedule: job.schedule_key, rows: written.rows, bytes: written.bytes } }, transaction);
      });
      return false;
    } catch (e) {
      if (e instanceof JobLost || heartbeat.lost) { console.error(`导出任务 ${job.id} 已被判定为中断，停止处理`); return false; }
      const error = errorText(e);
      if (!isRefusal(e)) console.error(`导出任务 ${job.id} 第 ${job.attempts} 次运行失败：`, e);
      const queued = jobMode() === 'queue';
      let final = isRefusal(e) || job.attempts >= retry.maxAttempts || (stopping && !queued);
      if (!final) {
        const delayMs = retry.baseDelayMs * 4 ** (job.attempts - 1);
        await setStatus(sequelize, job.id, 'queued', error, delayMs);
        // The worker: the wait is the row's (run_after); whichever worker is up then claims it.
        if (queued) return false;
        await sleep(delayMs);
        if (!stopping) return true;
        final = true;
      }
      const why = stopping && !isRefusal(e) && job.attempts < retry.maxAttempts ? `${error}（服务停止，未再重试）` : error;
      await sequelize.transaction(async (transaction) => {
        await sequelize.query(`UPDATE export_jobs SET status = 'failed', error = :error, finished_at = now() WHERE id = :id AND status IN ('running', 'queued')`,
          { replacements: { id: job.id, error: why }, transaction });
        await audit({ actor: job.schedule_key ? null : principal ?? null, orgPath: job.org_path, action: 'export', resource: 'export_jobs', recordId: job.id,
          outcome: 'failed', reason: why, after: { report: job.report, attempts: job.attempts } }, transaction);
      });
      return false;
    } finally {
      heartbeat.stop();
      await fs.rm(file, { force: true });
    }
  }
}

async function setStatus(sequelize: Sequelize, id: number, status: 'queued', error: string, delayMs: number): Promise<void> {
  await sequelize.transaction((transaction) => sequelize.query(
    'UPDATE export_jobs SET status = :status, error = :error, run_after = now() + make_interval(secs => :delay) WHERE id = :id AND status = \'running\'',
    { replacements: { id, status, error, delay: delayMs / 1000 }, transaction }));
}

/**
 * At start (boot.ts) and in every process's periodic sweep (src/jobs/recovery.ts): a running job
 * whose heartbeat is stale, or a job queued for hours, is recorded failed (it can be run again).
 */
export async function failInterruptedExports(sequelize: Sequelize): Promise<number> {
  return (await recoverStaleJobs(sequelize, { only: 'export_jobs' })).exports.length;
}

/** The report parameters a manual run accepts from the panel. */
export function manualParams(body: Record<string, unknown>): Record<string, unknown> {
  return { year: reportYear({ year: body.year }) };
}
