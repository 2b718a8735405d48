/**
 * Proof files for the evidence tests (issue 17, item 1): a real PNG (drawn here, so no binary
 * fixture in git), a minimal PDF, and uploads as multipart the way the panel sends them.
 */
import zlib from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/** A w×h RGB PNG: a light card with a red band (a 「证书」 stand-in a browser really decodes). */
export function pngOf(w = 160, h = 100): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header[8] = 8; header[9] = 2; // 8-bit RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) {
      const band = y < h / 4;
      row[1 + x * 3] = band ? 200 : 250; row[2 + x * 3] = band ? 30 : 246; row[3 + x * 3] = band ? 40 : 236;
    }
    rows.push(row);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** The declaration as JSON in `payload` and the file in `evidence_file` (DeclareHours.tsx). */
export function declarationForm(payload: Record<string, unknown>, file?: { name: string; bytes: Buffer }, field = 'evidence_file'): FormData {
  const f = new FormData();
  f.append('payload', JSON.stringify(payload));
  if (file) f.append(field, new Blob([new Uint8Array(file.bytes)]), file.name);
  return f;
}

/** A record action's fields and the proof file (RequestChange.tsx sends this when a file is chosen). */
export function fieldsWithProof(fields: Record<string, string>, file: { name: string; bytes: Buffer } = { name: '聘任文件.png', bytes: pngOf() }): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  f.append('evidence_file', new Blob([new Uint8Array(file.bytes)]), file.name);
  return f;
}

/** The public registration form as the browser sends it (multipart, with the licence when given). */
export function registrationForm(fields: Record<string, string>, licence?: { name: string; bytes: Buffer }): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  if (licence) f.append('licence', new Blob([new Uint8Array(licence.bytes)]), licence.name);
  return f;
}
