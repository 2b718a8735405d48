/**
 * exceljs's streaming reader decodes each inflated chunk of XML on its own (a shared
 * TextDecoder without `stream: true`, exceljs 4.4.0 lib/utils/parse-sax.js): a Chinese
 * character split across two chunks becomes U+FFFD, so a name or an activity read from a large
 * sheet is silently corrupted now and then (found by the adversarial suite: one row in a
 * thousand). Before the reader sees a workbook, its XML parts are rewritten with every
 * non-ASCII character as a character reference (&#20013;): pure ASCII cannot be split. The
 * parts are decoded with a streaming decoder and re-deflated as streams.
 *
 * The parts are also put in the order the reader needs: exceljs parses a worksheet as it streams
 * by only once it has read the workbook's relationships and the shared strings; a sheet that
 * comes earlier (or a workbook without shared strings, as some tools write) is copied to a `tmp-*`
 * file of the system's temp folder, and when the engine stops after the first sheet the copy is
 * never removed (issue 14: every such import left one). Here the relationships, the workbook,
 * the shared strings (an empty table when missing) and the styles come first, so the reader never
 * writes a temp file.
 */
import { StringDecoder } from 'node:string_decoder';
import zlib from 'node:zlib';
import yauzl from 'yauzl';

// zlib's own CRC-32 (Node ≥ 20.15): the table-driven loop in JavaScript it replaces was 3 % of
// the worker's CPU validating 50,000 rows (its whole XML, ~20 MB, passes through here).
const crc32 = (buf: Buffer, crc = 0): number => zlib.crc32(buf, crc);

const NON_ASCII = /[^\u0000-\u007f]/gu;
const escape = (s: string) => s.replace(NON_ASCII, (ch) => `&#${ch.codePointAt(0)};`);

interface Part { name: Buffer; body: Buffer; crc: number; size: number }

function rewrite(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Part> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error('no stream'));
      const xml = /\.(xml|rels)$/i.test(entry.fileName);
      const decoder = new StringDecoder('utf8');
      const deflate = zlib.createDeflateRaw({ level: 1 });
      const out: Buffer[] = [];
      let crc = 0;
      let size = 0;
      const push = (b: Buffer) => { if (b.length) { crc = crc32(b, crc); size += b.length; deflate.write(b); } };
      deflate.on('data', (c: Buffer) => out.push(c));
      deflate.on('end', () => resolve({ name: Buffer.from(entry.fileName, 'utf8'), body: Buffer.concat(out), crc, size }));
      deflate.on('error', reject);
      stream.on('data', (chunk: Buffer) => push(xml ? Buffer.from(escape(decoder.write(chunk)), 'latin1') : chunk));
      stream.on('error', reject);
      stream.on('end', () => { if (xml) push(Buffer.from(escape(decoder.end()), 'latin1')); deflate.end(); });
    });
  });
}

/** Read before any worksheet, in this order; everything else keeps its place after them. */
const FIRST = ['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/sharedStrings.xml', 'xl/styles.xml'];
const rank = (name: string) => { const i = FIRST.indexOf(name); return i < 0 ? FIRST.length : i; };
const MISSING_DEFAULTS: Array<[string, string]> = [
  ['xl/sharedStrings.xml', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>'],
  ['xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'],
];
function stored(name: string, xml: string): Part {
  const raw = Buffer.from(xml, 'latin1');
  return { name: Buffer.from(name, 'utf8'), body: zlib.deflateRawSync(raw, { level: 1 }), crc: crc32(raw), size: raw.length };
}

/** The same workbook with ASCII-only XML parts (call after `inspectXlsx` has bounded it). */
export function asciiXlsx(buffer: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const parts: Part[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        rewrite(zip, entry).then((p) => { parts.push(p); zip.readEntry(); }, reject);
      });
      zip.on('error', reject);
      zip.on('end', () => {
        const present = new Set(parts.map((p) => p.name.toString('utf8')));
        for (const [name, xml] of MISSING_DEFAULTS) if (!present.has(name)) parts.push(stored(name, xml));
        parts.sort((a, b) => rank(a.name.toString('utf8')) - rank(b.name.toString('utf8')));
        const locals: Buffer[] = [];
        const central: Buffer[] = [];
        let offset = 0;
        for (const p of parts) {
          const local = Buffer.alloc(30);
          local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6); local.writeUInt16LE(8, 8);
          local.writeUInt32LE(p.crc, 14); local.writeUInt32LE(p.body.length, 18); local.writeUInt32LE(p.size, 22); local.writeUInt16LE(p.name.length, 26);
          const dir = Buffer.alloc(46);
          dir.writeUInt32LE(0x02014b50, 0); dir.writeUInt16LE(20, 4); dir.writeUInt16LE(20, 6); dir.writeUInt16LE(0x0800, 8); dir.writeUInt16LE(8, 10);
          dir.writeUInt32LE(p.crc, 16); dir.writeUInt32LE(p.body.length, 20); dir.writeUInt32LE(p.size, 24); dir.writeUInt16LE(p.name.length, 28); dir.writeUInt32LE(offset, 42);
          locals.push(local, p.name, p.body);
          central.push(dir, p.name);
          offset += 30 + p.name.length + p.body.length;
        }
        const cd = Buffer.concat(central);
        const end = Buffer.alloc(22);
        end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(parts.length, 8); end.writeUInt16LE(parts.length, 10);
        end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
        resolve(Buffer.concat([...locals, cd, end]));
      });
      zip.readEntry();
    });
  });
}
