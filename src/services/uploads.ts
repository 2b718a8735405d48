/**
 * Uploaded files: a size cap, and the type decided by the content (magic bytes), never by the
 * name the client gives. Only the kinds a request may carry are accepted.
 */
import fs from 'node:fs/promises';

export type UploadKind = 'pdf' | 'docx_or_xlsx' | 'jpeg' | 'png';
const SIGNATURES: Array<[UploadKind, number[]]> = [
  ['pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['docx_or_xlsx', [0x50, 0x4b, 0x03, 0x04]], // ZIP container (Office Open XML)
  ['jpeg', [0xff, 0xd8, 0xff]],
  ['png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
];

export function detectKind(head: Buffer): UploadKind | undefined {
  return SIGNATURES.find(([, sig]) => sig.every((b, i) => head[i] === b))?.[0];
}

export interface UploadedFile { path?: string; filepath?: string; name?: string; originalFilename?: string; size: number }

export class UploadError extends Error {}

export async function readUpload(file: UploadedFile, opts: { maxBytes: number; kinds: UploadKind[]; typeMessage?: string }): Promise<{ name: string; bytes: Buffer; kind: UploadKind }> {
  const where = file.path ?? file.filepath;
  if (!where) throw new UploadError('未收到文件');
  if (file.size > opts.maxBytes) throw new UploadError(`文件不能超过 ${Math.round(opts.maxBytes / 1024 / 1024)} MB`);
  const bytes = await fs.readFile(where);
  if (bytes.length > opts.maxBytes) throw new UploadError(`文件不能超过 ${Math.round(opts.maxBytes / 1024 / 1024)} MB`);
  const kind = detectKind(bytes.subarray(0, 16));
  if (!kind || !opts.kinds.includes(kind)) throw new UploadError(opts.typeMessage ?? '文件类型不受支持，请上传 PDF、Word/Excel（docx/xlsx）或图片（JPG/PNG）');
  const name = String(file.name ?? file.originalFilename ?? '附件').replace(/[\\/\r\n"]/g, '_').slice(0, 120);
  return { name, bytes, kind };
}
