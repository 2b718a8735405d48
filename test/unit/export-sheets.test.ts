/**
 * A report longer than one sheet (Excel opens at most 1,048,576 rows a sheet; a province has
 * 6,000,000 persons) goes on over further sheets, each with its header, no row lost or
 * repeated; sheet names stay within Excel's 31 characters. The limit is lowered to make it small.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Sequelize } from 'sequelize';
import { nthSheetName, ROWS_PER_SHEET, writeReport } from '../../src/services/exports/writer.js';
import type { Principal } from '../../src/access/principal.js';
import type { ReportDefinition } from '../../src/services/reports/types.js';

const ctx = { sequelize: {} as Sequelize, principal: {} as Principal, params: {} };
const reportOf = (n: number, title = '专技人员名册'): ReportDefinition => ({
  key: 'many', title, permission: 'x',
  columns: [{ key: 'no', header: '序号' }, { key: 'name', header: '姓名' }],
  async *rows() { for (let i = 1; i <= n; i++) yield { no: i, name: `人员${i}` }; },
});

async function sheetsOf(file: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb.worksheets.map((ws) => ({ name: ws.name, header: ws.getRow(1).values, numbers: ws.getColumn(1).values.slice(2) as number[] }));
}

describe('a report over several sheets', () => {
  const file = path.join(os.tmpdir(), `export-sheets-${process.pid}.xlsx`);
  afterEach(() => fs.rmSync(file, { force: true }));

  it('Excel’s own limit, header included', () => {
    expect(ROWS_PER_SHEET + 1).toBe(1_048_576);
  });

  it.each([[7, 3, [3, 3, 1]], [6, 3, [3, 3]], [2, 3, [2]], [0, 3, [0]]])('%i rows at %i a sheet → sheets of %j rows', async (n, per, counts) => {
    const written = await writeReport(reportOf(n), ctx, file, { rowsPerSheet: per });
    expect(written).toMatchObject({ rows: n, sheets: counts.length });
    const sheets = await sheetsOf(file);
    expect(sheets.map((s) => s.name)).toEqual(counts.map((_, i) => nthSheetName('专技人员名册', i + 1)));
    expect(sheets[1]?.name ?? '专技人员名册（续2）').toBe('专技人员名册（续2）');
    for (const s of sheets) expect(s.header).toEqual([undefined, '序号', '姓名']);
    expect(sheets.map((s) => s.numbers.length)).toEqual(counts);
    // Every row once, in order, across the sheets.
    expect(sheets.flatMap((s) => s.numbers)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });

  it('a long title is cut to leave room for the sheet number, and Excel opens the names', async () => {
    const title = '二〇二五年度全省专业技术人员继续教育学时完成情况明细名册（含已调出人员）';
    await writeReport(reportOf(5, title), ctx, file, { rowsPerSheet: 2 });
    const names = (await sheetsOf(file)).map((s) => s.name);
    expect(names).toHaveLength(3);
    for (const name of names) expect([...name].length).toBeLessThanOrEqual(31);
    expect(names[2].endsWith('（续3）')).toBe(true);
    expect(new Set(names).size).toBe(3);
  });
});
