/**
 * Adversarial suite, part 3: the real process (`src/main.ts` as a child, on the run's database).
 * - SIGTERM drains: a request in flight completes, new connections are refused, exit code 0.
 * - SIGKILL mid-import: the batch in flight is not applied; at the next start the job is marked
 *   failed with the count of rows that are in (the recovery of `failInterruptedImports`).
 * Both hold a request in the database with pg_sleep in a trigger. On the embedded database that
 * sleep would stop the test process itself (PGlite runs inside it, one backend for everyone),
 * so this part runs on PostgreSQL only, as CI's second run does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { Client } from '../helpers/platform.js';
import { Tally } from '../helpers/adversarial.js';
import type { Database } from '../../src/db/connection.js';
// The platform's modules are loaded only on PostgreSQL (skipped here, the file stays cheap).
const platform = () => import('../helpers/platform.js');

const onPostgres = process.env.TEST_DATABASE_KIND === 'postgresql';
const tally = new Tally();
let db: Database;
let s: Sequelize;
let box: Awaited<ReturnType<typeof import('../helpers/adversarial.js')['createSandbox']>>;
const PASSWORD = 'Proc#Pass2026';

beforeAll(async () => {
  if (!onPostgres) return;
  const { openDatabase } = await import('../../src/db/connection.js');
  const { createSandbox } = await import('../helpers/adversarial.js');
  db = await openDatabase({ url: process.env.TEST_DATABASE_URL, poolMax: 3 });
  s = db.owner;
  box = await createSandbox(s, '对抗进程测试', 60, PASSWORD);
});
afterAll(async () => {
  console.log(tally.line('process: SIGTERM drain, SIGKILL mid-import'));
  if (!onPostgres) return;
  await s.query('DROP TRIGGER IF EXISTS adversarial_slow ON persons; DROP TRIGGER IF EXISTS adversarial_slow ON hour_declarations; DROP FUNCTION IF EXISTS adversarial_slow()');
  await db.close();
});

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

interface Child { proc: ChildProcess; base: string; port: number; output: string[]; exited: Promise<number | null> }
async function startChild(): Promise<Child> {
  const port = await freePort();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-adv-proc-'));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env, NODE_OPTIONS: '', DATABASE_URL: process.env.TEST_DATABASE_URL, PORT: String(port), DATA_DIR: tmp,
      ADMIN_JS_TMP_DIR: path.join(tmp, 'adminjs'), SESSION_SECRET: 'adversarial-process-test-secret-0123456789', SEED_ON_EMPTY: '0', NODE_ENV: 'development', WARM_BUNDLE: '0',
      LOGIN_RATE_LIMIT: '100000', WEB_CONCURRENCY: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  proc.stdout!.on('data', (d) => output.push(String(d)));
  proc.stderr!.on('data', (d) => output.push(String(d)));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) throw new Error(`子进程启动失败：${output.join('')}`);
    try { if ((await fetch(`${base}/healthz`)).ok) return { proc, base, port, output, exited }; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  proc.kill('SIGKILL');
  throw new Error(`子进程未就绪：${output.join('')}`);
}

/** A new TCP connection (no keep-alive pool): resolves to the status, or the connection error's code. */
function freshConnection(port: number): Promise<string> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => { res.resume(); resolve(String(res.statusCode)); });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

async function slowTrigger(table: string, condition: string, seconds: number) {
  await s.query(`CREATE OR REPLACE FUNCTION adversarial_slow() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF ${condition} THEN PERFORM pg_sleep(${seconds}); END IF; RETURN NEW; END $$;
    DROP TRIGGER IF EXISTS adversarial_slow ON ${table};
    CREATE TRIGGER adversarial_slow BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION adversarial_slow();`);
}

(onPostgres ? describe : describe.skip)('the process', () => {
  it('SIGTERM: the request in flight completes, new connections are refused, exit code 0', async () => {
    const child = await startChild();
    try {
      const c: Client = await (await platform()).loggedIn(child.base, box.admin.idNumber, PASSWORD);
      const person = box.persons[0];
      const [before] = await s.query<{ version: number }>('SELECT version FROM persons WHERE id = :id', { replacements: { id: person.id }, type: QueryTypes.SELECT });
      const slow = `slow${Date.now() % 100000}@test.example.com`;
      await slowTrigger('persons', `NEW.email = '${slow}'`, 2);
      const started = Date.now();
      const inFlight = c.json<{ record?: { params: { email: string } } }>(`/admin/api/resources/persons/records/${person.id}/edit`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: slow, version: String(before.version) }).toString(),
      });
      // The request is in the database's sleep when the signal comes.
      for (let i = 0; i < 50; i++) {
        const [busy] = await s.query<{ n: string }>("SELECT count(*) n FROM pg_stat_activity WHERE query LIKE '%UPDATE \"persons\"%' AND state = 'active' AND pid <> pg_backend_pid()", { type: QueryTypes.SELECT });
        if (Number(busy.n) > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      child.proc.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      expect(await freshConnection(child.port)).toBe('ECONNREFUSED');
      const r = await inFlight;
      expect(r.status).toBe(200);
      expect(r.body.record?.params.email).toBe(slow);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      const [after] = await s.query<{ email: string }>('SELECT email FROM persons WHERE id = :id', { replacements: { id: person.id }, type: QueryTypes.SELECT });
      expect(after.email).toBe(slow);
      expect(await child.exited).toBe(0);
      expect(child.output.join('')).toContain('收到 SIGTERM');
      tally.add('SIGTERM drained', 3);
    } finally {
      if (child.proc.exitCode === null) child.proc.kill('SIGKILL');
      await s.query('DROP TRIGGER IF EXISTS adversarial_slow ON persons');
    }
  }, 120_000);

  it('SIGKILL mid-import: the batch in flight is not applied; recovery marks the job failed with the rows in', async () => {
    const child = await startChild();
    const marker = `进程中断${Date.now() % 100000}`;
    try {
      const c = await (await platform()).loggedIn(child.base, box.admin.idNumber, PASSWORD);
      // 1,100 valid rows: the first batch (1,000) commits; the second sleeps in the database at row 1,050.
      const { default: ExcelJS } = await import('exceljs');
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('导入');
      ws.addRow(['姓名', '身份证号', '培训项目名称', '开始日期', '结束日期', '组织单位', '培训学时', '证明材料']);
      for (let i = 0; i < 1100; i++) {
        const p = box.persons[i % box.persons.length];
        const day = `202${4 + (i % 2)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
        ws.addRow([p.name, p.id_number, `${marker}-${i}`, day, day, '本单位', '0.5', '签到表']);
      }
      await slowTrigger('hour_declarations', `NEW.activity_name = '${marker}-1050'`, 30);
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(Buffer.from(await wb.xlsx.writeBuffer()))]), '学时.xlsx');
      const up = await c.json<{ jobId: number }>('/admin/api/resources/hour_declarations/actions/importHours', { method: 'POST', body: form });
      const jobId = up.body.jobId;
      expect(jobId).toBeGreaterThan(0);
      let job: { status: string; committed_rows: number } | undefined;
      for (let i = 0; i < 300; i++) {
        [job] = await s.query<{ status: string; committed_rows: number }>('SELECT status, committed_rows FROM import_jobs WHERE id = :id', { replacements: { id: jobId }, type: QueryTypes.SELECT });
        const [sleeping] = await s.query<{ n: string }>("SELECT count(*) n FROM pg_stat_activity WHERE wait_event = 'PgSleep'", { type: QueryTypes.SELECT });
        if (job.committed_rows === 1000 && Number(sleeping.n) > 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(job).toMatchObject({ status: 'committing', committed_rows: 1000 });
      // The process dies with the second batch's transaction open.
      child.proc.kill('SIGKILL');
      expect(await child.exited).toBe(null);
      // Its database session ends with it (PostgreSQL notices the closed socket when the sleep ends; do not wait 30 s).
      await s.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE '%hour_declarations%'");
      await s.query('DROP TRIGGER IF EXISTS adversarial_slow ON hour_declarations');
      // At the next start (here: the same recovery, without waiting out the heartbeat's grace period).
      const { failInterruptedImports } = await import('../../src/services/import/engine.js');
      (await import('../../src/services/audit.js')).bindAudit(s); // the recovery audits each job it fails
      expect(await failInterruptedImports(s, 0)).toBeGreaterThanOrEqual(1);
      const [after] = await s.query<{ status: string; committed_rows: number; error: string }>('SELECT status, committed_rows, error FROM import_jobs WHERE id = :id', { replacements: { id: jobId }, type: QueryTypes.SELECT });
      expect(after.status).toBe('failed');
      expect(after.error).toContain('已提交 1000 行');
      const [{ n }] = await s.query<{ n: string }>('SELECT count(*) n FROM hour_declarations WHERE activity_name LIKE :m', { replacements: { m: `${marker}-%` }, type: QueryTypes.SELECT });
      expect(Number(n)).toBe(1000);
      tally.add('killed import: no half batch', 1);
    } finally {
      if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
      await s.query('DROP TRIGGER IF EXISTS adversarial_slow ON hour_declarations');
    }
  }, 120_000);
});

// Keeps the file a suite on the embedded run, where the part above is skipped (reason at the top).
it('runs the process part on PostgreSQL only', () => { expect(typeof onPostgres).toBe('boolean'); });
