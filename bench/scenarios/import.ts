/**
 * Import of an M-row hours template through the panel (upload, two-phase job, progress) vs.
 * exceljs's streaming read plus COPY of the same rows. Peak RSS of the whole process (the app
 * runs in the benchmark's process) while the import runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { from as copyFrom } from 'pg-copy-streams';
import { measured, type BenchContext, type Scenario } from '../lib.js';

export const CITY_ADMIN = '370100198203150021'; // 济南市人社局超级管理员
const POOL = 20_000; // persons the template cycles through

export async function jinanPersons(ctx: BenchContext) {
  const r = await ctx.pool.query<{ id: number; name: string; id_number: string; unit_id: number; org_path: string }>(
    `SELECT p.id, p.name, p.id_number, p.unit_id, p.org_path FROM persons p
      WHERE p.org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '济南市人力资源和社会保障局') AND p.status = 'active'
      ORDER BY p.id LIMIT ${POOL}`);
  return r.rows;
}

export async function template(persons: { name: string; id_number: string }[], rows: number, tag: string): Promise<string> {
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

export const importHours: Scenario = {
  id: 'import',
  title: (f) => `导入 ${f.import} 行岗位培训学时模板`,
  note: '平台：上传、ZIP 预检、流式读取、逐行校验（身份证、管辖范围、姓名、日期、上限、文件内与库内重复）、失败报告、分批提交；基线：exceljs 流式读取 + COPY，不做任何校验；峰值内存为整个进程（应用与压测同一进程）的 RSS',
  target: { text: '峰值 RSS < 400 MB', maxPeakMb: 400 },
  async run(ctx) {
    const s = await ctx.login(CITY_ADMIN);
    const persons = await jinanPersons(ctx);
    const byIdNumber = new Map(persons.map((p) => [p.id_number, p]));
    const [{ id: formId }] = (await ctx.pool.query<{ id: number }>("SELECT id FROM learning_forms WHERE code = 'on_job'")).rows;
    const platformMs: number[] = [];
    const baselineMs: number[] = [];
    let peakMb = 0;
    let startMb = 0;
    for (let run = 0; run < ctx.flags.heavyRuns; run++) {
      const tag = `bench-import-${Date.now()}-${run}`;
      const file = await template(persons, ctx.flags.import, tag);
      global.gc?.();
      startMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
      const m = await measured(async () => {
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(fs.readFileSync(file))]), 'bench.xlsx');
        const { jobId } = await s.json<{ jobId: number }>('/admin/api/resources/hour_declarations/actions/importHours', { method: 'POST', body: form });
        for (;;) {
          await new Promise((res) => setTimeout(res, 100));
          const st = await s.json<{ job: { status: string; committed_rows: number; error_rows: number; error: string | null } }>(`/admin/api/resources/hour_declarations/actions/importHours?jobId=${jobId}`);
          if (st.job.status === 'failed') throw new Error(`import failed: ${st.job.error}`);
          if (st.job.status === 'succeeded') return st.job;
        }
      });
      if (m.result.committed_rows !== ctx.flags.import) ctx.log(`导入：${m.result.committed_rows} 行成功，${m.result.error_rows} 行失败`);
      platformMs.push(m.ms);
      peakMb = Math.max(peakMb, m.peakMb);
      // Baseline: the same rows, streamed by exceljs and COPYed, nothing checked.
      baselineMs.push(await copyBaseline(ctx, file, byIdNumber, formId));
      fs.rmSync(file, { force: true });
      // Leave the data as found: the imported rows are pending (no yearly totals to undo), the
      // rollups follow the delete by their triggers.
      await ctx.pool.query('DELETE FROM hour_declarations WHERE activity_name LIKE $1', [`${tag}-%`]);
    }
    return { platformMs, baselineMs, peakMb, extra: { rssBeforeImportMb: startMb, peakIncreaseMb: peakMb - startMb } };
  },
};

/** Baseline: the template's rows streamed by exceljs and COPYed, nothing checked; the ms it took. */
export async function copyBaseline(ctx: BenchContext, file: string, byIdNumber: Map<string, { id: number; unit_id: number; org_path: string }>, formId: number): Promise<number> {
  const client = await ctx.pool.connect();
  try {
    const t0 = performance.now();
    const lines = new PassThrough();
    const done = pipeline(lines, client.query(copyFrom('COPY hour_declarations (person_id, unit_id, org_path, year, subject_type, learning_form_id, channel, activity_name, declared_hours) FROM STDIN')));
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(fs.createReadStream(file), { sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit' });
    for await (const sheet of reader) {
      for await (const row of sheet) {
        if (row.number === 1) continue;
        const v = row.values as string[];
        const p = byIdNumber.get(String(v[2]))!;
        if (!lines.write(`${p.id}\t${p.unit_id}\t${p.org_path}\t2025\tprofessional\t${formId}\thr\t${v[3]}-b\t${v[7]}\n`)) await new Promise((r) => lines.once('drain', r));
      }
      break;
    }
    lines.end();
    await done;
    return performance.now() - t0;
  } finally { client.release(); }
}
