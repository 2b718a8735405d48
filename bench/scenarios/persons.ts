/**
 * A county admin's person list (历下区), sorted by name, page 1 and page 1,000, and a search by a
 * name fragment — through the panel's JSON API, as the browser asks for them. Baseline: the
 * same page of rows by hand-written SQL through pg (same predicate, same order, same OFFSET;
 * no count, no access layer, no serialisation).
 */
import { median, repeat, type BenchContext, type Scenario } from '../lib.js';

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
    note: '平台：GET /admin/api/resources/persons/actions/list?page=…&sortBy=name&direction=asc（登录会话、权限范围、计数、序列化、引用单位名称）；基线：pg 直接执行同一谓词、同一排序、同一 OFFSET 的 SELECT',
    target: { text: '≤ 3× 基线且 p95 < 100 ms', maxRatio: 3, maxP95Ms: 100 },
    async run(ctx) {
      const path = await countyPath(ctx);
      const inScope = Number((await ctx.pool.query('SELECT count(*) n FROM persons WHERE org_path LIKE $1', [`${path}%`])).rows[0].n);
      const lastPage = Math.max(1, Math.ceil(inScope / PER_PAGE));
      const page = Math.min(wantedPage, lastPage);
      const s = await ctx.login(COUNTY_ADMIN);
      const url = `/admin/api/resources/persons/actions/list?page=${page}&perPage=${PER_PAGE}&sortBy=name&direction=asc`;
      let got = 0;
      const platformMs = await repeat(ctx.flags.runs, async () => {
        const body = await s.json<ListBody>(url);
        got = body.records.length;
      });
      const sql = `SELECT ${COLUMNS} FROM persons WHERE org_path LIKE $1 ORDER BY name, id LIMIT ${PER_PAGE} OFFSET $2`;
      let rows = 0;
      const baselineMs = await repeat(ctx.flags.runs, async () => { rows = (await ctx.pool.query(sql, [`${path}%`, (page - 1) * PER_PAGE])).rowCount ?? 0; });
      if (got !== rows) throw new Error(`${id}: the platform returned ${got} rows, the baseline ${rows}`);
      return { platformMs, baselineMs, extra: { personsInScope: inScope, page },
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
  note: '平台：GET …/persons/actions/list?filters.name=片段（不区分大小写的包含匹配，转义 LIKE 通配符，权限范围，计数）；基线：pg 执行同一谓词 org_path LIKE … AND name ILIKE \'%片段%\' 的第一页',
  target: { text: '≤ 3× 基线且 p95 < 100 ms', maxRatio: 3, maxP95Ms: 100 },
  async run(ctx) {
    const path = await countyPath(ctx);
    const s = await ctx.login(COUNTY_ADMIN);
    const url = `/admin/api/resources/persons/actions/list?page=1&perPage=${PER_PAGE}&sortBy=name&direction=asc&filters.name=${encodeURIComponent(FRAGMENT)}`;
    let total = 0;
    const platformMs = await repeat(ctx.flags.runs, async () => { total = (await s.json<ListBody>(url)).meta.total; });
    const sql = `SELECT ${COLUMNS} FROM persons WHERE org_path LIKE $1 AND name ILIKE $2 ORDER BY name, id LIMIT ${PER_PAGE}`;
    const baselineMs = await repeat(ctx.flags.runs, () => ctx.pool.query(sql, [`${path}%`, `%${FRAGMENT}%`]));
    return { platformMs, baselineMs, extra: { matches: total } };
  },
};

/**
 * 50 logged-in sessions (round-robin over the demo HR admins: province, two cities, three
 * counties, two city staff) browse lists for 30 s: persons sorted by name and the hour
 * records, random pages 1–50. Baseline: the same pages' rows by the same number of workers
 * through a pg pool as large as the platform's, for a third of the time.
 */
const BROWSERS = ['370000198001010017', '370100198203150021', '370102198506200033', '370103198708080048',
  '370200198302120050', '370202198609090063', '370105198811230043', '370112199205170034'];

export const concurrentSessions: Scenario = {
  id: 'concurrent-sessions',
  title: (f) => `${f.sessions} 个已登录会话并发浏览列表 ${f.durationS} 秒`,
  note: '平台：每个会话循环请求人员列表（按姓名）或学时申报列表的随机页（1–50），记录每个请求的耗时；会话轮流使用 8 个演示人社管理员账号（省、市、区县）；基线：同样数量的并发 worker 通过与平台同样大小的 pg 连接池执行相同页的 SELECT',
  target: { text: 'p95 < 300 ms', maxP95Ms: 300 },
  async run(ctx) {
    const { sessions: n, durationS } = ctx.flags;
    const sessions = [];
    for (let i = 0; i < n; i++) sessions.push({ s: await ctx.login(BROWSERS[i % BROWSERS.length]), id: BROWSERS[i % BROWSERS.length] });
    const paths = new Map<string, string>();
    for (const id of BROWSERS) {
      const r = await ctx.pool.query<{ org_path: string }>('SELECT ad.org_path FROM admins ad JOIN accounts a ON a.id = ad.account_id WHERE a.id_number = $1', [id]);
      paths.set(id, r.rows[0].org_path);
    }
    const rnd = (k: number) => 1 + Math.floor(Math.random() * k);
    const platformMs: number[] = [];
    let errors = 0;
    const until = performance.now() + durationS * 1000;
    await Promise.all(sessions.map(async ({ s }) => {
      while (performance.now() < until) {
        const url = Math.random() < 0.6
          ? `/admin/api/resources/persons/actions/list?page=${rnd(50)}&perPage=20&sortBy=name&direction=asc`
          : `/admin/api/resources/hour_declarations/actions/list?page=${rnd(50)}&perPage=20`;
        const t0 = performance.now();
        try { await s.json(url); platformMs.push(performance.now() - t0); } catch { errors++; }
      }
    }));
    const rps = platformMs.length / durationS;
    const baselineMs: number[] = [];
    const baseUntil = performance.now() + Math.max(5, durationS / 3) * 1000;
    await Promise.all(sessions.map(async ({ id }) => {
      const path = `${paths.get(id)}%`;
      while (performance.now() < baseUntil) {
        const sql = Math.random() < 0.6
          ? `SELECT ${COLUMNS} FROM persons WHERE org_path LIKE $1 ORDER BY name, id LIMIT 20 OFFSET $2`
          : 'SELECT * FROM hour_declarations WHERE org_path LIKE $1 ORDER BY id LIMIT 20 OFFSET $2';
        const t0 = performance.now();
        await ctx.pool.query(sql, [path, (rnd(50) - 1) * 20]);
        baselineMs.push(performance.now() - t0);
      }
    }));
    return { platformMs, baselineMs, extra: { requestsPerSecond: Math.round(rps), requests: platformMs.length, errors, sessions: n, baselineRps: Math.round(baselineMs.length / Math.max(5, durationS / 3)), medianMs: Math.round(median(platformMs)) } };
  },
};
