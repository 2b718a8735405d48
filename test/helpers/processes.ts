/**
 * The real platform as operators start it (`node dist/main.mjs`: the supervisor, its web
 * processes and its job worker), for tests that need OS processes: a free port, the output
 * collected, waits on conditions (never fixed sleeps), SIGTERM with a SIGKILL fallback.
 * The pattern is multi-process.test.ts's, on the built bundles instead of tsx.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

/** `npm run build` (esbuild, ~1 s): the bundles the process runs are those of this checkout. */
export function buildBundles(): void {
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`构建失败：${r.stdout}${r.stderr}`);
}

export async function until<T>(what: string, probe: () => Promise<T | undefined | false | null> | T | undefined | false | null, ms: number, everyMs = 200): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`等待超时：${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface Platform {
  child: ChildProcess;
  port: number;
  base: string;
  output: string[];
  log(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node dist/main.mjs` on the run's database, on a port of its own; resolves once it announced itself. */
export async function startPlatform(env: Record<string, string> = {}, readyMs = 150_000): Promise<Platform> {
  const port = await freePort();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-supervised-'));
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.mjs'], {
    cwd: ROOT,
    env: {
      ...process.env, NODE_OPTIONS: '', DATABASE_URL: process.env.TEST_DATABASE_URL, PORT: String(port),
      SESSION_SECRET: 'supervised-test-secret-0123456789abcdef0123', SEED_ON_EMPTY: '0', NODE_ENV: 'development',
      WARM_BUNDLE: '0', EXPORT_SCHEDULES: '0', LOGIN_RATE_LIMIT: '100000', DB_POOL_MAX: '3',
      ADMIN_JS_TMP_DIR: path.join(tmp, 'adminjs'), DATA_DIR: path.join(tmp, 'data'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const p: Platform = { child, port, base: `http://127.0.0.1:${port}`, output, log: () => output.join(''), exited };
  await until('平台启动', () => {
    if (child.exitCode !== null) throw new Error(`进程已退出：${p.log()}`);
    return p.log().includes('管理后台已启动');
  }, readyMs);
  return p;
}

/** SIGTERM, as a process manager stops it; SIGKILL after `ms`. Resolves with how it exited. */
export async function stopPlatform(p: Platform, ms = 60_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (p.child.exitCode === null && p.child.signalCode === null) {
    const kill = setTimeout(() => p.child.kill('SIGKILL'), ms);
    p.child.kill('SIGTERM');
    const r = await p.exited;
    clearTimeout(kill);
    return r;
  }
  return p.exited;
}

/** The pids the log announced for the worker (任务进程), in order of start. */
export function workerPids(p: Platform): number[] {
  return [...p.log().matchAll(/任务进程已启动（pid (\d+)/g)].map((m) => Number(m[1]));
}

/** Is a process alive (signal 0)? */
export function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}
