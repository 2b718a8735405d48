/**
 * Formula injection: every cell whose text starts with = + - @, a tab or a carriage return is
 * written as text (prefixed with '), in the neutraliser and in the file the writer produces.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Sequelize } from 'sequelize';
import { neutraliseCell, neutraliseRow } from '../../src/services/spreadsheet/neutralise.js';
import { writeReport } from '../../src/services/exports/writer.js';
import type { Principal } from '../../src/access/principal.js';
import type { ReportDefinition } from '../../src/services/reports/types.js';

const HOSTILE = ['=1+1', '+1', '-1', '@SUM(A1)', '\t=cmd', '\r=cmd', '=HYPERLINK("http://x","y")'];

describe('neutraliseCell', () => {
  it.each(HOSTILE)('prefixes %j with a quote', (v) => {
    expect(neutraliseCell(v)).toBe(`'${v}`);
  });
  it.each(['张三', '370102198506200033', ' =x', '', "'=already", 'a=b'])('leaves %j alone', (v) => {
    expect(neutraliseCell(v)).toBe(v);
  });
  it('leaves numbers, dates, booleans and empty cells alone (a negative number is no formula)', () => {
    const d = new Date('2025-01-01');
    expect(neutraliseCell(-5)).toBe(-5);
    expect(neutraliseCell(d)).toBe(d);
    expect(neutraliseCell(true)).toBe(true);
    expect(neutraliseCell(null)).toBeNull();
    expect(neutraliseCell(undefined)).toBeUndefined();
  });
  it('neutraliseRow returns a new row', () => {
    const row = { a: '=1', b: 2 };
    expect(neutraliseRow(row)).toEqual({ a: "'=1", b: 2 });
    expect(row.a).toBe('=1');
  });
});

describe('writeReport', () => {
  const report: ReportDefinition = {
    key: 'hostile', title: '注入测试', permission: 'x',
    columns: [{ key: 'v', header: '值' }, { key: 'n', header: '数' }],
    async *rows() { for (const [i, v] of HOSTILE.entries()) yield { v, n: -i }; yield { v: '正常', n: 1.5 }; },
  };
  it('writes a Chinese header, every row, and no cell that starts a formula', async () => {
    const file = path.join(os.tmpdir(), `neutralise-${process.pid}.xlsx`);
    try {
      const written = await writeReport(report, { sequelize: {} as Sequelize, principal: {} as Principal, params: {} }, file);
      expect(written.rows).toBe(HOSTILE.length + 1);
      expect(written.bytes).toBe(fs.statSync(file).size);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(file);
      const ws = wb.worksheets[0];
      expect(ws.name).toBe('注入测试');
      expect(ws.getRow(1).values).toEqual([undefined, '值', '数']);
      const values = ws.getColumn(1).values.slice(2);
      // (XML reads a written CR back as LF: the quote in front is what matters.)
      expect(values).toEqual([...HOSTILE.map((v) => `'${v}`.replace(/\r/g, '\n')), '正常']);
      expect(ws.getColumn(2).values.slice(2)).toEqual([0, -1, -2, -3, -4, -5, -6, 1.5]);
      // Nothing in the file is a formula.
      ws.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});
