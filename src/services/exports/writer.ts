/**
 * Writes any report into an xlsx file with exceljs's streaming writer: the header row in
 * Chinese (frozen), then each row as the report yields it, committed at once, so memory stays
 * flat whatever the number of rows. Every cell is neutralised against formula injection.
 * No cell styles: exceljs resolves a style for every cell, which nearly doubled the time of a
 * 100,000-row file (13.7 s against 7.7 s measured) for a bold header.
 */
import fs from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { neutraliseCell, neutraliseRow } from '../spreadsheet/neutralise.js';
import type { ReportColumn, ReportContext, ReportDefinition } from '../reports/types.js';

export interface WrittenReport { rows: number; bytes: number }

/**
 * exceljs writes a committed row into the zip's compressor without waiting for it, so a fast
 * report would pile the whole uncompressed sheet up in memory (67 MB of buffers for 120,000
 * rows, measured). Wait whenever the compressor asks to: memory then stays flat. The sheet's
 * stream is exceljs's internal StreamBuf; if that ever changes this is a no-op, not an error.
 */
async function compressorCaughtUp(sheet: ExcelJS.Worksheet): Promise<void> {
  // A readable-stream v2 PassThrough: its state is in _writableState, not writableNeedDrain.
  type Legacy = Writable & { _writableState?: { needDrain?: boolean } };
  const pipe = (sheet as unknown as { stream?: { pipes?: Legacy[] } }).stream?.pipes?.[0];
  if (pipe?._writableState?.needDrain || pipe?.writableNeedDrain) await once(pipe, 'drain');
}

/** A worksheet name: at most 31 characters, none of  \ / ? * [ ] : */
const sheetName = (title: string) => title.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Sheet1';

const NUMBER_FORMATS: Record<NonNullable<ReportColumn['format']>, string> = {
  percent: '0.0%', date: 'yyyy-mm-dd', datetime: 'yyyy-mm-dd hh:mm', decimal: '0.##',
};

export async function writeReport(def: ReportDefinition, ctx: ReportContext, filePath: string): Promise<WrittenReport> {
  const columns = def.columnsOf ? await def.columnsOf(ctx) : def.columns;
  // Styles only where a column has a number format (a percentage, a date): they cost time.
  const useStyles = columns.some((c) => c.format);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: filePath, useSharedStrings: false, useStyles });
  const sheet = workbook.addWorksheet(sheetName(def.titleOf?.(ctx.params) ?? def.title), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: neutraliseCell(c.header), key: c.key, width: c.width ?? 16 }));
  const formatted = columns.flatMap((c, i) => (c.format ? [{ index: i + 1, numFmt: NUMBER_FORMATS[c.format] }] : []));
  let rows = 0;
  try {
    for await (const row of def.rows(ctx)) {
      const added = sheet.addRow(neutraliseRow(row));
      for (const f of formatted) {
        const cell = added.getCell(f.index);
        if (typeof cell.value === 'number' || cell.value instanceof Date) cell.numFmt = f.numFmt;
      }
      added.commit();
      if (++rows % 200 === 0) await compressorCaughtUp(sheet);
      if (rows % 2_000 === 0) ctx.progress?.(rows);
    }
  } finally {
    // Always close the file, even when the report fails half-way (the caller deletes it).
    sheet.commit();
    await workbook.commit();
  }
  const { size } = await fs.stat(filePath);
  return { rows, bytes: size };
}
