/**
 * `npm run bench` — the platform against baselines measured in the same run, on the same data,
 * on real PostgreSQL (DATABASE_URL). Not part of `npm test`. Results: bench/results/latest.{md,json}.
 *
 * 1. boots the platform (migrations; the demo data on an empty database);
 * 2. generates the scale data with COPY (bench/generate.ts) unless this database holds it already;
 * 3. runs every scenario of bench/scenarios/index.ts (or --only=…): median and p95 of the
 *    platform, the baseline's median, their ratio, the target and whether it holds, peak RSS.
 *
 * Flags (README, 基准测试):
 *   --size=full|small|smoke|province   full: 1,000,000 persons, 5,000,000 hour records, 20,000 units (default);
 *                             province: 6,000,000 persons, 30,000,000 hour records, 110,000 units (issue 16 item 7);
 *                             smoke: a small database and short runs, every scenario in about a minute
 *   --persons= --records= --units=   override the size's data
 *   --runs=40 --heavy-runs=3  measured runs of the fast scenarios / of approve-all and import
 *   --approve=10000 --import=50000 --sessions=50 --duration=30
 *   --only=person-list-page-1,statistics
 *   --in-process              run the selected scenarios in this process (default: one process each)
 *   --rls-cost                the selected scenarios with row-level security on and off (BYPASSRLS), alternated: the policies' cost
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { bootPlatform } from '../src/boot.js';
import { config, projectRoot } from '../config/index.js';
import { DEMO_PASSWORD } from '../src/db/demo-accounts.js';
import { generate, sizesFromArgs } from './generate.js';
import { measured, median, p95, Session, type BenchContext, type Flags, type Outcome, type Scenario } from './lib.js';
import { scenarios } from './scenarios/index.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('请设置 DATABASE_URL（真实 PostgreSQL），例如：DATABASE_URL=postgres://postgres@127.0.0.1:5432/ce_bench npm run bench');
  process.exit(2);
}
const argv = process.argv.slice(2);
const sizes = sizesFromArgs(argv);
const smoke = sizes.size === 'smoke';
const arg = (name: string, fallback: number) => Number(argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const flags: Flags = {
  ...sizes,
  runs: arg('runs', smoke ? 5 : 40),
  heavyRuns: arg('heavy-runs', smoke ? 1 : 3),
  approve: arg('approve', smoke ? 1_000 : 10_000),
  import: arg('import', smoke ? 5_000 : 50_000),
  sessions: arg('sessions', smoke ? 10 : 50),
  durationS: arg('duration', smoke ? 5 : 30),
  only: argv.find((a) => a.startsWith('--only='))?.split('=')[1].split(','),
};
const log = (s: string) => console.log(s);

// Each scenario runs in a process of its own (this script again, with --only=<that one>), one
// after the other: its peak RSS is its own, not inflated by what earlier scenarios left in the
// heap, and a failing scenario stops the run. --in-process runs the selection in this process.
const selected = scenarios.filter((s) => !flags.only || flags.only.includes(s.id));
if (selected.length > 1 && !argv.includes('--in-process')) {
  for (const s of selected) {
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1], ...argv.filter((a) => !a.startsWith('--only=')), `--only=${s.id}`], { stdio: 'inherit' });
    if (child.status !== 0) process.exit(child.status ?? 1);
  }
  process.exit(0);
}

const platform = await bootPlatform({ url, seed: true, seedPersons: 2_000, loginRateLimit: 1e6, log });
const generation = await generate(url, sizes, log);
const server = platform.app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const pool = new pg.Pool({ connectionString: url, max: config.dbPoolMax });
const ctx: BenchContext = {
  flags, platform, sequelize: platform.db.owner, pool, base, log,
  async login(idNumber) { return new Session(base).login(idNumber, DEMO_PASSWORD); },
};
// The panel's component bundle is not requested: the scenarios use the JSON API only, and
// building it in this process (rollup + babel) would add its memory to every peak RSS measured.

// A server with autovacuum off (as this machine's) keeps every dead row earlier runs left in the
// tables the scenarios write (rollups, yearly totals, hour records, sessions) and slows the next
// ones down; vacuum them first, as autovacuum would between runs.
const autovacuum = (await pool.query<{ autovacuum: string }>('SHOW autovacuum')).rows[0].autovacuum;
if (autovacuum !== 'on') {
  const t0 = performance.now();
  await pool.query('VACUUM (ANALYZE) hour_declarations, person_year_hours, stat_hours, stat_completion, stat_series, stat_persons, session, audit_log, import_jobs, export_jobs');
  log(`autovacuum=${autovacuum}：场景前先 VACUUM ANALYZE 被写入的表（${Math.round(performance.now() - t0)} ms）`);
}

// ---------------------------------------------------------------- --rls-cost (issue 15, "Measure")
// The cost of the database's row-level security: the scenario with the policies on, then with the
// application's role exempt from them (ALTER ROLE ce_app BYPASSRLS — every other part of the
// request unchanged), alternated twice so drift of the machine falls on both; the ratio is
// median(on) ÷ median(off) of the platform's timings. Written to bench/results/rls-cost-<id><size>.*.
if (argv.includes('--rls-cost')) {
  const suffixOf = sizes.size === 'full' ? '' : `-${sizes.size}`;
  const setRls = (on: boolean) => pool.query(`ALTER ROLE ce_app ${on ? 'NOBYPASSRLS' : 'BYPASSRLS'}`);
  try {
    for (const scenario of selected) {
      const timings: Record<'on' | 'off', number[]> = { on: [], off: [] };
      for (const mode of ['on', 'off', 'on', 'off'] as const) {
        await setRls(mode === 'on');
        log(`— ${scenario.title(flags)}：行级安全${mode === 'on' ? '开启' : '关闭（BYPASSRLS）'}`);
        const m = await measured(() => scenario.run(ctx));
        timings[mode].push(...m.result.platformMs);
      }
      const on = median(timings.on);
      const off = median(timings.off);
      const result = { at: new Date().toISOString(), scenario: scenario.id, size: sizes.size, persons: sizes.persons, records: sizes.records,
        onMedianMs: Math.round(on * 10) / 10, offMedianMs: Math.round(off * 10) / 10, ratio: Number((on / off).toFixed(3)), target: '≤ 1.10×', n: timings.on.length };
      fs.mkdirSync(path.join(projectRoot, 'bench/results'), { recursive: true });
      fs.writeFileSync(path.join(projectRoot, 'bench/results', `rls-cost-${scenario.id}${suffixOf}.json`), JSON.stringify(result, null, 2));
      log(`  行级安全开启 ${result.onMedianMs} ms ÷ 关闭 ${result.offMedianMs} ms = ${result.ratio}×（目标 ≤ 1.10×，各 ${result.n} 次）`);
    }
  } finally {
    await setRls(true);
  }
  server.close();
  await pool.end();
  await platform.close();
  process.exit(0);
}

interface Row { scenario: Scenario; outcome: Outcome; peakMb: number }
const rows: Row[] = [];
for (const scenario of selected) {
  log(`— ${scenario.title(flags)}`);
  const m = await measured(() => scenario.run(ctx));
  rows.push({ scenario, outcome: m.result, peakMb: m.result.peakMb ?? m.peakMb });
  log(`  平台中位数 ${Math.round(median(m.result.platformMs))} ms，p95 ${Math.round(p95(m.result.platformMs))} ms；基线中位数 ${Math.round(median(m.result.baselineMs))} ms`);
}

// ---------------------------------------------------------------- report
const report = rows.map(({ scenario: s, outcome: o, peakMb }) => {
  const med = median(o.platformMs);
  const base95 = p95(o.baselineMs);
  const baseMed = median(o.baselineMs);
  const ratio = o.ratioOverride ?? med / baseMed;
  const t = s.target;
  const checks: boolean[] = [];
  if (t.maxRatio !== undefined) checks.push(ratio <= t.maxRatio);
  if (t.maxP95Ms !== undefined) checks.push(p95(o.platformMs) <= t.maxP95Ms);
  if (t.maxPeakMb !== undefined) checks.push(peakMb <= t.maxPeakMb);
  if (t.minSpeedup !== undefined) checks.push(baseMed / med >= t.minSpeedup);
  if (t.maxMedianMs !== undefined) checks.push(med <= t.maxMedianMs);
  return {
    id: s.id, scenario: s.title(flags),
    platform: { medianMs: Math.round(med), p95Ms: Math.round(p95(o.platformMs)), n: o.platformMs.length },
    baseline: { medianMs: Math.round(baseMed * 10) / 10, p95Ms: Math.round(base95 * 10) / 10, n: o.baselineMs.length },
    ratio: Number(ratio.toFixed(ratio < 0.1 ? 3 : 1)),
    target: t.text,
    holds: checks.length ? checks.every(Boolean) : null,
    peakMb,
    extra: o.extra, caveat: o.caveat, note: s.note,
  };
});
// With --only, the other scenarios' last results are kept (marked with the time they ran).
type ReportRow = (typeof report)[number] & { at?: string };
let merged: ReportRow[] = report.map((r) => ({ ...r, at: new Date().toISOString() }));
const dir = path.join(projectRoot, 'bench/results');
const suffix = sizes.size === 'full' ? '' : `-${sizes.size}`;
if (flags.only && fs.existsSync(path.join(dir, `latest${suffix}.json`))) {
  const previous = (JSON.parse(fs.readFileSync(path.join(dir, `latest${suffix}.json`), 'utf8')) as { report: ReportRow[] }).report;
  const order = scenarios.map((s) => s.id);
  merged = [...previous.filter((r) => !merged.some((m) => m.id === r.id) && order.includes(r.id)), ...merged]
    .sort((x, y) => order.indexOf(x.id) - order.indexOf(y.id));
}
const meta = {
  at: new Date().toISOString(), node: process.version, cpus: os.cpus().length,
  postgres: (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version,
  autovacuum, size: sizes.size, persons: sizes.persons, records: sizes.records, units: sizes.units,
  generation: { ms: Math.round(generation.ms), reused: generation.skipped, phases: generation.phases },
  flags,
};
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, `latest${suffix}.json`), JSON.stringify({ meta, report: merged }, null, 2));
const fmt = (n: number) => (n < 10 ? n.toFixed(1) : String(Math.round(n)));
const md = [
  `# 基准测试结果（${meta.at.slice(0, 19)}，${meta.cpus} 核，Node ${meta.node}，PostgreSQL ${meta.postgres}${autovacuum === 'on' ? '' : '，autovacuum 关闭：每个场景前 VACUUM ANALYZE'}）`, '',
  '每个场景在单独的进程中运行（平台与压测同一进程，峰值 RSS 为该进程的），npm run bench 运行 esbuild 打包后的代码（与 npm start 相同）。', '',
  `数据：专技人员 ${sizes.persons.toLocaleString('en')} 人，学时记录 ${sizes.records.toLocaleString('en')} 条，用人单位 ${sizes.units.toLocaleString('en')} 个（--size=${sizes.size}）；` +
  `COPY 生成用时 ${(generation.ms / 1000).toFixed(1)} 秒${generation.skipped ? '（本库此前生成，本次复用）' : ''}` +
  `（${Object.entries(generation.phases).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join('，')}）。`,
  `快速场景每项测 ${flags.runs} 次（先预热），审批与导入每项 ${flags.heavyRuns} 次；倍数 = 平台中位数 ÷ 基线中位数。`, '',
  '| 场景 | 平台中位数 | 平台 p95 | 基线中位数 | 倍数 | 目标 | 达标 | 峰值 RSS |', '|---|---|---|---|---|---|---|---|',
  ...merged.map((r) => `| ${r.scenario} | ${r.platform.medianMs} ms | ${r.platform.p95Ms} ms | ${fmt(r.baseline.medianMs)} ms | ${r.ratio}× | ${r.target} | ${r.holds === null ? '—' : r.holds ? '是' : '否'} | ${r.peakMb} MB |`),
  '', ...merged.map((r) => `- **${r.scenario}**（${(r.at ?? '').slice(11, 16)} 测）：${r.note}${r.extra ? `。数据：${Object.entries(r.extra).map(([k, v]) => `${k}=${v}`).join('，')}` : ''}${r.caveat ? `。注意：${r.caveat}` : ''}`), '',
].join('\n');
fs.writeFileSync(path.join(dir, `latest${suffix}.md`), md);
console.log(md);
server.close();
await pool.end();
await platform.close();
process.exit(0);
