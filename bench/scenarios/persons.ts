/**
 * A county admin's person list (历下区), sorted by name, page 1 and page 1,000, and a search by a
 * name fragment — through the panel's JSON API, as the browser asks for them. Baseline: what a
 * hand-written endpoint would run for the same answer, through pg: the page's rows (same
 * predicate — the jurisdiction and 在册, the list's default since issue 17 —, same order, same OFFSET) and the total the pager shows (count(*) of the same
 * predicate) — no access layer, session, serialisation or HTTP. The rows alone are reported too.
 */
import os from 'node:os';
import { DEMO_PASSWORD } from '../../src/db/demo-accounts.js';
import { median, p95, repeat, Session, type BenchContext, type Scenario } from '../lib.js';
import { startSupervised } from '../supervised.js';

export const COUNTY_ADMIN = '370102198506200033'; // 历下区人社局超级管理员
const PER_PAGE = 20;
const COLUMNS = 'id, id_number, name, gender, birth_date, unit_id, title_series, title_level, title, education, mobile, email, status, version, created_at';

async function countyPath(ctx: BenchContext): Promise<string> {
  const r = await ctx.pool.query<{ path: string }>("SELECT path FROM organisations WHERE kind = 'county_hr' AND region_code = '370102'");
  return r.rows[0].path;
}

interface ListBody { meta: { total: number; page: number }; records: unknown[] }

function listScenario(id: string, wantedPage: number): Scenario {
  return {
    id,
    title: () => `区县管理员人员列表第 ${wantedPage.toLocaleString('en')} 页（按姓名排序，API）`,
    note: '平台：GET /admin/api/resources/persons/actions/list?page=…&sortBy=name&direction=asc（登录会话、权限范围、计数、序列化、引用单位名称）；基线：pg 直接执行同样的两条 SQL——同一谓词（辖区、在册）、同一排序、同一 OFFSET 的本页 SELECT，和分页器显示的总数 count(*)（rowsOnlyMs 为只取本页行的中位数）',
    target: { text: '≤ 3× 基线且 p95 < 100 ms', maxRatio: 3, maxP95Ms: 100 },
    async run(ctx) {
      const path = await countyPath(ctx);
      const inScope = Number((await ctx.pool.query('SELECT count(*) n FROM persons WHERE org_path LIKE $1 AND status = \'active\'', [`${path}%`])).rows[0].n);
      const lastPage = Math.max(1, Math.ceil(inScope / PER_PAGE));
      const page = Math.min(wantedPage, lastPage);
      const s = await ctx.login(COUNTY_ADMIN);
      const url = `/admin/api/resources/persons/actions/list?page=${page}&perPage=${PER_PAGE}&sortBy=name&direction=asc`;
      let got = 0;
      const platformMs = await repeat(ctx.flags.runs, async () => {
        const body = await s.json<ListBody>(url);
        got = body.records.length;
      });
      const sql = `SELECT ${COLUMNS} FROM persons WHERE org_path LIKE $1 AND status = 'active' ORDER BY name, id LIMIT ${PER_PAGE} OFFSET $2`;
      const count = "SELECT count(*) n FROM persons WHERE org_path LIKE $1 AND status = 'active'";
      let rows = 0;
      const pageRows = async () => { rows = (await ctx.pool.query(sql, [`${path}%`, (page - 1) * PER_PAGE])).rowCount ?? 0; };
      const baselineMs = await repeat(ctx.flags.runs, async () => { await pageRows(); await ctx.pool.query(count, [`${path}%`]); });
      const rowsOnlyMs = await repeat(ctx.flags.runs, pageRows);
      if (got !== rows) throw new Error(`${id}: the platform returned ${got} rows, the baseline ${rows}`);
      return { platformMs, baselineMs, extra: { personsInScope: inScope, page, rowsOnlyMs: Number(median(rowsOnlyMs).toFixed(1)) },
        caveat: page !== wantedPage ? `辖区仅 ${inScope} 人，取最后一页 ${page}` : undefined };
    },
  };
}

export const personListPage1 = listScenario('person-list-page-1', 1);
export const personListPage1000 = listScenario('person-list-page-1000', 1000);

export const FRAGMENT = '晓';
export const personSearch: Scenario = {
  id: 'person-search',
  title: () => `区县管理员按姓名片段「${FRAGMENT}」搜索人员（API）`,
  note: '平台：GET …/persons/actions/list?filters.name=片段（包含匹配，转义 LIKE 通配符，权限范围，计数）；基线：pg 执行同一谓词 org_path LIKE … AND status = \'active\' AND name LIKE \'%片段%\' 的第一页和匹配总数 count(*)（rowsOnlyMs 为只取第一页的中位数）',
  target: { text: '≤ 3× 基线且 p95 < 100 ms', maxRatio: 3, maxP95Ms: 100 },
  async run(ctx) {
    const path = await countyPath(ctx);
    const s = await ctx.login(COUNTY_ADMIN);
    const url = `/admin/api/resources/persons/actions/list?page=1&perPage=${PER_PAGE}&sortBy=name&direction=asc&filters.name=${encodeURIComponent(FRAGMENT)}`;
    let total = 0;
    const platformMs = await repeat(ctx.flags.runs, async () => { total = (await s.json<ListBody>(url)).meta.total; });
    // The platform matches a fragment without letters case (a Chinese name) with LIKE, and so does the baseline.
    const sql = `SELECT ${COLUMNS} FROM persons WHERE org_path LIKE $1 AND status = 'active' AND name LIKE $2 ORDER BY name, id LIMIT ${PER_PAGE}`;
    const count = "SELECT count(*) n FROM persons WHERE org_path LIKE $1 AND status = 'active' AND name LIKE $2";
    const args = [`${path}%`, `%${FRAGMENT}%`];
    let baseTotal = 0;
    const baselineMs = await repeat(ctx.flags.runs, async () => { await ctx.pool.query(sql, args); baseTotal = Number((await ctx.pool.query(count, args)).rows[0].n); });
    const rowsOnlyMs = await repeat(ctx.flags.runs, () => ctx.pool.query(sql, args));
    if (baseTotal !== total) throw new Error(`person-search: the platform counted ${total}, the baseline ${baseTotal}`);
    return { platformMs, baselineMs, extra: { matches: total, rowsOnlyMs: Number(median(rowsOnlyMs).toFixed(1)) } };
  },
};

/**
 * 50 logged-in sessions (round-robin over the demo HR admins: province, two cities, three
 * counties, two city staff) browse lists for 30 s: persons sorted by name and the hour
 * records, random pages 1–50, each session pausing 0.5–1.5 s between requests as a person
 * reading a page does. Baseline: the same pages' SQL by the same number of workers with the
 * same pauses, through a pg pool as large as the platform's.
 *
 * Also reported, not targeted: the same sessions without pauses for a third of the time — the
 * most requests per second this one process serves, and the latency when 50 requests are
 * always waiting.
 */
const BROWSERS = ['370000198001010017', '370100198203150021', '370102198506200033', '370103198708080048',
  '370200198302120050', '370202198609090063', '370105198811230043', '370112199205170034'];
const THINK_MS = [500, 1500];

const rnd = (k: number) => 1 + Math.floor(Math.random() * k);
const think = (pause: boolean) => (pause ? new Promise((r) => setTimeout(r, THINK_MS[0] + Math.random() * (THINK_MS[1] - THINK_MS[0]))) : undefined);

/** The sessions' loop: random pages of the person list (60 %) and the hour records, for `seconds`; each request's time, and the errors. */
async function browseLists(sessions: Session[], seconds: number, pause: boolean): Promise<{ ms: number[]; errors: number }> {
  const ms: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(sessions.map(async (s) => {
    await think(pause); // sessions do not start in lockstep
    while (performance.now() < until) {
      const url = Math.random() < 0.6
        ? `/admin/api/resources/persons/actions/list?page=${rnd(50)}&perPage=20&sortBy=name&direction=asc`
        : `/admin/api/resources/hour_declarations/actions/list?page=${rnd(50)}&perPage=20`;
      const t0 = performance.now();
      try { await s.json(url); ms.push(performance.now() - t0); } catch { errors++; }
      await think(pause);
    }
  }));
  return { ms, errors };
}

/** The same pages' SQL (the person list's 在册 default included), by as many workers as sessions, through the benchmark's pool. */
async function sqlLists(ctx: BenchContext, accounts: string[], seconds: number, pause: boolean): Promise<number[]> {
  const paths = new Map<string, string>();
  for (const id of new Set(accounts)) {
    const r = await ctx.pool.query<{ org_path: string }>('SELECT ad.org_path FROM admins ad JOIN accounts a ON a.id = ad.account_id WHERE a.id_number = $1', [id]);
    paths.set(id, r.rows[0].org_path);
  }
  const ms: number[] = [];
  const until = performance.now() + seconds * 1000;
  await Promise.all(accounts.map(async (id) => {
    const path = `${paths.get(id)}%`;
    await think(pause);
    while (performance.now() < until) {
      const persons = Math.random() < 0.6;
      const t0 = performance.now();
      const offset = (rnd(50) - 1) * 20;
      await ctx.pool.query(persons
        ? `SELECT ${COLUMNS} FROM persons WHERE org_path LIKE $1 AND status = 'active' ORDER BY name, id LIMIT 20 OFFSET $2`
        : 'SELECT * FROM hour_declarations WHERE org_path LIKE $1 ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET $2', [path, offset]);
      ms.push(performance.now() - t0);
      await think(pause);
    }
  }));
  return ms;
}

const accountsFor = (n: number) => Array.from({ length: n }, (_, i) => BROWSERS[i % BROWSERS.length]);

export const concurrentSessions: Scenario = {
  id: 'concurrent-sessions',
  title: (f) => `${f.sessions} 个已登录会话并发浏览列表 ${f.durationS} 秒`,
  note: `平台：每个会话循环请求人员列表（按姓名）或学时申报列表的随机页（1–50），两次请求之间停顿 ${THINK_MS[0] / 1000}–${THINK_MS[1] / 1000} 秒（阅读页面），记录每个请求的耗时；会话轮流使用 8 个演示人社管理员账号（省、市、区县）；基线：同样数量的 worker 以同样的停顿通过与平台同样大小的 pg 连接池执行相同页的 SQL。另测不停顿（饱和）时的吞吐与延迟（saturated*，不设目标）`,
  target: { text: 'p95 < 300 ms', maxP95Ms: 300 },
  async run(ctx) {
    const { sessions: n, durationS } = ctx.flags;
    const accounts = accountsFor(n);
    const sessions: Session[] = [];
    for (const id of accounts) sessions.push(await ctx.login(id));
    const paused = await browseLists(sessions, durationS, true);
    const saturatedS = Math.max(5, durationS / 3);
    const saturated = await browseLists(sessions, saturatedS, false);
    const baselineMs = await sqlLists(ctx, accounts, Math.max(5, durationS / 3), true);
    const baseSaturated = await sqlLists(ctx, accounts, saturatedS, false);
    return { platformMs: paused.ms, baselineMs, extra: {
      requestsPerSecond: Math.round(paused.ms.length / durationS), requests: paused.ms.length, errors: paused.errors + saturated.errors, sessions: n,
      p50Ms: Math.round(median(paused.ms)),
      saturatedRps: Math.round(saturated.ms.length / saturatedS), saturatedP50Ms: Math.round(median(saturated.ms)), saturatedP95Ms: Math.round(p95(saturated.ms)),
      baselineSaturatedRps: Math.round(baseSaturated.length / saturatedS),
    } };
  },
};

/**
 * Issue 16 item 2, every core used: the same 50 sessions without pauses against the platform as
 * `npm start` runs it — the supervisor, WEB_CONCURRENCY web processes (default: one per core)
 * sharing sessions and limits through PostgreSQL, and the worker — for `durationS` seconds;
 * the baseline is the same pages' SQL by 50 workers without pauses, in the same run.
 * Target: throughput ≥ 70 % of the baseline's, p95 < 500 ms.
 */
export const saturatedCluster: Scenario = {
  id: 'saturated-cluster',
  title: (f) => `${f.sessions} 个会话不停顿请求列表（npm start 的进程结构，${webProcesses()} 个网页进程）`,
  note: '平台：node dist/main.mjs（WEB_CONCURRENCY 个网页进程 + 任务进程），50 个会话不停顿地请求人员列表或学时申报列表的随机页；基线：50 个 worker 不停顿地通过 pg 执行相同页的 SQL；倍数 = 基线吞吐 ÷ 平台吞吐（即平台吞吐为基线的 1/倍数）',
  target: { text: '吞吐 ≥ 基线的 70 %（倍数 ≤ 1.43）且 p95 < 500 ms', maxRatio: 1 / 0.7, maxP95Ms: 500 },
  async run(ctx) {
    const { sessions: n, durationS } = ctx.flags;
    const seconds = Math.max(5, durationS / 2);
    const accounts = accountsFor(n);
    const p = await startSupervised(process.env.DATABASE_URL!, { WEB_CONCURRENCY: String(webProcesses()) });
    ctx.log(`平台（node dist/main.mjs）：网页进程 pid ${p.webPids.join('、')}，任务进程 pid ${p.workerPid}`);
    try {
      const sessions: Session[] = [];
      for (const id of accounts) sessions.push(await new Session(p.base).login(id, DEMO_PASSWORD));
      await browseLists(sessions, 2, false); // warm: each web process's first requests build its caches
      const platform = await browseLists(sessions, seconds, false);
      const baseline = await sqlLists(ctx, accounts, seconds, false);
      const platformRps = platform.ms.length / seconds;
      const baselineRps = baseline.length / seconds;
      // The ratio is of throughputs (requests per second), reported through the medians' slot:
      // one "request" of each side stands for 1 / its throughput.
      return {
        platformMs: platform.ms, baselineMs: baseline, ratioOverride: baselineRps / platformRps,
        extra: { webProcesses: p.webPids.length, platformRps: Math.round(platformRps), baselineRps: Math.round(baselineRps),
          share: `${Math.round((100 * platformRps) / baselineRps)}%`, errors: platform.errors, p50Ms: Math.round(median(platform.ms)) },
      };
    } finally {
      const code = await p.stop();
      if (code !== 0) ctx.log(`平台退出代码 ${code}：${p.log().slice(-2000)}`);
    }
  },
};

function webProcesses(): number {
  return Number(process.env.WEB_CONCURRENCY) || os.availableParallelism();
}
