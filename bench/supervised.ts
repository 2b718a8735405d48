/**
 * Issue 16, item 6: memory per process. The worker scenarios (scenarios/worker.ts) run the
 * platform as `npm start` does — `node dist/main.mjs`, the supervisor with its web processes and
 * its job worker (heap capped at 256 MB) — against the benchmark's database, and sample each
 * child's resident memory from /proc/<pid>/status (VmRSS, every 25 ms), so the figures are the
 * worker's own and the web processes' own, not the benchmark process's.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../config/index.js';

export interface Supervised {
  base: string;
  workerPid: number;
  webPids: number[];
  log(): string;
  stop(): Promise<number | null>;
}

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address() as net.AddressInfo; s.close(() => resolve(port)); });
});

export async function startSupervised(url: string, env: Record<string, string> = {}): Promise<Supervised> {
  const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: projectRoot, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`构建失败：${built.stderr}`);
  const port = await freePort();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-bench-supervised-'));
  // BENCH_PLATFORM_NODE_ARGS: node options for every platform process (web and worker inherit the
  // supervisor's), e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile a scenario as it runs.
  const nodeArgs = (process.env.BENCH_PLATFORM_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, ['--enable-source-maps', ...nodeArgs, path.join(projectRoot, 'dist/main.mjs')], {
    cwd: projectRoot,
    env: {
      ...process.env, NODE_OPTIONS: '', DATABASE_URL: url, PORT: String(port), SESSION_SECRET: 'bench-supervised-secret-0123456789abcdef01234',
      SEED_ON_EMPTY: '0', WARM_BUNDLE: '0', EXPORT_SCHEDULES: '0', LOGIN_RATE_LIMIT: '1000000', JOB_POLL_MS: '100',
      ADMIN_JS_TMP_DIR: path.join(tmp, 'adminjs'), DATA_DIR: path.join(tmp, 'data'), ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  child.stdout!.on('data', (d) => out.push(String(d)));
  child.stderr!.on('data', (d) => out.push(String(d)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const log = () => out.join('');
  for (const end = Date.now() + 180_000; !log().includes('管理后台已启动');) {
    if (child.exitCode !== null || Date.now() > end) throw new Error(`平台未能启动：${log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base: `http://127.0.0.1:${port}`,
    workerPid: Number(/任务进程已启动（pid (\d+)/.exec(log())![1]),
    webPids: [...log().matchAll(/网页进程 \d+ 已启动（pid (\d+)/g)].map((m) => Number(m[1])),
    log,
    async stop() { child.kill('SIGTERM'); return exited; },
  };
}

/** Resident memory of a process now, in MB (0 when it is gone). */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch { return 0; }
}

/** Peak resident memory of each pid while `fn` runs (sampled every 25 ms), and their figures before. */
export async function sampled<T>(pids: number[], fn: () => Promise<T>): Promise<{ result: T; ms: number; before: number[]; peak: number[] }> {
  const before = pids.map(rssMb);
  const peak = [...before];
  const timer = setInterval(() => pids.forEach((pid, i) => { peak[i] = Math.max(peak[i], rssMb(pid)); }), 25);
  const t0 = performance.now();
  try {
    const result = await fn();
    return { result, ms: performance.now() - t0, before, peak };
  } finally {
    clearInterval(timer);
    pids.forEach((pid, i) => { peak[i] = Math.max(peak[i], rssMb(pid)); });
  }
}
