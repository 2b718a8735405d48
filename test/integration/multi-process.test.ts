/**
 * Two application processes against one database, as behind a load balancer without sticky
 * sessions: a session opened on one process works on the other (sessions live in PostgreSQL,
 * the secret is shared), and a logout on one ends it on both. Real OS processes
 * (`tsx src/main.ts`), each on its own port, on the run's database — PGlite or PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PASSWORD } from '../../src/db/demo-accounts.js';

const ROOT = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../..');
const SECRET = 'multi-process-test-secret-0123456789abcdef';
const LIST = '/admin/api/resources/persons/actions/list?page=1&perPage=5&sortBy=name&direction=asc';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

interface App { port: number; child: ChildProcess; output: string[] }

async function startApp(): Promise<App> {
  const port = await freePort();
  const output: string[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-multi-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env, NODE_OPTIONS: '', DATABASE_URL: process.env.TEST_DATABASE_URL, PORT: String(port), SESSION_SECRET: SECRET,
      // The per-address counters are shared through the database with every other test file's logins.
      LOGIN_RATE_LIMIT: '100000', WEB_CONCURRENCY: '1',
      // The panel's bundle is never requested here: building it (rollup + babel) would only compete for the CPU.
      WARM_BUNDLE: '0',
      ADMIN_JS_TMP_DIR: path.join(tmp, 'adminjs'), DATA_DIR: path.join(tmp, 'data'), DB_POOL_MAX: '3',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  return { port, child, output };
}

async function ready(app: App, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (app.child.exitCode !== null) throw new Error(`process exited: ${app.output.join('')}`);
    try {
      const r = await fetch(`http://127.0.0.1:${app.port}/admin/login`);
      // And the supervisor has announced its web process and its worker (both started).
      if (r.status === 200 && app.output.join('').includes('管理后台已启动')) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not ready: ${app.output.join('')}`);
}

/** SIGTERM, as a process manager stops it; SIGKILL if it has not exited after 20 s. */
function stop(app: App): Promise<void> {
  return new Promise((resolve) => {
    if (app.child.exitCode !== null || app.child.signalCode !== null) return resolve();
    const kill = setTimeout(() => app.child.kill('SIGKILL'), 20_000);
    app.child.once('exit', () => { clearTimeout(kill); resolve(); });
    app.child.kill('SIGTERM');
  });
}

const cookiesOf = (r: Response, jar: Map<string, string>) => {
  for (const c of r.headers.getSetCookie()) { const kv = c.split(';')[0]; jar.set(kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)); }
};
const header = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

describe('two application processes, one database', () => {
  let a: App;
  let b: App;
  beforeAll(async () => {
    [a, b] = [await startApp(), await startApp()];
    await Promise.all([ready(a), ready(b)]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([a && stop(a), b && stop(b)]);
  }, 30_000);

  it('a session opened on one process works on the other, and a logout on either ends it', async () => {
    const jar = new Map<string, string>();
    const login = await fetch(`http://127.0.0.1:${a.port}/admin/login`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: '370102198506200033', password: DEMO_PASSWORD }).toString(),
    });
    expect(login.status).toBe(302);
    cookiesOf(login, jar);
    expect(jar.has('adminjs')).toBe(true);

    for (const app of [a, b]) {
      const r = await fetch(`http://127.0.0.1:${app.port}${LIST}`, { redirect: 'manual', headers: { cookie: header(jar) } });
      expect(r.status).toBe(200);
      const body = await r.json() as { records: unknown[]; meta: { total: number } };
      expect(body.records.length).toBeGreaterThan(0);
    }
    // Without the cookie, process B knows nobody.
    const anonymous = await fetch(`http://127.0.0.1:${b.port}${LIST}`, { redirect: 'manual' });
    expect(anonymous.status).not.toBe(200);

    // Log out on B: the session is gone on A as well.
    const out = await fetch(`http://127.0.0.1:${b.port}/admin/logout`, { redirect: 'manual', headers: { cookie: header(jar) } });
    expect([200, 302]).toContain(out.status);
    const after = await fetch(`http://127.0.0.1:${a.port}${LIST}`, { redirect: 'manual', headers: { cookie: header(jar) } });
    expect(after.status).not.toBe(200);
  }, 180_000);
});
