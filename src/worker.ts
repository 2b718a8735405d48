/**
 * The job worker (任务进程), issue 16 item 1: imports, exports (manual and scheduled), the
 * recomputes of yearly totals a new rule of the year asks for (重算任务, issue 18.5) and the
 * periodic tasks run here, in a process of their own with a capped heap (src/main.ts starts it
 * with --max-old-space-size=256), so a 50,000-row import no longer grows the panel's process.
 * It loads no AdminJS, no React and no panel bundle: only the engine (src/access, src/services,
 * src/jobs) — test/unit/worker-bundle.test.ts checks the bundle's inputs.
 *
 * The queue is the job tables themselves (import_jobs, export_jobs): web processes insert a
 * row; this process claims the oldest due one (`UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP
 * LOCKED)`), runs it with its heartbeat, and sweeps for jobs whose worker died — those go back
 * to the queue (src/jobs/recovery.ts). The periodic tasks (node-cron), export schedules among them, fire here only.
 *
 * SIGTERM: no new claims, no new schedule runs; the jobs under way finish (an export retry
 * waiting for its backoff is already back in the queue, `run_after`), then the database closes.
 * Started alone (`node dist/worker.mjs`) it needs DATABASE_URL (or the supervisor's embedded one).
 */
import { openDatabase } from './db/connection.js';
import { bindAudit } from './services/audit.js';
import { defineModels } from './db/models.js';
import { setJobMode, workerId } from './jobs/queue.js';
import { startJobSweeper } from './jobs/recovery.js';
import { startPeriodicTasks } from './jobs/periodic.js';
import { seedConfiguredSchedules } from './services/exports/schedules.js';
import { runNextExport, runningExports, stopExportRetries } from './services/exports/jobs.js';
import { runNextImport } from './services/import/engine.js';
import { runNextRecompute, stopRecomputes } from './jobs/recompute.js';
import v8 from 'node:v8';
import { startTempSweeper } from './services/temp-files.js';
import './services/import/hours-import.js';
import './services/import/persons-import.js';
import { routeConsole } from './ops/log.js';

// One JSON object per line (src/ops/log.ts), console's included.
routeConsole();

const log = (s: string) => console.log(s);
/** How often an idle worker looks at the queue (ms). A web process's job waits at most this long. */
const POLL_MS = Number(process.env.JOB_POLL_MS ?? 500) || 500;
/** Jobs at once: imports hold a file and its rows, exports stream; both within the 256 MB heap. */
const SLOTS = { imports: Number(process.env.WORKER_IMPORTS ?? 1) || 1, exports: Number(process.env.WORKER_EXPORTS ?? 2) || 2, recomputes: 1 };

if (!process.env.DATABASE_URL) {
  console.error('任务进程需要数据库地址：请设置 DATABASE_URL，或用 npm start 启动（内置数据库由主进程提供）');
  process.exit(2);
}
setJobMode('queue');
let stopRequested: string | null = null;
const early = (signal: string) => { stopRequested = signal; };
process.on('SIGTERM', early);
process.on('SIGINT', early);
const db = await openDatabase();
bindAudit(db.sequelize);
// The reports read through the models (Person, Organisation …), as in a web process.
defineModels(db.sequelize);
startTempSweeper();
const releaseSweeper = startJobSweeper(db.sequelize, log);
const periodic = startPeriodicTasks(db.sequelize, undefined, log);
// The schedules live in export_schedules (定时导出管理) and fire as the periodic task
// `export-schedules` above; config/scheduled-exports.ts only seeds them, once each.
if (process.env.EXPORT_SCHEDULES !== '0') {
  const seeded = await seedConfiguredSchedules(db.sequelize);
  if (seeded) log(`已将 ${seeded} 个配置的定时导出写入「定时导出管理」`);
}

let stopping = false;
const idlers = new Set<() => void>();
const idle = () => new Promise<void>((resolve) => {
  const done = () => { clearTimeout(timer); idlers.delete(done); resolve(); };
  const timer = setTimeout(done, POLL_MS);
  idlers.add(done);
});
/**
 * Is any job of the table due? One plain statement (no parameters, no transaction) through the
 * owner's connection — a peek at the queue, no row of any jurisdiction read. The claim itself
 * goes through the walled connection as the platform. Measured why: on the embedded database a
 * walled claim is BEGIN, the access settings, the UPDATE, COMMIT — four round trips during which
 * the one backend serves nobody else; with two platforms' workers polling under load a login
 * took 42 s; the peek is one atomic message.
 */
type QueueTable = 'import_jobs' | 'export_jobs' | 'recompute_jobs';
async function due(table: QueueTable): Promise<boolean> {
  try {
    const [[row]] = await db.owner.query(`SELECT EXISTS (SELECT 1 FROM ${table} WHERE status = 'queued' AND (run_after IS NULL OR run_after <= now())) AS due`) as unknown as [[{ due: boolean }]];
    return row.due;
  } catch (e) {
    console.error('任务进程：查看队列失败（下次再试）：', (e as Error).message);
    return false;
  }
}

/**
 * One lane per kind: while it has a free slot it claims the next due job and starts it; when the
 * queue has none (or every slot is busy) it waits for the next tick or for a job to end. Idle,
 * that is one claim query per kind and tick — the embedded database serves every process's
 * queries one transaction at a time, so idle polling must stay light.
 */
async function lane(kind: string, table: QueueTable, slots: number, next: (claimed: (found: boolean) => void) => Promise<unknown>): Promise<void> {
  const running = new Set<Promise<unknown>>();
  while (!stopping) {
    if (running.size < slots && await due(table)) {
      const found = await new Promise<boolean>((resolve) => {
        const run: Promise<unknown> = next(resolve)
          .catch((e) => { console.error(`任务进程：${kind}任务出错：`, e); })
          .finally(() => { resolve(false); running.delete(run); for (const wake of idlers) wake(); });
        running.add(run);
      });
      if (found) continue;
    }
    if (!stopping) await idle();
  }
  // Stopping: the jobs under way finish.
  await Promise.allSettled([...running]);
}
const slots = [
  lane('导入', 'import_jobs', SLOTS.imports, (claimed) => runNextImport(db.sequelize, claimed)),
  lane('导出', 'export_jobs', SLOTS.exports, (claimed) => runNextExport(db.sequelize, claimed)),
  // 重算任务 (issue 18.5): the totals a new rule of the year changes, one job at a time, in
  // batches that each commit their progress; a stopped worker's job continues from its cursor.
  lane('重算', 'recompute_jobs', SLOTS.recomputes, (claimed) => runNextRecompute(db.sequelize, claimed)),
];

log(`任务进程已启动（pid ${process.pid}，${workerId}，堆上限 ${Math.round(v8.getHeapStatistics().heap_size_limit / 1024 / 1024)} MB，` +
  `${db.embedded ? '内置 PostgreSQL' : '外部 PostgreSQL'}，同时导入 ${SLOTS.imports} 个、导出 ${SLOTS.exports} 个、重算 ${SLOTS.recomputes} 个）`);
process.send?.({ worker: 'ready' });

async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`任务进程收到 ${signal}，不再领取新任务，等待运行中的任务完成……`);
  const force = setTimeout(() => { console.error('任务进程：等待任务超时，强制退出（未完成的任务将由下一个任务进程接手）'); process.exit(1); }, 55_000);
  force.unref();
  for (const wake of idlers) wake();
  // A recompute under way ends its batch and goes back to the queue with its cursor.
  stopRecomputes();
  // Each lane returns once its jobs under way have finished.
  await Promise.allSettled(slots);
  await periodic.stop();
  stopExportRetries();
  await Promise.allSettled(runningExports());
  releaseSweeper();
  await db.close();
  log('任务进程已停止');
  process.exit(0);
}
process.off('SIGTERM', early);
process.off('SIGINT', early);
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
if (stopRequested) void stop(stopRequested);
// The supervisor is gone (killed): no orphan keeps claiming jobs; what runs is recovered by the next worker.
process.on('disconnect', () => { if (!stopping) process.exit(1); });
