/**
 * Issue 16, item 6 — memory per process, as `npm start` runs: the import of 50,000 rows and the
 * export of the province's roster (~100,000 rows at --size=small, every person of the
 * province) run in the job worker (heap capped at 256 MB), asked for over HTTP through a web
 * process exactly as the panel does. Figures: the worker's peak RSS while the job runs, and
 * each web process's RSS before and at its peak meanwhile (target: unchanged, ± 20 MB). Peak
 * RSS of this scenario = the worker's. Baselines as in import.ts / export.ts (COPY; one SQL
 * query + exceljs), in the benchmark's process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { DEMO_PASSWORD } from '../../src/db/demo-accounts.js';
import { Session, type BenchContext, type Scenario } from '../lib.js';
import { sampled, startSupervised, type Supervised } from '../supervised.js';
import { CITY_ADMIN, copyBaseline, jinanPersons, template } from './import.js';

const PROVINCE_ADMIN = '370000198001010017';
const YEAR = 2025;

async function supervised<T>(ctx: BenchContext, fn: (p: Supervised) => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_URL!;
  const p = await startSupervised(url, { WEB_CONCURRENCY: '2' });
  ctx.log(`平台（node dist/main.mjs）：任务进程 pid ${p.workerPid}，网页进程 pid ${p.webPids.join('、')}`);
  try { return await fn(p); } finally {
    const code = await p.stop();
    if (code !== 0) ctx.log(`平台退出代码 ${code}：${p.log().slice(-2000)}`);
  }
}

const webFigures = (before: number[], peak: number[]) => Object.fromEntries(before.flatMap((b, i) => [[`web${i + 1}BeforeMb`, b], [`web${i + 1}PeakMb`, peak[i]], [`web${i + 1}DeltaMb`, peak[i] - b]]));

export const workerImport: Scenario = {
  id: 'worker-import',
  title: (f) => `任务进程导入 ${f.import} 行学时模板（npm start 的进程结构）`,
  note: '平台：node dist/main.mjs（网页进程 2 个 + 任务进程 1 个，堆上限 256 MB），经网页进程上传，任务进程领取并运行（校验、失败报告、分批提交）；峰值 RSS 为任务进程的；同时记录网页进程的 RSS；基线：exceljs 流式读取 + COPY',
  target: { text: '任务进程峰值 RSS < 300 MB，< 8 s', maxPeakMb: 300, maxMedianMs: 8_000 },
  async run(ctx) {
    const persons = await jinanPersons(ctx);
    const byIdNumber = new Map(persons.map((p) => [p.id_number, p]));
    const [{ id: formId }] = (await ctx.pool.query<{ id: number }>("SELECT id FROM learning_forms WHERE code = 'on_job'")).rows;
    return supervised(ctx, async (p) => {
      const s = await new Session(p.base).login(CITY_ADMIN, DEMO_PASSWORD);
      const platformMs: number[] = [];
      const baselineMs: number[] = [];
      let peakMb = 0;
      let extra: Record<string, number> = {};
      for (let run = 0; run < ctx.flags.heavyRuns; run++) {
        const tag = `bench-worker-import-${Date.now()}-${run}`;
        const file = await template(persons, ctx.flags.import, tag);
        const m = await sampled([p.workerPid, ...p.webPids], async () => {
          const form = new FormData();
          form.append('file', new Blob([new Uint8Array(fs.readFileSync(file))]), 'bench.xlsx');
          const { jobId } = await s.json<{ jobId: number }>('/admin/api/resources/hour_declarations/actions/importHours', { method: 'POST', body: form });
          for (;;) {
            await new Promise((res) => setTimeout(res, 100));
            const st = await s.json<{ job: { status: string; committed_rows: number; error: string | null } }>(`/admin/api/resources/hour_declarations/actions/importHours?jobId=${jobId}`);
            if (st.job.status === 'failed') throw new Error(`import failed: ${st.job.error}`);
            if (st.job.status === 'succeeded') return st.job;
          }
        });
        if (m.result.committed_rows !== ctx.flags.import) ctx.log(`导入：${m.result.committed_rows} 行成功`);
        platformMs.push(m.ms);
        if (m.peak[0] >= peakMb) {
          peakMb = m.peak[0];
          extra = { workerBeforeMb: m.before[0], workerPeakMb: m.peak[0], ...webFigures(m.before.slice(1), m.peak.slice(1)) };
        }
        baselineMs.push(await copyBaseline(ctx, file, byIdNumber, formId));
        fs.rmSync(file, { force: true });
        await ctx.pool.query('DELETE FROM hour_declarations WHERE activity_name LIKE $1', [`${tag}-%`]);
      }
      return { platformMs, baselineMs, peakMb, extra };
    });
  },
};

export const workerExport: Scenario = {
  id: 'worker-export',
  title: () => '任务进程导出全省专技人员名册（npm start 的进程结构）',
  note: '平台：node dist/main.mjs，省人社厅管理员经网页进程「立即运行」专技人员名册（全省），任务进程领取并运行（权限范围分批读取、脱敏、防公式注入、流式写 xlsx、存入导出任务）；峰值 RSS 为任务进程的；基线：pg 一条 SQL 读同样的列（全省前 N 人，N 为导出行数）+ exceljs 流式写',
  target: { text: '任务进程峰值 RSS < 250 MB，≤ 1.3× 基线', maxPeakMb: 250, maxRatio: 1.3 },
  async run(ctx) {
    return supervised(ctx, async (p) => {
      const s = await new Session(p.base).login(PROVINCE_ADMIN, DEMO_PASSWORD);
      const platformMs: number[] = [];
      const baselineMs: number[] = [];
      let peakMb = 0;
      let extra: Record<string, number> = {};
      const file = path.join(os.tmpdir(), `bench-worker-export-${process.pid}.xlsx`);
      for (let run = 0; run < ctx.flags.heavyRuns; run++) {
        const m = await sampled([p.workerPid, ...p.webPids], async () => {
          const RUN = '/admin/api/resources/export_jobs/actions/runNow';
          const { jobId } = await s.json<{ jobId: number }>(RUN, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ report: 'person-roster', year: YEAR }) });
          for (;;) {
            await new Promise((res) => setTimeout(res, 100));
            const st = await s.json<{ job: { status: string; row_count: number | null; file_size: number | null; error: string | null } }>(`${RUN}?jobId=${jobId}`);
            if (st.job.status === 'failed') throw new Error(`export failed: ${st.job.error}`);
            if (st.job.status === 'succeeded') return st.job;
          }
        });
        platformMs.push(m.ms);
        const rows = m.result.row_count ?? 0;
        if (m.peak[0] >= peakMb) {
          peakMb = m.peak[0];
          extra = { rows, fileBytes: m.result.file_size ?? 0, workerBeforeMb: m.before[0], workerPeakMb: m.peak[0], ...webFigures(m.before.slice(1), m.peak.slice(1)) };
        }
        const t0 = performance.now();
        const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
        // Read in batches of 10,000 by id, as the platform does: at --size=province one SELECT of
        // 6,000,000 rows would hold them all in this process (~3 GB) before writing one.
        // A sheet holds 1,048,575 rows below its header; the rest go on further sheets, as the platform's.
        let ws = wb.addWorksheet('名册');
        let onSheet = 0; let sheets = 1; let after = 0; let left = rows;
        while (left > 0) {
          const { rows: data } = await ctx.pool.query(
            `SELECT p.id, p.name, p.id_number, o.name unit, p.title_series, p.title_level, p.title, y.public_hours, y.professional_hours, y.total_hours, y.completed
               FROM persons p JOIN organisations o ON o.id = p.unit_id LEFT JOIN person_year_hours y ON y.person_id = p.id AND y.year = $1
              WHERE p.id > $2 ORDER BY p.id LIMIT ${Math.min(10_000, left)}`, [YEAR, after]);
          if (!data.length) break;
          for (const r of data) {
            if (onSheet === 1_048_575) { ws.commit(); ws = wb.addWorksheet(`名册（续${++sheets}）`); onSheet = 0; }
            const { id: _id, ...cells } = r;
            ws.addRow(Object.values(cells)).commit();
            onSheet++;
          }
          after = data[data.length - 1].id; left -= data.length;
        }
        ws.commit();
        await wb.commit();
        baselineMs.push(performance.now() - t0);
      }
      fs.rmSync(file, { force: true });
      return { platformMs, baselineMs, peakMb, extra };
    });
  },
};
