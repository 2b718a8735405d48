/**
 * `npm run bench` — the platform against baselines measured in the same run, on the same data,
 * on real PostgreSQL (DATABASE_URL). Not part of `npm test`. Results: bench/results/latest.{md,json}.
 *
 * Scenarios so far (issue 5's speeds; the rest of issue 8's list is still to come):
 *  - approve-all of N pending declarations through the panel's API (filter → one request)
 *    vs. one `UPDATE … WHERE id = ANY(…)`;
 *  - import of an M-row hours template through the panel (upload, two-phase job, progress)
 *    vs. exceljs's streaming read plus COPY of the same rows.
 *
 * Flags: --persons=20000 --approve=10000 --import=50000 --runs=3
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { QueryTypes } from 'sequelize';
import type { AddressInfo } from 'node:net';
import { bootPlatform } from '../src/boot.js';
import { projectRoot } from '../config/index.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../src/db/demo-accounts.js';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const PERSONS = arg('persons', 20_000);
const APPROVE = arg('approve', 10_000);
const IMPORT = arg('import', 50_000);
const RUNS = arg('runs', 3);

if (!process.env.DATABASE_URL) {
  console.error('请设置 DATABASE_URL（真实 PostgreSQL），例如：DATABASE_URL=postgres://postgres@127.0.0.1:5432/ce_bench npm run bench');
  process.exit(2);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

/** Peak RSS of this process (the app runs in it) while `fn` runs, sampled every 20 ms. */
async function measured<T>(fn: () => Promise<T>): Promise<{ ms: number; peakMb: number; result: T }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const t0 = performance.now();
  try {
    const result = await fn();
    return { ms: performance.now() - t0, peakMb: Math.round(peak / 1024 / 1024), result };
  } finally { clearInterval(timer); }
}

const platform = await bootPlatform({ seed: true, seedPersons: PERSONS, loginRateLimit: 1e6, log: (s) => console.log(s) });
const sequelize = platform.db.sequelize;
const server = platform.app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const q = <T extends object>(sql: string, replacements: Record<string, unknown> = {}) => sequelize.query<T>(sql, { replacements, type: QueryTypes.SELECT });

// A logged-in session of the 济南 admin (its jurisdiction: the city and all its districts).
const jar = new Map<string, string>();
const http = async (p: string, init: RequestInit = {}) => {
  const csrf: Record<string, string> = init.method && init.method !== 'GET' && jar.has('XSRF-TOKEN') ? { 'x-xsrf-token': decodeURIComponent(jar.get('XSRF-TOKEN')!) } : {};
  const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const r = await fetch(base + p, { redirect: 'manual', ...init, headers: { cookie, ...csrf, ...(init.headers as Record<string, string> ?? {}) } });
  for (const c of r.headers.getSetCookie()) { const kv = c.split(';')[0]; jar.set(kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)); }
  return r;
};
const jinan = DEMO_ACCOUNTS.find((a) => a.organisationName === '济南市人力资源和社会保障局' && a.isSuper)!;
await http('/admin/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `email=${jinan.idNumber}&password=${encodeURIComponent(DEMO_PASSWORD)}` });
await http('/admin/frontend/assets/components.bundle.js');
const jinanPath = (await q<{ path: string }>("SELECT path FROM organisations WHERE name = '济南市人力资源和社会保障局'"))[0].path;

interface Result { scenario: string; platformMs: number[]; baselineMs: number[]; peakMb?: number; note: string }
const results: Result[] = [];

// ---------------------------------------------------------------- approve-all
async function pendingBatch(tag: string): Promise<number[]> {
  const rows = await q<{ id: string }>(`INSERT INTO hour_declarations (person_id, unit_id, org_path, year, subject_type, learning_form_id, channel, activity_name, declared_hours)
    SELECT p.id, p.unit_id, p.org_path, 2025, 'professional', (SELECT id FROM learning_forms WHERE code = 'face_to_face'), 'hr', :tag, 6
      FROM persons p, generate_series(1, 4) g WHERE p.org_path LIKE :path AND p.status = 'active' LIMIT :n RETURNING id::text`,
  { tag, path: `${jinanPath}%`, n: APPROVE });
  return rows.map((r) => Number(r.id));
}
{
  const platformMs: number[] = [];
  const baselineMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const tag = `bench-approve-${Date.now()}-${run}`;
    const ids = await pendingBatch(tag);
    if (ids.length < APPROVE) console.warn(`只生成了 ${ids.length} 条待审核记录（人数不足）`);
    const { ms } = await measured(async () => {
      const r = await http(`/admin/api/resources/hour_reviews/actions/approveAll?filters.activity_name=${encodeURIComponent(tag)}`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const body = await r.json() as { notice?: { message: string } };
      if (body.notice?.message !== `已通过 ${ids.length} 条`) throw new Error(`approve-all: ${JSON.stringify(body)}`);
    });
    platformMs.push(ms);
    const baseIds = await pendingBatch(`${tag}-baseline`);
    const t0 = performance.now();
    await sequelize.query("UPDATE hour_declarations SET status = 'approved', approved_hours = declared_hours, decided_at = now() WHERE id = ANY($1::bigint[])", { bind: [baseIds] });
    baselineMs.push(performance.now() - t0);
  }
  results.push({ scenario: `全部通过 ${APPROVE} 条待审核学时`, platformMs, baselineMs,
    note: '平台：一次 HTTP 请求，含权限范围、锁定、状态变更、年度汇总重算、逐条审计；基线：一条 UPDATE … WHERE id = ANY(…)' });
}

// ---------------------------------------------------------------- import
async function template(rows: number, tag: string): Promise<string> {
  const persons = await q<{ name: string; id_number: string }>(`SELECT name, id_number FROM persons WHERE org_path LIKE :p AND status = 'active' ORDER BY id`, { p: `${jinanPath}%` });
  const file = path.join(os.tmpdir(), `${tag}.xlsx`);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('导入');
  ws.addRow(['姓名', '身份证号', '培训项目名称', '开始日期', '结束日期', '组织单位', '培训学时', '证明材料']).commit();
  for (let i = 0; i < rows; i++) {
    const p = persons[i % persons.length];
    ws.addRow([p.name, p.id_number, `${tag}-${Math.floor(i / persons.length)}`, '2025-06-01', '2025-06-02', '本单位', '8', '签到表']).commit();
  }
  ws.commit();
  await wb.commit();
  return file;
}
{
  const platformMs: number[] = [];
  const baselineMs: number[] = [];
  let peakMb = 0;
  for (let run = 0; run < RUNS; run++) {
    const tag = `bench-import-${Date.now()}-${run}`;
    const file = await template(IMPORT, tag);
    const bytes = fs.readFileSync(file);
    const m = await measured(async () => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)]), 'bench.xlsx');
      const r = await http('/admin/api/resources/hour_declarations/actions/importHours', { method: 'POST', body: form });
      const { jobId } = await r.json() as { jobId: number };
      for (;;) {
        await new Promise((res) => setTimeout(res, 100));
        const s = await (await http(`/admin/api/resources/hour_declarations/actions/importHours?jobId=${jobId}`)).json() as { job: { status: string; committed_rows: number; error_rows: number; error: string | null } };
        if (s.job.status === 'failed') throw new Error(`import failed: ${s.job.error}`);
        if (s.job.status === 'succeeded') return s.job;
      }
    });
    if (m.result.committed_rows !== IMPORT) console.warn(`导入：${m.result.committed_rows} 行成功，${m.result.error_rows} 行失败`);
    platformMs.push(m.ms);
    peakMb = Math.max(peakMb, m.peakMb);
    // Baseline: the same rows, streamed by exceljs and COPYed, nothing checked.
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    const ids = new Map((await q<{ id: number; id_number: string; unit_id: number; org_path: string }>(`SELECT id, id_number, unit_id, org_path FROM persons WHERE org_path LIKE :p`, { p: `${jinanPath}%` })).map((x) => [x.id_number, x]));
    const [{ id: formId }] = await q<{ id: number }>("SELECT id FROM learning_forms WHERE code = 'on_job'");
    const t0 = performance.now();
    const copy = client.query(copyFrom('COPY hour_declarations (person_id, unit_id, org_path, year, subject_type, learning_form_id, channel, activity_name, declared_hours) FROM STDIN'));
    const lines = new PassThrough();
    const done = pipeline(lines, copy);
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(bytes), { sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit' });
    for await (const sheet of reader) {
      for await (const row of sheet) {
        if (row.number === 1) continue;
        const v = row.values as string[];
        const p = ids.get(String(v[2]))!;
        lines.write(`${p.id}\t${p.unit_id}\t${p.org_path}\t2025\tprofessional\t${formId}\thr\t${v[3]}-b\t${v[7]}\n`);
      }
      break;
    }
    lines.end();
    await done;
    baselineMs.push(performance.now() - t0);
    await client.end();
    fs.rmSync(file, { force: true });
  }
  results.push({ scenario: `导入 ${IMPORT} 行岗位培训学时模板`, platformMs, baselineMs, peakMb,
    note: '平台：上传、ZIP 预检、流式读取、逐行校验（身份证、管辖范围、姓名、日期、上限、文件内与库内重复）、失败报告、分批提交；基线：exceljs 流式读取 + COPY，不做任何校验' });
}

// ---------------------------------------------------------------- report
const report = results.map((r) => ({
  scenario: r.scenario,
  platform: { medianMs: Math.round(median(r.platformMs)), p95Ms: Math.round(p95(r.platformMs)), runs: r.platformMs.map(Math.round) },
  baseline: { medianMs: Math.round(median(r.baselineMs)), runs: r.baselineMs.map(Math.round) },
  ratio: Number((median(r.platformMs) / median(r.baselineMs)).toFixed(1)),
  peakMb: r.peakMb,
  note: r.note,
}));
const meta = { at: new Date().toISOString(), node: process.version, cpus: os.cpus().length, persons: PERSONS, runs: RUNS };
const dir = path.join(projectRoot, 'bench/results');
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'latest.json'), JSON.stringify({ meta, report }, null, 2));
const md = [
  `# 基准测试结果（${meta.at.slice(0, 19)}，${meta.cpus} 核，Node ${meta.node}，专技人员 ${PERSONS} 人，每项 ${RUNS} 次取中位数）`, '',
  '| 场景 | 平台中位数 | 平台 p95 | 基线中位数 | 倍数 | 峰值内存 |', '|---|---|---|---|---|---|',
  ...report.map((r) => `| ${r.scenario} | ${r.platform.medianMs} ms | ${r.platform.p95Ms} ms | ${r.baseline.medianMs} ms | ${r.ratio}× | ${r.peakMb ? `${r.peakMb} MB` : '—'} |`),
  '', ...report.map((r) => `- ${r.scenario}：${r.note}`), '',
].join('\n');
fs.writeFileSync(path.join(dir, 'latest.md'), md);
console.log(md);
server.close();
await platform.close();
process.exit(0);
