/**
 * Issue 16, items 1–2, as operators run it: `node dist/main.mjs` (the supervisor) on the run's
 * database starts two web processes and one job worker. An export asked for over HTTP is run by
 * the worker — not by the web process that took the request — and SIGTERM stops all three with
 * exit code 0. On PostgreSQL: the worker SIGKILLed in the middle of an export (its read held
 * behind a table lock) is started again by the supervisor, and the new worker — after the
 * stale heartbeat hands the job back to the queue — runs the same job to its end.
 */
import pg from 'pg';
import { QueryTypes } from 'sequelize';
import { openDatabase, type Database } from '../../src/db/connection.js';
import { Client, loggedIn } from '../helpers/platform.js';
import { alive, buildBundles, startPlatform, stopPlatform, until, workerPids, type Platform } from '../helpers/processes.js';

const onPostgres = process.env.TEST_DATABASE_KIND === 'postgresql';
const PROVINCE = '370000198001010017'; // 省人社厅超级管理员
const RUN = '/admin/api/resources/export_jobs/actions/runNow';

interface JobRow { status: string; attempts: number; claimed_by: string | null; row_count: number | null; error: string | null }

let db: Database;
beforeAll(async () => {
  buildBundles();
  db = await openDatabase({ url: process.env.TEST_DATABASE_URL, poolMax: 1 });
  // Jobs other files left unfinished would be claimed first (oldest first) and take the worker's slots.
  await db.owner.query("UPDATE export_jobs SET status = 'failed', finished_at = now(), error = '测试前清理' WHERE status IN ('queued', 'running')");
  await db.owner.query("UPDATE import_jobs SET status = 'failed', finished_at = now(), error = '测试前清理' WHERE status IN ('queued', 'validating', 'committing')");
}, 120_000);
afterAll(async () => { await db?.close(); });

const jobRow = async (id: number) => (await db.owner.query<JobRow>(
  'SELECT status, attempts, claimed_by, row_count, error FROM export_jobs WHERE id = :id', { replacements: { id }, type: QueryTypes.SELECT }))[0];

async function requestExport(c: Client): Promise<number> {
  const r = await c.postJson(RUN, { report: 'person-roster', year: 2025 }) as { status: number; body: { jobId?: number } };
  expect(r.status).toBe(200);
  expect(r.body.jobId).toBeGreaterThan(0);
  return r.body.jobId!;
}

describe('npm start: web processes and a job worker', () => {
  let p: Platform | undefined;
  afterEach(async () => { if (p) await stopPlatform(p); p = undefined; });

  it('starts two web processes and a worker; the worker runs an export asked for over HTTP; SIGTERM stops them all with exit code 0', async () => {
    p = await startPlatform({ WEB_CONCURRENCY: '2', JOB_POLL_MS: '200' });
    const log = p.log();
    expect(log).toContain('网页进程 1 已启动');
    expect(log).toContain('网页进程 2 已启动');
    expect(log).toMatch(/任务进程已启动（pid \d+.*堆上限 \d+ MB/);
    expect(log).toContain('网页进程 2 个，任务进程 1 个');
    const [worker] = workerPids(p);

    const c = await loggedIn(p.base, PROVINCE).catch((e: Error) => { throw new Error(`${e.message}\n${p!.log()}`); });
    const jobId = await requestExport(c);
    // The panel's own polling, through whichever web process answers.
    const job = await until('导出任务完成', async () => {
      const r = await c.json<{ job: { status: string; row_count: number | null } }>(`${RUN}?jobId=${jobId}`);
      return ['succeeded', 'failed'].includes(r.body.job?.status) ? r.body.job : undefined;
    }, 60_000);
    expect(job.status).toBe('succeeded');
    expect(job.row_count).toBeGreaterThan(0);
    // Claimed by the worker's pid, not by a web process's.
    expect((await jobRow(jobId)).claimed_by).toMatch(new RegExp(`:${worker}$`));

    const exit = await stopPlatform(p);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(p.log()).toContain('任务进程已停止');
    expect(p.log()).toContain('平台已停止');
    expect(alive(worker)).toBe(false);
    p = undefined;
  }, 240_000);

  (onPostgres ? it : it.skip)('a worker killed mid-export is replaced, and the new worker completes the same job', async () => {
    // Fast recovery timings for the test (defaults: heartbeat 5 s, stale 30 s, sweep 15 s).
    p = await startPlatform({ WEB_CONCURRENCY: '1', JOB_POLL_MS: '200', JOB_HEARTBEAT_SECONDS: '1', JOB_STALE_SECONDS: '4', JOB_SWEEP_SECONDS: '1' });
    const [first] = workerPids(p);
    const c = await loggedIn(p.base, PROVINCE);
    // The roster reads person_year_hours: hold it locked, so the export is running, mid-read, when the worker dies.
    const lock = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await lock.connect();
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE person_year_hours IN ACCESS EXCLUSIVE MODE');
      const jobId = await requestExport(c);
      await until('导出任务由第一个任务进程运行并在读取中等待', async () => {
        const j = await jobRow(jobId);
        // Not on the lock's connection: inside its transaction pg_stat_activity is a snapshot.
        const [waiting] = await db.owner.query<{ n: number }>("SELECT count(*)::int n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%FROM person_year_hours%'", { type: QueryTypes.SELECT });
        return j.status === 'running' && j.claimed_by?.endsWith(`:${first}`) && waiting.n > 0;
      }, 60_000);
      process.kill(first, 'SIGKILL');
      const second = await until('主进程重新启动任务进程', () => workerPids(p!).find((pid) => pid !== first), 60_000);
      await lock.query('ROLLBACK');
      const done = await until('新的任务进程完成同一个导出任务', async () => {
        const j = await jobRow(jobId);
        return ['succeeded', 'failed'].includes(j.status) ? j : undefined;
      }, 90_000);
      expect(done.status).toBe('succeeded');
      expect(done.claimed_by).toMatch(new RegExp(`:${second}$`));
      expect(done.attempts).toBe(2);
      expect(done.row_count).toBeGreaterThan(0);
      expect(p.log()).toMatch(new RegExp(`导出任务 ${jobId} 的处理进程已停止，已交回队列`));
      expect(p.log()).toMatch(/任务进程（pid \d+）意外退出（SIGKILL）/);
    } finally {
      await lock.query('ROLLBACK').catch(() => undefined);
      await lock.end();
    }
    const exit = await stopPlatform(p);
    expect(exit).toEqual({ code: 0, signal: null });
    p = undefined;
  }, 300_000);
});
