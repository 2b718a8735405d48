/**
 * Before exceljs parses an upload: it must be a ZIP (xlsx) whose entries are few and whose
 * uncompressed size is bounded — a 500 KB file can inflate to gigabytes. The central directory
 * (yauzl) is checked first; then every entry is inflated as a stream, counting its real bytes,
 * because a header may lie about its size (yauzl refuses an entry larger than declared). XML
 * parts must not carry a document type definition (OOXML has none; a DTD is how external
 * entities and entity expansion bombs come in). Memory stays flat: nothing is kept.
 */
import yauzl from 'yauzl';

export interface XlsxLimits { maxUncompressedBytes: number; maxEntries: number }
export const DEFAULT_XLSX_LIMITS: XlsxLimits = { maxUncompressedBytes: 200 * 1024 * 1024, maxEntries: 200 };

export class SpreadsheetRejected extends Error {}

const CORRUPT = 'Excel 文件已损坏，无法读取';
const TOO_BIG = 'Excel 文件解压后过大，已拒绝；请分成多个文件导入';
const DTD = /<!DOCTYPE|<!ENTITY/i;

export function inspectXlsx(buffer: Buffer, limits: XlsxLimits = DEFAULT_XLSX_LIMITS): Promise<void> {
  if (buffer.subarray(0, 4).compare(Buffer.from([0x50, 0x4b, 0x03, 0x04])) !== 0) {
    return Promise.reject(new SpreadsheetRejected('文件不是 Excel（xlsx）格式，请使用下载的导入模板'));
  }
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return reject(new SpreadsheetRejected(CORRUPT));
      let settled = false;
      const fail = (message: string) => {
        if (settled) return;
        settled = true;
        try { zip.close(); } catch { /* already closed */ }
        reject(new SpreadsheetRejected(message));
      };
      let entries = 0;
      let declared = 0;
      let inflated = 0;
      let sawWorkbook = false;
      zip.on('entry', (entry: yauzl.Entry) => {
        if (settled) return;
        entries += 1;
        declared += entry.uncompressedSize;
        if (entry.fileName === 'xl/workbook.xml') sawWorkbook = true;
        if (entries > limits.maxEntries) return fail('Excel 文件结构异常（内部文件过多），已拒绝');
        if (declared > limits.maxUncompressedBytes) return fail(TOO_BIG);
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return fail(CORRUPT);
          const xml = /\.(xml|rels|vml)$/i.test(entry.fileName);
          let head = '';
          stream.on('data', (chunk: Buffer) => {
            inflated += chunk.length;
            if (inflated > limits.maxUncompressedBytes) { stream.destroy(); return fail(TOO_BIG); }
            // The prolog (where a DTD must stand) is at the start of the part; UTF-16 loses its zero bytes here.
            if (xml && head.length < 65_536) {
              head += chunk.subarray(0, 65_536).toString('latin1').replace(/\0/g, '');
              if (DTD.test(head)) { stream.destroy(); fail('Excel 文件含有不允许的文档类型定义（DTD/外部实体），已拒绝'); }
            }
          });
          stream.on('error', (se: Error) => fail(/too many bytes|expected \d+|uncompressed/i.test(se.message)
            ? 'Excel 文件内部大小与声明不符（疑似压缩炸弹），已拒绝' : CORRUPT));
          stream.on('end', () => { if (!settled) zip.readEntry(); });
        });
      });
      zip.on('end', () => {
        if (settled) return;
        settled = true;
        if (sawWorkbook) resolve();
        else reject(new SpreadsheetRejected('文件不是 Excel（xlsx）工作簿，请使用下载的导入模板'));
      });
      zip.on('error', () => fail(CORRUPT));
      zip.readEntry();
    });
  });
}
