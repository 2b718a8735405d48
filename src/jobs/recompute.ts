/**
 * 重算任务 (issue 18.5): the yearly totals a new rule of the year changes, recomputed in the
 * worker with progress. The rule's trigger enqueues the job in the rule's own transaction
 * (migration 018); this engine claims it (FOR UPDATE SKIP LOCKED, like imports and exports),
 * and recomputes its person-years in batches of whole persons (`config.jobs.recomputeBatch`,
 * 5,000 person-years), each batch one transaction that calls the one rule
 * (ce_refresh_year_totals) and advances the job's cursor (the last person id done) and its
 * done count. A job whose worker died is handed back by src/jobs/recovery.ts and continues from
 * its cursor; a newer job of the same scope supersedes it (migration 018) and it stops at its
 * next batch. Its end is in the audit log.
 *
 * Where it runs: in the worker (`queue` mode, src/worker.ts's lane), or in the process that saved
 * the rule right after the commit (`inline` mode: tests, the benchmark; startRecomputeJobs).
 * The engine imports no AdminJS.
 */
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { config } from '../../config/index.js';
import { asPlatform } from '../access/context.js';
import { audit } from '../services/audit.js';
import { jobMode, workerId } from './queue.js';
import { YEAR_RULES_LOCK } from '../db/migrations/018-recompute-jobs.js';

export interface RecomputeJob {
  id: number; kind: 'form_rule' | 'requirement'; rule_id: number | null; learning_form_id: number | null; from_year: number;
  region_code: string | null; org_path: string; status: string; total: number | null; done_count: number; cursor_person_id: number;
  attempts: number; created_by: number | null;
}

/** A job handed back after its worker died is claimed at most this many times in all. */
export const RECOMPUTE_MAX_ATTEMPTS = 5;

/** The job is no longer this worker's (superseded, or handed back by a recovery): stop, write nothing more. */
export class RecomputeLost extends Error {
  constructor(readonly jobId: number, readonly status: string | null) { super(`重算任务 ${jobId} 已不由本进程处理（${status ?? '不存在'}）`); }
}

const COLUMNS = 'id, kind, rule_id, learning_form_id, from_year, region_code, org_path, status, total, done_count, cursor_person_id, attempts, created_by';
const CLAIM = `status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, now()), heartbeat_at = now(), run_after = NULL, claimed_by = :me`;

/** Claims a queued job: the given one, or the oldest due one. */
export async function claimRecompute(sequelize: Sequelize, jobId: number | null = null, me = workerId): Promise<RecomputeJob | undefined> {
  const [job] = await sequelize.query<RecomputeJob>(jobId !== null
    ? `UPDATE recompute_jobs SET ${CLAIM} WHERE id = :id AND status = 'queued' RETURNING ${COLUMNS}`
    : `UPDATE recompute_jobs SET ${CLAIM}
        WHERE id = (SELECT id FROM recompute_jobs WHERE status = 'queued' AND (run_after IS NULL OR run_after <= now())
                     ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
          AND status = 'queued'
        RETURNING ${COLUMNS}`, { replacements: { id: jobId, me }, type: QueryTypes.SELECT });
  if (!job) return undefined;
  if (job.total === null) {
    // The person-years it will recompute, counted once (a resumed job keeps its count).
    const [{ n }] = await sequelize.query<{ n: string }>('SELECT count(*) n FROM ce_recompute_keys(:id, 0, NULL)', { replacements: { id: job.id }, type: QueryTypes.SELECT });
    await sequelize.query("UPDATE recompute_jobs SET total = :n WHERE id = :id AND status = 'running' AND total IS NULL", { replacements: { id: job.id, n: Number(n) } });
    job.total = Number(n);
  }
  return job;
}

/** Conditional on the claim: throws RecomputeLost when the job is no longer this worker's. */
async function holdClaim(sequelize: Sequelize, jobId: number, me: string, transaction?: Transaction): Promise<{ cursor_person_id: number; done_count: number; total: number }> {
  const [row] = await sequelize.query<{ cursor_person_id: number; done_count: number; total: number }>(
    `UPDATE recompute_jobs SET heartbeat_at = now() WHERE id = :id AND status = 'running' AND claimed_by = :me RETURNING cursor_person_id, done_count, total`,
    { replacements: { id: jobId, me }, type: QueryTypes.SELECT, transaction });
  if (!row) {
    const [now] = await sequelize.query<{ status: string }>('SELECT status FROM recompute_jobs WHERE id = :id', { replacements: { id: jobId }, type: QueryTypes.SELECT, transaction });
    throw new RecomputeLost(jobId, now?.status ?? null);
  }
  return row;
}

/**
 * One batch: the next whole persons after the cursor, recomputed by the one rule, and the cursor
 * and done count advanced — one transaction. False when nothing was left (the job is then done).
 */
export async function recomputeBatch(sequelize: Sequelize, job: RecomputeJob, o: { batch?: number; me?: string } = {}): Promise<boolean> {
  const batch = o.batch ?? (config.jobs.recomputeBatch || 5000);
  const me = o.me ?? workerId;
  return sequelize.transaction(async (transaction) => {
    // First the year rules' lock (shared, as every recompute holds it), then the job's row: a rule
    // being saved (which holds the lock exclusively and then supersedes this job) is waited for
    // before this batch touches the job — never the other way round.
    await sequelize.query(`SELECT pg_advisory_xact_lock_shared(${YEAR_RULES_LOCK})`, { transaction });
    const claim = await holdClaim(sequelize, job.id, me, transaction);
    const [keys] = await sequelize.query<{ pids: number[] | null; yrs: number[] | null; n: string; last: number | null }>(
      `SELECT array_agg(person_id) pids, array_agg(year) yrs, count(*) n, max(person_id) last FROM ce_recompute_keys(:id, :after, :lim)`,
      { replacements: { id: job.id, after: claim.cursor_person_id, lim: batch }, type: QueryTypes.SELECT, transaction });
    const n = Number(keys.n);
    if (n === 0) {
      const [done] = await sequelize.query<{ done_count: number }>(
        `UPDATE recompute_jobs SET status = 'done', total = done_count, finished_at = now(), heartbeat_at = now(), error = NULL
          WHERE id = :id AND status = 'running' AND claimed_by = :me RETURNING done_count`,
        { replacements: { id: job.id, me }, type: QueryTypes.SELECT, transaction });
      await audit({ actor: null, orgPath: job.org_path, action: 'recompute', resource: 'recompute_jobs', recordId: job.id,
        after: { kind: job.kind, rule: job.rule_id, learningForm: job.learning_form_id, fromYear: job.from_year, region: job.region_code, personYears: done.done_count, attempts: job.attempts } }, transaction);
      job.status = 'done';
      job.total = job.done_count = done.done_count;
      return false;
    }
    await sequelize.query('SELECT ce_refresh_year_totals(CAST(:pids AS integer[]), CAST(:yrs AS smallint[]))',
      { replacements: { pids: `{${keys.pids!.join(',')}}`, yrs: `{${keys.yrs!.join(',')}}` }, transaction });
    await sequelize.query(`UPDATE recompute_jobs SET cursor_person_id = :last, done_count = done_count + :n, heartbeat_at = now() WHERE id = :id`,
      { replacements: { id: job.id, last: keys.last, n }, transaction });
    job.cursor_person_id = keys.last!;
    job.done_count = claim.done_count + n;
    return true;
  });
}

let stopping = false;
/**
 * The worker is stopping (SIGTERM): a running job ends its current batch and goes back to the
 * queue with its cursor, for the next worker — a province-wide recompute does not hold a stop up.
 */
export function stopRecomputes(): void { stopping = true; }
/** Tests and a restarted platform in the same process. */
export function resumeRecomputes(): void { stopping = false; }

/** Runs a claimed job to its end (or until it is lost). A heartbeat timer covers a slow batch. */
export async function runClaimedRecompute(sequelize: Sequelize, job: RecomputeJob, o: { batch?: number; me?: string } = {}): Promise<'done' | 'lost'> {
  const me = o.me ?? workerId;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    sequelize.query("UPDATE recompute_jobs SET heartbeat_at = now() WHERE id = :id AND status = 'running' AND claimed_by = :me", { replacements: { id: job.id, me } })
      .catch(() => { /* the next beat tries again */ }).finally(() => { busy = false; });
  }, config.jobs.heartbeatSeconds * 1000);
  timer.unref();
  try {
    while (await recomputeBatch(sequelize, job, o)) {
      if (stopping) {
        await sequelize.query(`UPDATE recompute_jobs SET status = 'queued', claimed_by = NULL, heartbeat_at = NULL WHERE id = :id AND status = 'running' AND claimed_by = :me`,
          { replacements: { id: job.id, me } });
        return 'lost';
      }
    }
    return 'done';
  } catch (e) {
    if (e instanceof RecomputeLost) return 'lost';
    // A database failure: the job stays running; its heartbeat goes stale and recovery hands it back.
    console.error(`重算任务 ${job.id} 出错（将由恢复检查交回队列，从已完成的位置继续）：`, e);
    const [row] = await sequelize.query<{ attempts: number }>('SELECT attempts FROM recompute_jobs WHERE id = :id', { replacements: { id: job.id }, type: QueryTypes.SELECT }).catch(() => [] as Array<{ attempts: number }>);
    await sequelize.query(`UPDATE recompute_jobs SET error = :error WHERE id = :id AND status = 'running' AND claimed_by = :me`,
      { replacements: { id: job.id, me, error: `第 ${row?.attempts ?? job.attempts} 次运行出错：${(e as Error).message}`.slice(0, 500) } }).catch(() => {});
    return 'lost';
  } finally {
    clearInterval(timer);
  }
}

/** The worker's lane: claims the oldest due job and runs it; false when none was due. `claimed` learns at once. */
export function runNextRecompute(sequelize: Sequelize, claimed: (found: boolean) => void = () => {}, o: { batch?: number; me?: string } = {}): Promise<boolean> {
  return asPlatform('重算任务', async () => {
    const job = await claimRecompute(sequelize, null, o.me);
    claimed(!!job);
    if (!job) return false;
    await runClaimedRecompute(sequelize, job, o);
    return true;
  });
}

const running = new Set<Promise<unknown>>();
let scheduled: Promise<void> | null = null;
/**
 * Inline mode (tests, the benchmark): the process that committed a rule runs its jobs now, one
 * after another until none is queued. Queue mode: nothing (the worker claims them).
 */
export function startRecomputeJobs(sequelize: Sequelize): void {
  if (jobMode() === 'queue') return;
  if (scheduled) return;
  const run: Promise<void> = (async () => {
    // Let the caller's response go first; the queue is read after its commit.
    await new Promise((r) => setImmediate(r));
    scheduled = null;
    while (!stopping && await runNextRecompute(sequelize)) { /* next job */ }
  })().catch((e) => console.error('重算任务异常：', e)).finally(() => { running.delete(run); });
  scheduled = run;
  running.add(run);
}

/** Resolves once the jobs this process runs inline have ended (tests, shutdown). */
export async function recomputesSettled(): Promise<void> {
  while (running.size) await Promise.allSettled([...running]);
}

/** 「重算中 3,000 / 12,000（25%）」: what a panel page says while totals are being recomputed; null when none is. */
export async function recomputeNotice(sequelize: Sequelize, transaction?: Transaction): Promise<string | null> {
  const [p] = await sequelize.query<{ jobs: number; total: string; done: string }>('SELECT * FROM ce_recompute_progress()', { type: QueryTypes.SELECT, transaction });
  if (!p || !p.jobs) return null;
  return `年度规则已更新，受影响的年度学时汇总正在重算：${progressText(Number(p.done), Number(p.total), 'running')}；尚未重算到的人员仍按原规则显示`;
}

const fmt = (n: number) => n.toLocaleString('en-US');
/** A job's progress in words, as the 重算任务 list shows it. */
export function progressText(done: number, total: number | null, status: string): string {
  if (status === 'queued' && !done) return total === null ? '排队中' : `排队中 0 / ${fmt(total)}`;
  if (status === 'done') return `已完成 ${fmt(done)} / ${fmt(done)}（100%）`;
  if (total === null) return `重算中 ${fmt(done)}`;
  const shown = Math.min(done, total);
  const pct = total === 0 ? 100 : Math.floor((shown / total) * 100);
  const word = status === 'running' || status === 'queued' ? '重算中' : status === 'failed' ? '已中止' : '已被新任务取代';
  return `${word} ${fmt(shown)} / ${fmt(total)}（${pct}%）`;
}
