/**
 * Issue 14, item 6: a job whose process died is recovered by any live process, within a minute,
 * without a restart (src/jobs/recovery.ts: heartbeats every 5 s, a sweep every 15 s, stale after
 * 30 s). On PostgreSQL: two real platforms (`src/main.ts`, each a supervisor with its web
 * process and its job worker), an import running in the first one's worker, that platform
 * killed with SIGKILL mid-batch (its worker dies with it); the other's worker marks the job
 * failed with its committed rows (a job with batches in is not handed back), default timings. On both databases: two sweepers at once fail a stale job once, with one audit
 * entry; a job recovered meanwhile cannot be written by its old runner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { QueryTypes, type Sequelize } from 'sequelize';
import { openDatabase, type Database } from '../../src/db/connection.js';
import { beat, JobLost, recoverStaleJobs } from '../../src/jobs/recovery.js';
import { config } from '../../config/index.js';
import { asPlatform } from '../../src/access/context.js';

const onPostgres = process.env.TEST_DATABASE_KIND === 'postgresql';
let db: Database;
let s: Sequelize;
beforeAll(async () => {
  db = await openDatabase({ url: process.env.TEST_DATABASE_URL, poolMax: 3 });
  s = db.sequelize;
  const { bindAudit } = await import('../../src/services/audit.js');
  bindAudit(s);
});
afterAll(async () => {
  await db.owner.query('DROP TRIGGER IF EXISTS recovery_slow ON hour_declarations; DROP FUNCTION IF EXISTS recovery_slow()').catch(() => {});
  await db.close();
});

const q = <T extends object>(sql: string, replacements: Record<string, unknown> = {}) => db.owner.query<T>(sql, { replacements, type: QueryTypes.SELECT });
async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`等待超时：${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A job row as a dead process leaves it: committing, last heartbeat `ageSeconds` ago. */
async function strandedImport(ageSeconds: number): Promise<number> {
  const [{ id: accountId }] = await q<{ id: number }>('SELECT id FROM accounts ORDER BY id LIMIT 1');
  const [org] = await q<{ id: number; path: string }>("SELECT id, path FROM organisations WHERE kind = 'county_hr' ORDER BY id LIMIT 1");
  const [[job]] = await db.owner.query(
    `INSERT INTO import_jobs (kind, organisation_id, org_path, requested_by, file_name, file, status, valid_rows, committed_rows, started_at, heartbeat_at)
     VALUES ('hours', :org, :path, :accountId, 'stranded.xlsx', '\\x00', 'committing', 2000, 1000, now() - make_interval(secs => :age), now() - make_interval(secs => :age))
     RETURNING id`, { replacements: { org: org.id, path: org.path, accountId, age: ageSeconds } }) as unknown as [[{ id: number }]];
  return job.id;
}

describe('the sweep', () => {
  it('two processes sweeping at once fail a stale job once, with one audit entry; a fresh job is left alone', async () => {
    const stale = await strandedImport(config.jobs.staleSeconds + 5);
    const fresh = await strandedImport(1);
    const other = await openDatabase({ url: process.env.TEST_DATABASE_URL, poolMax: 2 });
    try {
      const [a, b] = await Promise.all([recoverStaleJobs(s), recoverStaleJobs(other.sequelize)]);
      expect([...a.imports, ...b.imports].filter((id) => id === stale)).toEqual([stale]);
      expect([...a.imports, ...b.imports]).not.toContain(fresh);
    } finally { await other.close(); }
    const [job] = await q<{ status: string; error: string }>('SELECT status, error FROM import_jobs WHERE id = :id', { id: stale });
    expect(job.status).toBe('failed');
    expect(job.error).toContain('已提交 1000 行');
    const audits = await q<{ n: string }>("SELECT count(*) n FROM audit_log WHERE resource = 'import_jobs' AND record_id = :id AND outcome = 'failed'", { id: String(stale) });
    expect(Number(audits[0].n)).toBe(1);
    expect((await q<{ status: string }>('SELECT status FROM import_jobs WHERE id = :id', { id: fresh }))[0].status).toBe('committing');
    await db.owner.query("UPDATE import_jobs SET status = 'failed' WHERE id = :id", { replacements: { id: fresh } });
  });

  it('a job recovered meanwhile cannot be written by its old runner (its heartbeat and batch updates throw JobLost)', async () => {
    const id = await strandedImport(config.jobs.staleSeconds + 5);
    await recoverStaleJobs(s);
    // As the job's runner would: on the platform's behalf.
    await expect(asPlatform('测试', () => beat(s, 'import_jobs', id))).rejects.toBeInstanceOf(JobLost);
    await expect(asPlatform('测试', () => s.transaction((transaction) => beat(s, 'import_jobs', id, { sets: 'committed_rows = committed_rows + 1000', transaction })))).rejects.toBeInstanceOf(JobLost);
    expect((await q<{ committed_rows: number }>('SELECT committed_rows FROM import_jobs WHERE id = :id', { id }))[0].committed_rows).toBe(1000);
  });
});

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
interface Child { proc: ChildProcess; base: string; output: string[]; exited: Promise<number | null> }
async function startChild(): Promise<Child> {
  const port = await freePort();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-recovery-'));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env, NODE_OPTIONS: '', DATABASE_URL: process.env.TEST_DATABASE_URL, PORT: String(port), DATA_DIR: tmp, ADMIN_JS_TMP_DIR: path.join(tmp, 'adminjs'),
      SESSION_SECRET: 'job-recovery-test-secret-0123456789abcdef', SEED_ON_EMPTY: '0', NODE_ENV: 'development', WARM_BUNDLE: '0', EXPORT_SCHEDULES: '0',
      LOGIN_RATE_LIMIT: '100000', WEB_CONCURRENCY: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  proc.stdout!.on('data', (d) => output.push(String(d)));
  proc.stderr!.on('data', (d) => output.push(String(d)));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const base = `http://127.0.0.1:${port}`;
  await until('子进程就绪', async () => {
    if (proc.exitCode !== null) throw new Error(`子进程启动失败：${output.join('')}`);
    try { return (await fetch(`${base}/healthz`)).ok; } catch { return false; }
  }, 120_000);
  return { proc, base, output, exited };
}

(onPostgres ? describe : describe.skip)('a process killed mid-import (PostgreSQL)', () => {
  it('another live process fails the job within a minute, with the rows that are in; no restart', async () => {
    const { createSandbox } = await import('../helpers/adversarial.js');
    const { loggedIn } = await import('../helpers/platform.js');
    const PASSWORD = 'Recover#Pass2026';
    const box = await createSandbox(db.owner, '任务恢复测试', 40, PASSWORD);
    // The second platform starts once the first one's worker has claimed the job: its worker could claim it otherwise.
    const a = await startChild();
    let b: Child | undefined;
    const marker = `恢复测试${Date.now() % 100000}`;
    try {
      const c = await loggedIn(a.base, box.admin.idNumber, PASSWORD);
      const { default: ExcelJS } = await import('exceljs');
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('导入');
      ws.addRow(['姓名', '身份证号', '培训项目名称', '开始日期', '结束日期', '组织单位', '培训学时', '证明材料']);
      for (let i = 0; i < 1100; i++) {
        const p = box.persons[i % box.persons.length];
        const day = `202${4 + (i % 2)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
        ws.addRow([p.name, p.id_number, `${marker}-${i}`, day, day, '本单位', '0.5', '签到表']);
      }
      // The second batch sleeps in the database at row 1,050: the process dies with it open.
      await db.owner.query(`CREATE OR REPLACE FUNCTION recovery_slow() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.activity_name = '${marker}-1050' THEN PERFORM pg_sleep(120); END IF; RETURN NEW; END $$;
        DROP TRIGGER IF EXISTS recovery_slow ON hour_declarations;
        CREATE TRIGGER recovery_slow BEFORE INSERT ON hour_declarations FOR EACH ROW EXECUTE FUNCTION recovery_slow();`);
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(Buffer.from(await wb.xlsx.writeBuffer()))]), '学时.xlsx');
      const up = await c.json<{ jobId: number }>('/admin/api/resources/hour_declarations/actions/importHours', { method: 'POST', body: form });
      const jobId = up.body.jobId;
      await until('第一批已提交、第二批在数据库中等待', async () => {
        const [job] = await q<{ committed_rows: number }>('SELECT committed_rows FROM import_jobs WHERE id = :jobId', { jobId });
        const [sleeping] = await q<{ n: string }>("SELECT count(*) n FROM pg_stat_activity WHERE wait_event = 'PgSleep'");
        return job.committed_rows === 1000 && Number(sleeping.n) > 0;
      }, 90_000);
      b = await startChild();
      a.proc.kill('SIGKILL');
      await a.exited;
      const killedAt = Date.now();
      await db.owner.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE '%hour_declarations%'");
      // Nobody restarts anything: process B's sweep must find the job.
      const job = await until('另一进程将任务标记为失败', async () => {
        const [j] = await q<{ status: string; committed_rows: number; error: string }>('SELECT status, committed_rows, error FROM import_jobs WHERE id = :jobId', { jobId });
        return j.status === 'failed' ? j : undefined;
      }, 75_000);
      const seconds = (Date.now() - killedAt) / 1000;
      console.log(`SIGKILL mid-import: failed by the other process ${seconds.toFixed(1)} s after the kill (stale ${config.jobs.staleSeconds} s + sweep ${config.jobs.sweepSeconds} s)`);
      expect(seconds).toBeLessThan(60);
      expect(job.committed_rows).toBe(1000);
      expect(job.error).toContain('已提交 1000 行');
      const [{ n }] = await q<{ n: string }>('SELECT count(*) n FROM hour_declarations WHERE activity_name LIKE :m', { m: `${marker}-%` });
      expect(Number(n)).toBe(1000);
      expect(b.output.join('')).toContain(`导入任务 ${jobId} 的处理进程已停止`);
    } finally {
      for (const ch of [a, b]) if (ch) if (ch.proc.exitCode === null && ch.proc.signalCode === null) ch.proc.kill('SIGKILL');
      await db.owner.query('DROP TRIGGER IF EXISTS recovery_slow ON hour_declarations');
    }
  }, 300_000);
});
