/**
 * `npm start`: the supervisor (主进程), issue 16 items 1–2. One command starts the whole platform
 * on http://localhost:PORT/admin:
 *
 * 1. the database: DATABASE_URL, or else the embedded PostgreSQL (PGlite) in the data folder —
 *    only one process can open that folder, so this process opens it and serves it on a local
 *    socket (src/db/embedded.ts, pglite-socket) that every child connects to as to a server;
 * 2. migrations, the permission catalog and, on an empty database, the demo data — once, here,
 *    before any child starts;
 * 3. WEB_CONCURRENCY web processes (default: the machine's cores; src/web.ts) sharing the port
 *    through node:cluster, and one job worker (src/worker.ts) with a capped heap
 *    (--max-old-space-size, WORKER_HEAP_MB, default 256). A child that dies is started again
 *    (a killed worker's jobs go back to the queue and the new worker runs them).
 *
 * SIGTERM/SIGINT: every child is asked to stop (web: in-flight requests finish; worker: running
 * jobs finish, nothing new is claimed), then the embedded database closes; exit 0 when every
 * child stopped cleanly. This process loads no AdminJS: it is small and does not restart.
 */
import cluster, { type Worker as ClusterWorker } from 'node:cluster';
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { config } from '../config/index.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded.js';
import { openDatabase } from './db/connection.js';
import { migrate } from './db/migrator.js';
import { databaseIsEmpty, seedDemoData } from './db/seed.js';
import { syncPermissionCatalog } from './access/catalog-sync.js';
import { sessionSecret } from './auth/session-secret.js';
import { routeConsole } from './ops/log.js';
import { answerWorkersMetrics } from './ops/cluster-metrics.js';

// Every line the process writes is one JSON object (src/ops/log.ts), console's included.
routeConsole();
// /metrics on any web process answers the sum of all of them (src/ops/cluster-metrics.ts).
answerWorkersMetrics();
import { rateLimitSchemaReady } from './auth/rate-limit-schema.js';

const started = Date.now();
const log = (s: string) => console.log(s);
const here = fileURLToPath(import.meta.url);
/** The sibling entry points, as this one runs: dist/*.mjs (npm start) or src/*.ts (tsx, tests). */
const sibling = (name: string) => path.join(path.dirname(here), `${name}${path.extname(here)}`);

function count(name: string, fallback: number): number {
  const v = process.env[name];
  const n = v === undefined || v === '' ? fallback : Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`环境变量 ${name} 应为正整数，实际为「${v}」`);
  return n;
}
const WEB = count('WEB_CONCURRENCY', os.availableParallelism());
const WORKER_HEAP_MB = count('WORKER_HEAP_MB', 256);

let embedded: EmbeddedDatabase | undefined;
let url = config.databaseUrl;
try {
  // Before any child: one secret for all of them (generated once per data folder in development).
  sessionSecret(config.dataDir);
  // AdminJS rebuilds the panel's bundle only when it is missing: drop the one older code left.
  fs.rmSync(path.resolve(process.env.ADMIN_JS_TMP_DIR ?? '.adminjs', 'bundle.js'), { force: true });
  if (!url) {
    // Each child: its pool, the owner's 2, the session store's ≤ 4; and this process's own.
    embedded = await startEmbeddedDatabase(path.join(config.dataDir, 'pg'), (WEB + 1) * (config.dbPoolMax + 6) + 4);
    url = embedded.url;
  }
  const db = await openDatabase({ url, poolMax: 2, replicaUrl: null });
  try {
    const applied = await migrate(db.owner);
    if (applied.length) log(`已应用数据库迁移：${applied.join(', ')}`);
    await syncPermissionCatalog(db.owner);
    // The per-address limits' schema, before the web processes would each migrate it at once.
    await rateLimitSchemaReady(url);
    if (config.seedOnEmpty && await databaseIsEmpty(db.owner)) {
      log('首次启动：正在生成演示数据……');
      const s = await seedDemoData(db.owner, { log });
      log(`演示数据已生成：机构 ${s.organisations} 个，专技人员 ${s.persons} 人，学时申报 ${s.declarations} 条，用时 ${(s.ms / 1000).toFixed(1)} 秒`);
    }
  } finally {
    await db.close();
  }
} catch (e) {
  console.error('启动失败：', e instanceof Error ? e.message : e);
  await embedded?.stop().catch(() => undefined);
  process.exit(1);
}
log(`数据库：${embedded ? `内置 PostgreSQL（数据目录 ${config.dataDir}，由主进程 ${process.pid} 提供给各子进程）` : '外部 PostgreSQL（DATABASE_URL）'}`);

// ── children ────────────────────────────────────────────────────────────────
type Child = { kind: 'web'; index: number; proc: ClusterWorker } | { kind: 'worker'; proc: ChildProcess };
const children = new Set<Child>();
let stopping = false;
let allExitedCleanly = true;
const restarts = new Map<string, number>();
const childEnv = (extra: Record<string, string>) => ({ ...process.env, DATABASE_URL: url!, CE_SUPERVISED: '1', ...extra });

function pidOf(c: Child) { return c.kind === 'web' ? c.proc.process.pid : c.proc.pid; }

/** A child that died while not stopping comes back, after 1 s, 2 s, 4 s … (at most 30 s) if it keeps dying. */
function onExit(c: Child, code: number | null, signal: string | null, restart: () => void) {
  children.delete(c);
  const name = c.kind === 'web' ? `网页进程 ${c.index + 1}` : '任务进程';
  if (stopping) {
    if (code !== 0) { allExitedCleanly = false; console.error(`${name}（pid ${pidOf(c)}）退出：${signal ?? `代码 ${code}`}`); }
    if (!children.size) void finish();
    return;
  }
  const key = c.kind === 'web' ? `web${c.index}` : 'worker';
  const n = (restarts.get(key) ?? 0) + 1;
  restarts.set(key, n);
  const delay = Math.min(30_000, 1000 * 2 ** Math.min(n - 1, 5));
  console.error(`${name}（pid ${pidOf(c)}）意外退出（${signal ?? `代码 ${code}`}），${delay / 1000} 秒后重新启动`);
  setTimeout(() => { if (!stopping) restart(); }, delay).unref();
}

function startWorker(): void {
  const proc = fork(sibling('worker'), [], {
    execArgv: [...process.execArgv, `--max-old-space-size=${WORKER_HEAP_MB}`],
    env: childEnv({}),
    stdio: 'inherit',
  });
  const c: Child = { kind: 'worker', proc };
  children.add(c);
  proc.on('message', (m: { worker?: string }) => { if (m?.worker === 'ready') { restarts.delete('worker'); ready(); } });
  proc.once('exit', (code, signal) => onExit(c, code, signal, startWorker));
}

function startWeb(index: number): void {
  cluster.setupPrimary({ exec: sibling('web'), execArgv: process.execArgv, silent: false });
  // In production AdminJS bundles the panel's components at start: the first web process does.
  const proc = cluster.fork(childEnv({ CE_WEB_INDEX: String(index), ...(index > 0 && config.isProduction ? { ADMIN_JS_SKIP_BUNDLE: 'true' } : {}) }));
  const c: Child = { kind: 'web', index, proc };
  children.add(c);
  proc.on('message', (m: { web?: string }) => { if (m?.web === 'ready') { restarts.delete(`web${index}`); ready(); } });
  proc.once('exit', (code, signal) => onExit(c, code, signal, () => startWeb(index)));
}

let readyCount = 0;
let announced = false;
function ready() {
  if (announced || ++readyCount < WEB + 1) return;
  announced = true;
  log(`管理后台已启动：http://localhost:${config.port}/admin （网页进程 ${WEB} 个，任务进程 1 个；启动用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒）`);
}

startWorker();
for (let i = 0; i < WEB; i++) startWeb(i);

// ── stopping ────────────────────────────────────────────────────────────────
async function finish() {
  await embedded?.stop().catch((e) => { allExitedCleanly = false; console.error('内置数据库关闭失败：', e); });
  log(`平台已停止${allExitedCleanly ? '' : '（有子进程未正常退出）'}`);
  process.exit(allExitedCleanly ? 0 : 1);
}

function stop(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  log(`收到 ${signal}，正在停止网页进程与任务进程（运行中的任务完成后退出）……`);
  // Past the children's own limits (web 30 s, worker 55 s): whatever is left is killed.
  setTimeout(() => {
    for (const c of children) (c.kind === 'web' ? c.proc.process : c.proc).kill('SIGKILL');
    allExitedCleanly = false;
  }, 60_000).unref();
  if (!children.size) return void finish();
  for (const c of children) (c.kind === 'web' ? c.proc.process : c.proc).kill('SIGTERM');
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
