/**
 * What operators watch (issue 16 item 5): GET /metrics in the Prometheus text format
 * (prom-client). Per web process:
 *
 * - ce_http_request_duration_seconds{method,route,status} — request latency by route; the route
 *   is Express's pattern, never the raw URL, so ids and filters neither multiply the series nor
 *   leak into them (`/admin/api/resources/persons/records/:recordId/show`: the resource and
 *   action of an answered panel request are named, both from a bounded set); unmatched →
 *   `unmatched`;
 * - ce_login_failures_total{reason} — refused logins (wrong_password, unknown, locked,
 *   rate_limited, pending, …), the signal of password guessing;
 * - ce_db_pool_connections{pool,state} — the app's, the read replica's and the session store's
 *   pools: used, idle, waiting (queued acquirers), max;
 * - Node's defaults (process_resident_memory_bytes, nodejs_heap_size_used_bytes,
 *   nodejs_eventloop_lag_seconds, …).
 *
 * Read from the database at each scrape, so whichever process is scraped tells the whole
 * queue's truth (jobs run in any process — or in a worker):
 *
 * - ce_job_queue_depth{queue,status} — import and export jobs waiting or under way;
 * - ce_job_oldest_queued_seconds{queue} — how long the oldest waiting job has waited;
 * - ce_job_duration_seconds{queue,outcome} — a histogram of finished jobs' run time
 *   (finished_at − started_at), cumulative over the jobs the tables keep;
 * - ce_replica_replay_lag_seconds — with a read replica: 0 when it has replayed all it
 *   received, else the age of its last replayed commit; −1 when it cannot be reached.
 *
 * Those two queries scan the job tables (kept small by retention). A whole scrape — 235 lines,
 * 12.7 KB — answered in 21–103 ms, median 44 ms (20 scrapes, 2 cores under a load average of
 * 15); at one scrape every 15 s that is noise.
 */
import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import client from 'prom-client';
import { QueryTypes, type Sequelize } from 'sequelize';
import type pg from 'pg';
import type { Request, Response, NextFunction } from 'express';
import { asPlatform } from '../access/context.js';
import { replicaOf } from '../db/replica.js';
import { logger } from './log.js';
import { ANSWER_MS, METRICS_ANSWER, METRICS_REQUEST } from './cluster-metrics.js';

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });
// A cluster worker answers its primary's requests for this registry (src/ops/cluster-metrics.ts).
if (cluster.isWorker) {
  client.AggregatorRegistry.setRegistries([registry]);
  new client.AggregatorRegistry();
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpDuration = new client.Histogram({
  name: 'ce_http_request_duration_seconds',
  help: 'HTTP request latency by route pattern, method and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const loginFailures = new client.Counter({
  name: 'ce_login_failures_total',
  help: 'Refused logins by reason',
  labelNames: ['reason'] as const,
  registers: [registry],
});

// ── what the metrics read: the pools and the database of the app being served ─

interface Sources { sequelize: Sequelize; storePool?: pg.Pool }
let sources: Sources | null = null;

/** The app (src/server.ts) tells the metrics what to read; the last app created wins (tests make several). */
export function watchDatabase(s: Sources): () => void {
  sources = s;
  return () => { if (sources === s) sources = null; };
}

interface SequelizePool { size: number; available: number; using: number; waiting: number; maxSize: number }
const poolOf = (s: Sequelize) => (s as unknown as { connectionManager: { pool?: SequelizePool } }).connectionManager.pool;

new client.Gauge({
  name: 'ce_db_pool_connections',
  help: 'Database pool connections by pool (app, replica, session) and state (used, idle, waiting, max)',
  labelNames: ['pool', 'state'] as const,
  registers: [registry],
  collect() {
    this.reset();
    if (!sources) return;
    const pools: Array<[string, SequelizePool | undefined]> = [['app', poolOf(sources.sequelize)]];
    const reader = replicaOf(sources.sequelize);
    if (reader) pools.push(['replica', poolOf(reader)]);
    for (const [name, p] of pools) {
      if (!p || typeof p.using !== 'number') continue;
      this.set({ pool: name, state: 'used' }, p.using);
      this.set({ pool: name, state: 'idle' }, p.available);
      this.set({ pool: name, state: 'waiting' }, p.waiting);
      this.set({ pool: name, state: 'max' }, p.maxSize);
    }
    const sp = sources.storePool;
    if (sp) {
      this.set({ pool: 'session', state: 'used' }, sp.totalCount - sp.idleCount);
      this.set({ pool: 'session', state: 'idle' }, sp.idleCount);
      this.set({ pool: 'session', state: 'waiting' }, sp.waitingCount);
      this.set({ pool: 'session', state: 'max' }, (sp as unknown as { options: { max: number } }).options.max);
    }
  },
});

/** The job tables and what their statuses mean for the queue. */
const QUEUES = [
  { queue: 'import', table: 'import_jobs', waiting: ['queued'], running: ['validating', 'committing'], succeeded: 'succeeded' },
  { queue: 'export', table: 'export_jobs', waiting: ['queued'], running: ['running'], succeeded: 'succeeded' },
  // 重算任务 (migration 018): a superseded job is neither, and is not timed.
  { queue: 'recompute', table: 'recompute_jobs', waiting: ['queued'], running: ['running'], succeeded: 'done' },
];
const JOB_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];

const ofDatabase = <T extends object>(sql: string) => {
  const s = sources?.sequelize;
  if (!s) return Promise.resolve([] as T[]);
  // As the platform: the queue is every jurisdiction's.
  return asPlatform('运行指标', () => s.query<T>(sql, { type: QueryTypes.SELECT }));
};

// Read from the database: every process reads the same, so a cluster's aggregate takes one (max).
const queueDepth = new client.Gauge({
  name: 'ce_job_queue_depth',
  help: 'Jobs waiting (queued) or under way (running), by queue',
  labelNames: ['queue', 'status'] as const,
  registers: [registry],
  aggregator: 'max',
  async collect() { await readQueuesOnce(); },
});
const oldestQueued = new client.Gauge({
  name: 'ce_job_oldest_queued_seconds',
  help: 'Age of the oldest waiting job, by queue (0 when none waits)',
  labelNames: ['queue'] as const,
  registers: [registry],
  aggregator: 'max',
  async collect() { await readQueuesOnce(); },
});

const replicaLag = new client.Gauge({
  name: 'ce_replica_replay_lag_seconds',
  help: 'How far the read replica trails the primary (0 when it has replayed all it received); absent without a replica, -1 when unreachable',
  registers: [registry],
  aggregator: 'max',
  async collect() { await readReplicaLag(); },
});

/** The standby's own view: replayed all it received → 0, else the age of the last replayed commit. */
async function readReplicaLag(): Promise<void> {
  replicaLag.reset();
  const primary = sources?.sequelize;
  if (!primary) return;
  const reader = replicaOf(primary);
  if (!reader) return;
  try {
    const [row] = await asPlatform('运行指标', () => reader.query<{ lag: string | null }>(
      `SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                   ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END lag`, { type: QueryTypes.SELECT }));
    replicaLag.set(Number(row?.lag ?? 0));
  } catch (e) {
    replicaLag.set(-1);
    logger.warn({ err: e }, '运行指标：读副本不可达');
  }
}

interface DurationRow { queue: string; outcome: string; buckets: number[]; count: string; sum: string | null }
let durations: DurationRow[] = [];
let reading: Promise<void> | null = null;
/** One reading serves the three metrics of a scrape (they collect at once); the next scrape reads anew. */
function readQueuesOnce(): Promise<void> {
  reading ??= readQueues().finally(() => { reading = null; });
  return reading;
}

/** One query for the depth gauges and the duration histogram, run once per scrape. */
async function readQueues(): Promise<void> {
  queueDepth.reset();
  oldestQueued.reset();
  durations = [];
  if (!sources) return;
  const list = (xs: string[]) => xs.map((x) => `'${x}'`).join(',');
  const depth = QUEUES.map((q) => `SELECT '${q.queue}' queue,
      count(*) FILTER (WHERE status IN (${list(q.waiting)})) waiting,
      count(*) FILTER (WHERE status IN (${list(q.running)})) running,
      coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE status IN (${list(q.waiting)}))), 0) oldest
    FROM ${q.table}`).join(' UNION ALL ');
  const buckets = JOB_BUCKETS.map((b) => `count(*) FILTER (WHERE d <= ${b})`).join(', ');
  const duration = QUEUES.map((q) => `SELECT '${q.queue}' queue, CASE WHEN status = '${q.succeeded}' THEN 'succeeded' ELSE 'failed' END outcome,
      extract(epoch FROM finished_at - started_at) d
    FROM ${q.table} WHERE status IN ('${q.succeeded}', 'failed') AND started_at IS NOT NULL AND finished_at >= started_at`).join(' UNION ALL ');
  try {
    const [rows, finished] = await Promise.all([
      ofDatabase<{ queue: string; waiting: string; running: string; oldest: string }>(depth),
      ofDatabase<DurationRow>(`SELECT queue, outcome, ARRAY[${buckets}]::int[] buckets, count(*) count, sum(d) sum FROM (${duration}) j GROUP BY 1, 2`),
    ]);
    for (const r of rows) {
      queueDepth.set({ queue: r.queue, status: 'queued' }, Number(r.waiting));
      queueDepth.set({ queue: r.queue, status: 'running' }, Number(r.running));
      oldestQueued.set({ queue: r.queue }, Number(r.oldest));
    }
    durations = finished;
  } catch (e) {
    logger.warn({ err: e }, '运行指标：读取任务队列失败');
  }
}

// A histogram whose counts are the database's: prom-client's Registry takes any object with
// a name and get(); the values carry their own _bucket/_sum/_count names.
const JOB_DURATION_HELP = 'Run time of finished import and export jobs (finished_at - started_at), by queue and outcome';
registry.registerMetric({
  name: 'ce_job_duration_seconds',
  help: JOB_DURATION_HELP,
  type: 'histogram',
  aggregator: 'max',
  async get() {
    await readQueuesOnce();
    const values: Array<{ metricName: string; labels: Record<string, string | number>; value: number }> = [];
    for (const d of durations) {
      const labels = { queue: d.queue, outcome: d.outcome };
      JOB_BUCKETS.forEach((b, i) => values.push({ metricName: 'ce_job_duration_seconds_bucket', labels: { ...labels, le: b }, value: Number(d.buckets[i]) }));
      values.push({ metricName: 'ce_job_duration_seconds_bucket', labels: { ...labels, le: '+Inf' }, value: Number(d.count) });
      values.push({ metricName: 'ce_job_duration_seconds_sum', labels, value: Number(d.sum ?? 0) });
      values.push({ metricName: 'ce_job_duration_seconds_count', labels, value: Number(d.count) });
    }
    return { name: 'ce_job_duration_seconds', help: JOB_DURATION_HELP, type: 'histogram', values, aggregator: 'max' };
  },
} as unknown as client.Metric);

// ── the middleware and the endpoint ──────────────────────────────────────────

/**
 * Times every request under its route pattern (Express's, known once the request was routed),
 * up to the moment the answer is complete (`res.end`): a scrape right after an answer always
 * counts it ('finish' would come only once the socket took the last byte, possibly after the
 * client had the answer and scraped). A request whose client went away first counts at 'close'.
 */
export function requestTiming() {
  return (req: Request, res: Response, next: NextFunction) => {
    const stop = httpDuration.startTimer();
    let counted = false;
    const count = () => {
      if (counted) return;
      counted = true;
      let route = req.route?.path ? `${req.baseUrl}${typeof req.route.path === 'string' ? req.route.path : String(req.route.path)}` : 'unmatched';
      // The panel's API is a handful of patterns for every resource: name the resource and the
      // action of an answered request (registered names, a bounded set); a refused or unknown
      // one keeps the pattern, so forged names cannot multiply the series.
      if (res.statusCode < 400) {
        const { resourceId, action } = req.params ?? {};
        if (resourceId && /^[a-z_]{1,40}$/.test(resourceId)) route = route.replace(':resourceId', resourceId);
        if (action && /^[a-zA-Z]{1,40}$/.test(action)) route = route.replace(':action', action);
      }
      stop({ method: req.method, route, status: String(res.statusCode) });
    };
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => { count(); return end(...args); }) as Response['end'];
    res.once('close', count);
    next();
  };
}

/** A cluster worker: every web process's figures, summed by the primary; null if it does not answer. */
let primaryAnswers = true;
function fromPrimary(): Promise<string | null> {
  if (!cluster.isWorker || !process.send || !primaryAnswers) return Promise.resolve(null);
  return new Promise((resolve) => {
    const id = randomUUID();
    const done = (text: string | null) => { clearTimeout(timer); process.off('message', on); resolve(text); };
    const on = (m: { type?: string; id?: string; text?: string; error?: string }) => {
      if (m?.type === METRICS_ANSWER && m.id === id) done(m.error ? null : m.text ?? null);
    };
    const timer = setTimeout(() => {
      primaryAnswers = false;
      logger.warn('运行指标：主进程未汇总各 Web 进程的指标，此后只报本进程的');
      done(null);
    }, ANSWER_MS);
    process.on('message', on);
    process.send!({ type: METRICS_REQUEST, id });
  });
}

/** GET /metrics (behind `metricsGate`). */
export async function serveMetrics(_req: Request, res: Response): Promise<void> {
  const body = (await fromPrimary()) ?? await registry.metrics();
  // As prom-client names it (res.send would rewrite the type's parameters).
  res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' });
  res.end(body);
}
