/**
 * A minimal ZIP writer for hostile spreadsheets: entries may be stored or deflated, may declare
 * sizes that lie, and a deflated entry may be given as ready-made raw deflate data (a bomb built
 * from repeated independent chunks, so that hundreds of megabytes never sit in memory).
 */
import zlib from 'node:zlib';
import yauzl from 'yauzl';

export interface ZipEntry {
  name: string;
  /** Content, deflated on write. */
  data?: Buffer;
  /** Or: raw deflate data with its CRC-32 and real size already known. */
  deflated?: { bytes: Buffer; crc: number; size: number };
  /** A declared uncompressed size other than the real one (a lying header). */
  declaredSize?: number;
}

export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const body = e.deflated?.bytes ?? zlib.deflateRawSync(e.data ?? Buffer.alloc(0));
    const crc = e.deflated?.crc ?? zlib.crc32(e.data ?? Buffer.alloc(0));
    const size = e.declaredSize ?? e.deflated?.size ?? (e.data?.length ?? 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(0, 10); local.writeUInt32LE(crc >>> 0, 14); local.writeUInt32LE(body.length, 18); local.writeUInt32LE(size >>> 0, 22);
    local.writeUInt16LE(name.length, 26); local.writeUInt16LE(0, 28);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0); dir.writeUInt16LE(20, 4); dir.writeUInt16LE(20, 6); dir.writeUInt16LE(0x0800, 8); dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(0, 12); dir.writeUInt32LE(crc >>> 0, 16); dir.writeUInt32LE(body.length, 20); dir.writeUInt32LE(size >>> 0, 24);
    dir.writeUInt16LE(name.length, 28); dir.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    central.push(dir, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The entries of a real ZIP (to rebuild an exceljs workbook with one part replaced). */
export function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, Buffer>();
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, z) => {
      if (err || !z) return reject(err);
      z.on('entry', (entry: yauzl.Entry) => z.openReadStream(entry, (e, s) => {
        if (e || !s) return reject(e);
        const chunks: Buffer[] = [];
        s.on('data', (c: Buffer) => chunks.push(c));
        s.on('end', () => { out.set(entry.fileName, Buffer.concat(chunks)); z.readEntry(); });
      }));
      z.on('end', () => resolve(out));
      z.readEntry();
    });
  });
}

/**
 * Raw deflate data that inflates to `head` + `megabytes` MiB of `fill` + `tail`, built from
 * independently compressed chunks (each ends on a byte boundary; only the last is final).
 */
export function deflateBomb(head: string, fill: string, megabytes: number, tail: string): { bytes: Buffer; crc: number; size: number } {
  const flush = { finishFlush: zlib.constants.Z_FULL_FLUSH, level: 9 };
  const headBuf = Buffer.from(head);
  const chunk = Buffer.from(fill.repeat(Math.ceil((1 << 20) / fill.length)).slice(0, 1 << 20));
  const tailBuf = Buffer.from(tail);
  const deflatedChunk = zlib.deflateRawSync(chunk, flush);
  const parts = [zlib.deflateRawSync(headBuf, flush)];
  let crc = zlib.crc32(headBuf);
  for (let i = 0; i < megabytes; i++) { parts.push(deflatedChunk); crc = zlib.crc32(chunk, crc); }
  parts.push(zlib.deflateRawSync(tailBuf));
  crc = zlib.crc32(tailBuf, crc);
  return { bytes: Buffer.concat(parts), crc, size: headBuf.length + chunk.length * megabytes + tailBuf.length };
}
