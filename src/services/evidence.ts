/**
 * 证明材料 (issue 17, item 1): the proof behind an hour claim, a title change or a registration.
 * It is read by the same reader as the plan filings' attachments (./uploads.ts: type from the
 * content's magic bytes, never the name; a size cap) and stored like them, in the record's own
 * row (migration 017). Only what a reviewer's browser can show is accepted: PDF and JPG/PNG.
 *
 * 5 MB: a phone photo of a certificate is 1.5–4 MB (JPEG, 12 MP); a scanned one-page PDF at
 * 300 dpi 0.3–1.5 MB. The plan filings keep their 10 MB (a year's work summary has many pages).
 */
import { readUpload, UploadError, type UploadedFile, type UploadKind } from './uploads.js';

export type EvidenceKind = 'pdf' | 'jpeg' | 'png';
export const EVIDENCE_KINDS: EvidenceKind[] = ['pdf', 'jpeg', 'png'];
export const MAX_EVIDENCE_BYTES = 5 * 1024 * 1024;

export interface Evidence { name: string; bytes: Buffer; kind: EvidenceKind }

/** A part of a multipart body that is a file (formidable's shape), not a text field. */
export function isUpload(v: unknown): v is UploadedFile {
  return typeof v === 'object' && v !== null && 'size' in v && ('path' in v || 'filepath' in v);
}

/** The file, checked; undefined when none was sent; UploadError (a Chinese message) when refused. */
export async function readEvidence(file: unknown): Promise<Evidence | undefined> {
  if (!isUpload(file)) return undefined;
  if (file.size === 0) throw new UploadError('文件为空，请重新选择');
  const r = await readUpload(file, { maxBytes: MAX_EVIDENCE_BYTES, kinds: EVIDENCE_KINDS as UploadKind[], typeMessage: '文件类型不受支持，请上传 PDF 或图片（JPG/PNG）' });
  return { name: r.name, bytes: r.bytes, kind: r.kind as EvidenceKind };
}

export { UploadError };
