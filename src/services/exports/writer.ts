/**
 * Writes any report into an xlsx file with exceljs's streaming writer: the header row in
 * Chinese, then each row as the report yields it, committed at once, so memory stays flat
 * whatever the number of rows. Every cell is neutralised against formula injection.
 */
import fs from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { neutraliseCell, neutraliseRow } from '../spreadsheet/neutralise.js';
import type { ReportContext, ReportDefinition } from '../reports/types.js';

export interface WrittenReport { rows: number; bytes: number }

/** A worksheet name: at most 31 characters, none of  \ / ? * [ ] : */
const sheetName = (title: string) => title.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Sheet1';

export async function writeReport(def: ReportDefinition, ctx: ReportContext, filePath: string): Promise<WrittenReport> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: filePath, useSharedStrings: false, useStyles: true });
  const sheet = workbook.addWorksheet(sheetName(def.title), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = def.columns.map((c) => ({ header: neutraliseCell(c.header), key: c.key, width: c.width ?? 16 }));
  sheet.getRow(1).font = { bold: true };
  let rows = 0;
  try {
    for await (const row of def.rows(ctx)) {
      sheet.addRow(neutraliseRow(row)).commit();
      rows++;
    }
  } finally {
    // Always close the file, even when the report fails half-way (the caller deletes it).
    sheet.commit();
    await workbook.commit();
  }
  const { size } = await fs.stat(filePath);
  return { rows, bytes: size };
}
