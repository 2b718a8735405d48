/**
 * Before exceljs parses an upload: it must be a ZIP (xlsx) whose entries are few and whose
 * uncompressed size is bounded — a 500 KB file can inflate to gigabytes. Read from the ZIP's
 * central directory (yauzl), without inflating anything.
 */
import yauzl from 'yauzl';

export interface XlsxLimits { maxUncompressedBytes: number; maxEntries: number }
export const DEFAULT_XLSX_LIMITS: XlsxLimits = { maxUncompressedBytes: 200 * 1024 * 1024, maxEntries: 200 };

export class SpreadsheetRejected extends Error {}

export function inspectXlsx(buffer: Buffer, limits: XlsxLimits = DEFAULT_XLSX_LIMITS): Promise<void> {
  if (buffer.subarray(0, 4).compare(Buffer.from([0x50, 0x4b, 0x03, 0x04])) !== 0) {
    return Promise.reject(new SpreadsheetRejected('文件不是 Excel（xlsx）格式，请使用下载的导入模板'));
  }
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return reject(new SpreadsheetRejected('Excel 文件已损坏，无法读取'));
      let entries = 0;
      let total = 0;
      let sawWorkbook = false;
      zip.on('entry', (entry: yauzl.Entry) => {
        entries += 1;
        total += entry.uncompressedSize;
        if (entry.fileName === 'xl/workbook.xml') sawWorkbook = true;
        if (entries > limits.maxEntries) { zip.close(); return reject(new SpreadsheetRejected('Excel 文件结构异常（内部文件过多），已拒绝')); }
        if (total > limits.maxUncompressedBytes) { zip.close(); return reject(new SpreadsheetRejected('Excel 文件解压后过大，已拒绝；请分成多个文件导入')); }
        zip.readEntry();
      });
      zip.on('end', () => (sawWorkbook ? resolve() : reject(new SpreadsheetRejected('文件不是 Excel（xlsx）工作簿，请使用下载的导入模板'))));
      zip.on('error', () => reject(new SpreadsheetRejected('Excel 文件已损坏，无法读取')));
      zip.readEntry();
    });
  });
}
