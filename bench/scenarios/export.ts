/**
 * Export of 100,000 rows (导出): the 专技人员名册 report of 青岛 (the largest jurisdiction below the
 * province in the scale data), cut at 100,000 rows, written by the platform's writer in the
 * city's system principal — what a scheduled export does: scoped keyset reads, masking,
 * neutralised cells, exceljs streaming write to a file. Baseline: the same columns of the
 * first 100,000 persons of the city read by one SQL query through pg, written by exceljs's
 * streaming writer with no access layer, masking or neutralising.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { QueryTypes } from 'sequelize';
import { measured, type Scenario } from '../lib.js';
import { writeReport } from '../../src/services/exports/writer.js';
import { reportByKey } from '../../src/services/reports/index.js';
import { systemPrincipal } from '../../src/services/exports/jobs.js';
import type { ReportDefinition } from '../../src/services/reports/types.js';
import { runAs } from '../../src/access/context.js';

const ROWS = 100_000;
const YEAR = 2025;

export const exportRows: Scenario = {
  id: 'export',
  title: () => `导出 ${ROWS.toLocaleString('en')} 行专技人员名册（流式写 xlsx）`,
  note: '平台：报表「专技人员名册」在青岛市人社局的系统身份下（定时导出的做法）按权限范围分批读取、脱敏、防公式注入、exceljs 流式写文件，取前 100,000 行；基线：pg 一条 SQL 读同样的列（同市前 100,000 人）+ exceljs 流式写，无权限、脱敏与防注入；峰值内存为整个进程的 RSS',
  target: { text: '< 15 s 且峰值内存 < 300 MB', maxMedianMs: 15_000, maxPeakMb: 300 },
  async run(ctx) {
    const roster = reportByKey('person-roster')!;
    const limited: ReportDefinition = {
      ...roster,
      async *rows(c) {
        let n = 0;
        for await (const row of roster.rows(c)) { yield row; if (++n >= ROWS) return; }
      },
    };
    const [city] = await ctx.sequelize.query<{ id: number; path: string }>("SELECT id, path FROM organisations WHERE kind = 'city_hr' AND region_code = '370200'", { type: QueryTypes.SELECT });
    const principal = await systemPrincipal(ctx.sequelize, city.id);
    const file = path.join(os.tmpdir(), `bench-export-${process.pid}.xlsx`);
    const platformMs: number[] = [];
    const baselineMs: number[] = [];
    let peakMb = 0;
    let written = 0;
    const startMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
    for (let run = 0; run < ctx.flags.heavyRuns; run++) {
      // Through the application's walled connection, on the office's behalf (row-level security on).
      const m = await measured(() => runAs(principal, () => writeReport(limited, { sequelize: ctx.platform.db.sequelize, principal, params: { year: YEAR } }, file)));
      platformMs.push(m.ms);
      peakMb = Math.max(peakMb, m.peakMb);
      written = m.result.rows;
      const t0 = performance.now();
      const { rows } = await ctx.pool.query(
        `SELECT p.name, p.id_number, o.name unit, p.title_series, p.title_level, p.title, y.public_hours, y.professional_hours, y.total_hours, y.completed
           FROM persons p JOIN organisations o ON o.id = p.unit_id LEFT JOIN person_year_hours y ON y.person_id = p.id AND y.year = $2
          WHERE p.org_path LIKE $1 ORDER BY p.id LIMIT ${ROWS}`, [`${city.path}%`, YEAR]);
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: `${file}.base`, useSharedStrings: false, useStyles: false });
      const ws = wb.addWorksheet('名册');
      for (const r of rows) ws.addRow(Object.values(r)).commit();
      ws.commit();
      await wb.commit();
      baselineMs.push(performance.now() - t0);
    }
    fs.rmSync(file, { force: true });
    fs.rmSync(`${file}.base`, { force: true });
    return { platformMs, baselineMs, peakMb, extra: { rows: written, rssBeforeMb: startMb, peakIncreaseMb: peakMb - startMb } };
  },
};
