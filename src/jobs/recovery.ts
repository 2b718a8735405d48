/**
 * Stuck jobs (issue 14, item 6): a process killed during an import or an export used to leave the
 * job "committing, 57%" until some process *started* two minutes later. Now, in one place (so it
 * can move to a job worker with the rest of the job code):
 *
 * - a running job writes a heartbeat every `config.jobs.heartbeatSeconds` (5 s) from a timer of
 *   its own, whatever the job is busy with; the writes are conditional on the job still running,
 *   so a job that was recovered meanwhile learns it has lost its claim (`JobLost`) and stops —
 *   an import's batch transaction checks the same condition, so no batch lands after recovery;
 * - every process sweeps every `config.jobs.sweepSeconds` (15 s): a job whose heartbeat is older
 *   than `config.jobs.staleSeconds` (30 s) is failed, with its audit entry, in one transaction.
 *   The sweep is a single conditional UPDATE … RETURNING: two processes sweeping at once each
 *   fail a given job at most once between them (the row lock decides), and the audit entries are
 *   written only for the rows that process's UPDATE returned.
 * A killed job is thus recovered by any live process within stale + sweep = 45 s.
 */
import type { Sequelize, Transaction } from 'sequelize';
import { QueryTypes } from 'sequelize';
import { config } from '../../config/index.js';
import { auditMany } from '../services/audit.js';
import { asPlatform } from '../access/context.js';
// A list export runs where the panel is; a dead web process's one is failed, not handed to the worker.
import { jobMode, MAX_HANDBACKS, PANEL_REPORTS } from './queue.js';
import { RECOMPUTE_MAX_ATTEMPTS, startRecomputeJobs } from './recompute.js';

export type JobTable = 'import_jobs' | 'export_jobs';
const RUNNING: Record<JobTable, string[]> = { import_jobs: ['validating', 'committing'], export_jobs: ['running'] };

/** The job was failed by a sweep (its heartbeat went stale): stop, write nothing more. */
export class JobLost extends Error {
  constructor(readonly table: JobTable, readonly jobId: number) { super(`${table} ${jobId}: 任务已被判定为中断`); }
}

/**
 * Marks the job alive; throws JobLost when it no longer runs. Optional extra SET clauses and the
 * transaction let a job's own progress updates serve as heartbeats.
 */
export async function beat(sequelize: Sequelize, table: JobTable, jobId: number, opts: { sets?: string; replacements?: Record<string, unknown>; transaction?: Transaction } = {}): Promise<void> {
  const [, result] = await sequelize.query(
    `UPDATE ${table} SET ${opts.sets ? `${opts.sets}, ` : ''}heartbeat_at = now() WHERE id = :jobId AND status IN (:running)`,
    { replacements: { ...opts.replacements, jobId, running: RUNNING[table] }, transaction: opts.transaction },
  ) as unknown as [unknown, { rowCount?: number }];
  if (!result?.rowCount) throw new JobLost(table, jobId);
}

/** A timer that beats until stopped; `lost` turns true once a sweep has failed the job. */
export function startHeartbeat(sequelize: Sequelize, table: JobTable, jobId: number): { stop(): void; readonly lost: boolean } {
  let lost = false;
  let busy = false;
  const timer = setInterval(() => {
    if (busy || lost) return;
    busy = true;
    beat(sequelize, table, jobId)
      .catch((e) => { if (e instanceof JobLost) lost = true; /* a database hiccup: the next beat tries again */ })
      .finally(() => { busy = false; });
  }, config.jobs.heartbeatSeconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer), get lost() { return lost; } };
}

const IMPORT_INTERRUPTED = `'导入任务意外中断：已提交 ' || committed_rows || ' 行（每批完整提交），重新导入时已导入的行将作为重复行跳过'`;
const IMPORT_NEVER_STARTED = '导入任务未能开始（处理进程已停止），请重新上传';
const EXPORT_INTERRUPTED = '导出任务意外中断（处理进程已停止），请重新运行';
const EXPORT_HANDED_BACK = '上次运行的任务进程已停止，已重新排队';
const RECOMPUTE_HANDED_BACK = `'任务进程已停止，已交回队列，从已重算的 ' || done_count || ' 个人员年度之后继续'`;
const RECOMPUTE_GAVE_UP = `'任务进程多次停止，重算已中止（已重算 ' || done_count || ' 个人员年度，其余仍按原规则）：请再新增一条相同的规则重新发起'`;

/**
 * Fails every job whose process is gone: running with a heartbeat older than `staleSeconds`, or
 * queued for longer than any process takes to claim one (`queuedSeconds`). Returns the jobs failed
 * by this call.
 */
export function recoverStaleJobs(
  sequelize: Sequelize, o: { staleSeconds?: number; queuedSeconds?: number; only?: JobTable | 'recompute_jobs'; handBack?: boolean } = {},
): Promise<{ imports: number[]; exports: number[]; recomputes: number[]; handedBack: { imports: number[]; exports: number[]; recomputes: number[] } }> {
  const stale = o.staleSeconds ?? config.jobs.staleSeconds;
  const queued = o.queuedSeconds ?? 2 * 3600;
  const handBack = o.handBack ?? jobMode() === 'queue';
  // The platform's housekeeping: the jobs of every jurisdiction.
  return asPlatform('任务恢复', () => sequelize.transaction(async (transaction) => {
    // With a worker (queue mode), a job whose worker died goes back to the queue and the next
    // worker runs it — an export from the start (it only reads), an import only if none of its
    // batches is in yet (a re-run would find its own committed rows duplicates); at most
    // MAX_HANDBACKS claims in all. What is not handed back is failed below, as before.
    const back = { imports: [] as number[], exports: [] as number[], recomputes: [] as number[] };
    let recomputes: Array<{ id: number; org_path: string; error: string; done_count: number }> = [];
    if (!o.only || o.only === 'recompute_jobs') {
      // A recompute job is always handed back, whatever the mode: its batches are committed with
      // its cursor, and the next claim continues after the last person done (src/jobs/recompute.ts).
      back.recomputes = (await sequelize.query<{ id: number }>(
        `UPDATE recompute_jobs SET status = 'queued', claimed_by = NULL, heartbeat_at = NULL, error = ${RECOMPUTE_HANDED_BACK}
          WHERE status = 'running' AND attempts < :max AND coalesce(heartbeat_at, started_at, created_at) < now() - make_interval(secs => :stale)
          RETURNING id`, { replacements: { stale, max: RECOMPUTE_MAX_ATTEMPTS }, type: QueryTypes.SELECT, transaction })).map((j) => j.id);
      recomputes = await sequelize.query<{ id: number; org_path: string; error: string; done_count: number }>(
        `UPDATE recompute_jobs SET status = 'failed', finished_at = now(), error = ${RECOMPUTE_GAVE_UP}
          WHERE status = 'running' AND coalesce(heartbeat_at, started_at, created_at) < now() - make_interval(secs => :stale)
          RETURNING id, org_path, error, done_count`, { replacements: { stale }, type: QueryTypes.SELECT, transaction });
    }
    if (o.only === 'recompute_jobs') {
      await auditMany(recomputes.map((j) => ({ action: 'recompute', resource: 'recompute_jobs', recordId: j.id, orgPath: j.org_path, outcome: 'failed' as const, reason: j.error, after: { done: j.done_count, recovered: true } })), transaction);
      return { imports: [], exports: [], recomputes: recomputes.map((j) => j.id), handedBack: back };
    }
    if (handBack) {
      if (o.only !== 'export_jobs') {
        back.imports = (await sequelize.query<{ id: number }>(
          `UPDATE import_jobs SET status = 'queued', progress = 0, started_at = NULL, heartbeat_at = NULL, claimed_by = NULL,
                  total_rows = 0, valid_rows = 0, error_rows = 0, error_report = NULL
            WHERE status IN ('validating', 'committing') AND committed_rows = 0 AND attempts < :max
              AND coalesce(heartbeat_at, started_at, created_at) < now() - make_interval(secs => :stale)
            RETURNING id`, { replacements: { stale, max: MAX_HANDBACKS }, type: QueryTypes.SELECT, transaction })).map((j) => j.id);
      }
      if (o.only !== 'import_jobs') {
        back.exports = (await sequelize.query<{ id: number }>(
          `UPDATE export_jobs SET status = 'queued', started_at = NULL, heartbeat_at = NULL, claimed_by = NULL,
                  error = coalesce(error || '；', '') || :message
            WHERE status = 'running' AND attempts < :max AND report <> ALL(CAST(:panelReports AS text[]))
              AND coalesce(heartbeat_at, started_at, created_at) < now() - make_interval(secs => :stale)
            RETURNING id`, { replacements: { stale, max: MAX_HANDBACKS, message: EXPORT_HANDED_BACK, panelReports: `{${PANEL_REPORTS.join(',')}}` }, type: QueryTypes.SELECT, transaction })).map((j) => j.id);
      }
    }
    const imports = o.only === 'export_jobs' ? [] : await sequelize.query<{ id: number; org_path: string; requested_by: number; committed_rows: number; error: string }>(
      `UPDATE import_jobs SET status = 'failed', finished_at = now(),
              error = CASE WHEN status = 'queued' THEN :neverStarted ELSE ${IMPORT_INTERRUPTED} END
        WHERE (status IN ('validating', 'committing') AND coalesce(heartbeat_at, started_at, created_at) < now() - make_interval(secs => :stale))
           OR (status = 'queued' AND created_at < now() - make_interval(secs => :queued))
        RETURNING id, org_path, requested_by, committed_rows, error`,
      { replacements: { stale, queued, neverStarted: IMPORT_NEVER_STARTED }, type: QueryTypes.SELECT, transaction });
    const exports = o.only === 'import_jobs' ? [] : await sequelize.query<{ id: number; org_path: string; report: string; error: string }>(
      `UPDATE export_jobs SET status = 'failed', finished_at = now(), error = coalesce(error || '；', '') || :message
        WHERE (status = 'running' AND coalesce(heartbeat_at, started_at, created_at) < now() - make_interval(secs => :stale))
           OR (status = 'queued' AND created_at < now() - make_interval(secs => :queued))
        RETURNING id, org_path, report, error`,
      { replacements: { stale, queued, message: EXPORT_INTERRUPTED }, type: QueryTypes.SELECT, transaction });
    await auditMany([
      ...imports.map((j) => ({ action: 'import', resource: 'import_jobs', recordId: j.id, orgPath: j.org_path, outcome: 'failed' as const, reason: j.error, after: { committed: j.committed_rows, recovered: true } })),
      ...exports.map((j) => ({ action: 'export', resource: 'export_jobs', recordId: j.id, orgPath: j.org_path, outcome: 'failed' as const, reason: j.error, after: { report: j.report, recovered: true } })),
      ...recomputes.map((j) => ({ action: 'recompute', resource: 'recompute_jobs', recordId: j.id, orgPath: j.org_path, outcome: 'failed' as const, reason: j.error, after: { done: j.done_count, recovered: true } })),
    ], transaction);
    return { imports: imports.map((j) => j.id), exports: exports.map((j) => j.id), recomputes: recomputes.map((j) => j.id), handedBack: back };
  })).then((r) => {
    // Inline mode has no worker: the sweeping process continues a handed-back recompute itself.
    if (r.handedBack.recomputes.length) startRecomputeJobs(sequelize);
    return r;
  });
}

const sweepers = new Map<Sequelize, { timer: NodeJS.Timeout; users: number }>();
/**
 * Every process: a sweep now and every `sweepSeconds`, one timer per database however many apps
 * share it; the returned function releases this caller's use (the timer stops with the last).
 */
export function startJobSweeper(sequelize: Sequelize, log: (s: string) => void = (s) => console.log(s)): () => void {
  const existing = sweepers.get(sequelize);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    const s = sweepers.get(sequelize);
    if (s && --s.users === 0) { clearInterval(s.timer); sweepers.delete(sequelize); }
  };
  if (existing) { existing.users++; return release; }
  let busy = false;
  const sweep = () => {
    if (busy) return;
    busy = true;
    recoverStaleJobs(sequelize)
      .then((r) => {
        if (r.imports.length) log(`导入任务 ${r.imports.join('、')} 的处理进程已停止，已标记为失败（已提交的批次完整有效）`);
        if (r.exports.length) log(`导出任务 ${r.exports.join('、')} 的处理进程已停止，已标记为失败`);
        if (r.handedBack.imports.length) log(`导入任务 ${r.handedBack.imports.join('、')} 的处理进程已停止，已交回队列，由下一个任务进程接手`);
        if (r.recomputes.length) log(`重算任务 ${r.recomputes.join('、')} 的处理进程多次停止，已中止`);
        if (r.handedBack.recomputes.length) log(`重算任务 ${r.handedBack.recomputes.join('、')} 的处理进程已停止，已交回队列，从已完成的位置继续`);
        if (r.handedBack.exports.length) log(`导出任务 ${r.handedBack.exports.join('、')} 的处理进程已停止，已交回队列，由下一个任务进程接手`);
      })
      .catch((e) => console.error('任务恢复检查失败（下次再试）：', (e as Error).message))
      .finally(() => { busy = false; });
  };
  const timer = setInterval(sweep, config.jobs.sweepSeconds * 1000);
  timer.unref();
  sweepers.set(sequelize, { timer, users: 1 });
  sweep();
  return release;
}
