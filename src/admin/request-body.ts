/**
 * Request bodies of the panel, parsed in an order an attacker cannot exploit (issue 14, item 5:
 * formidable used to run before the login gate on every /admin path and left an `upload_*` file
 * of every multipart post, logged in or not, in the temp folder — 193 MB in one session):
 *
 * - `smallBody` (before and after the login gate): url-encoded and JSON bodies, and multipart
 *   *fields*, in memory, bounded; file parts are never written anywhere. A multipart body after
 *   the login is left unread here: the CSRF check that follows reads the X-XSRF-TOKEN header
 *   (the panel always sends it), so a forged or anonymous upload is refused before one byte of
 *   it is parsed.
 * - `uploads` (after the session and the CSRF token are checked): multipart with files, written
 *   to the platform's temp folder and removed when the response ends, whatever the outcome
 *   (answered, failed, refused, aborted by the client). Over the limit: HTTP 413, in Chinese.
 *
 * AdminJS reads `req.fields` and `req.files` (what express-formidable used to set).
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import formidable from 'formidable';
import fs from 'node:fs';
import { ensureTempDir } from '../services/temp-files.js';

type BodyRequest = Request & { fields?: Record<string, unknown>; files?: Record<string, unknown>; express_formidable?: { parsed: boolean } };

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/** Multipart overhead besides the file (boundaries, the other fields). */
const MULTIPART_SLACK = 256 * 1024;
const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

export class BodyTooLarge extends Error { readonly statusCode = 413; }

function refuse(req: Request, res: Response, status: number, message: string): void {
  // The rest of the body is read and dropped (never stored), so the client sees the answer.
  req.resume();
  res.set('Connection', 'close');
  if (req.path.includes('/api/') || req.accepts(['json', 'html']) === 'json') res.status(status).json({ notice: { message, type: 'error' } });
  else res.status(status).type('html').send(`<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>${message}</title><body style="font-family:sans-serif;padding:40px"><h3>${message}</h3></body></html>`);
}

const hasBody = (req: Request) => req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
const isMultipart = (req: Request) => /^multipart\//i.test(req.headers['content-type'] ?? '');

/** In memory, at most `limit` bytes: url-encoded, JSON, and (when `multipartFields`) multipart fields. */
export function smallBody(limit: number, opts: { multipartFields: boolean }) {
  const urlencoded = express.urlencoded({ extended: false, limit, parameterLimit: 2000 });
  const json = express.json({ limit });
  const tooLarge = `提交的内容过大（不能超过 ${Math.max(1, Math.round(limit / 1024))} KB）`;
  return (req: BodyRequest, res: Response, next: NextFunction) => {
    if (req.express_formidable?.parsed || !hasBody(req)) return next();
    const done = (err?: unknown) => {
      if (err) {
        const e = err as { type?: string; status?: number };
        if (e.status === 413 || e.type === 'entity.too.large' || e.type === 'parameters.too.many') return refuse(req, res, 413, tooLarge);
        return refuse(req, res, 400, '提交的内容格式不正确');
      }
      req.fields = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
      req.express_formidable = { parsed: true };
      next();
    };
    const type = req.headers['content-type'] ?? '';
    if (/urlencoded/i.test(type)) return urlencoded(req, res, done);
    if (/json/i.test(type)) return json(req, res, done);
    if (isMultipart(req)) {
      if (!opts.multipartFields) return next(); // read after the CSRF check, by `uploads`
      if (Number(req.headers['content-length'] ?? 0) > limit) return refuse(req, res, 413, tooLarge);
      const form = new formidable.IncomingForm({ maxFieldsSize: limit, maxFields: 200 });
      // File parts are dropped as they stream by: nothing before the login reaches the disk.
      form.onPart = (part) => { if (part.filename === undefined) form.handlePart(part); };
      return form.parse(req, (err, fields) => {
        if (err) return refuse(req, res, /maxFieldsSize|maxFields/.test(String(err.message)) ? 413 : 400, /max/.test(String(err.message)) ? tooLarge : '提交的内容格式不正确');
        req.fields = fields as Record<string, unknown>;
        req.express_formidable = { parsed: true };
        next();
      });
    }
    return refuse(req, res, 415, '不支持的提交格式');
  };
}

/** Multipart with files, for a request whose session and CSRF token have been checked. */
export function uploads(maxFileBytes = MAX_UPLOAD_BYTES) {
  const tooLarge = `文件过大：单次上传不能超过 ${mb(maxFileBytes)}`;
  return (req: BodyRequest, res: Response, next: NextFunction) => {
    if (req.express_formidable?.parsed || !hasBody(req) || !isMultipart(req)) return next();
    if (Number(req.headers['content-length'] ?? 0) > maxFileBytes + MULTIPART_SLACK) return refuse(req, res, 413, tooLarge);
    const form = new formidable.IncomingForm({ uploadDir: ensureTempDir(), maxFileSize: maxFileBytes, maxFieldsSize: 2 * 1024 * 1024, maxFields: 2000 });
    // Every file this request opened goes when the response ends, whatever happened: before the
    // answer leaves (so a client never sees its upload still on disk), or when the connection
    // closes first (an aborted upload).
    let cleaned = false;
    const cleanup = () => {
      if (cleaned) return;
      cleaned = true;
      for (const f of form.openedFiles) { try { fs.rmSync(f.path, { force: true }); } catch { /* already gone */ } }
    };
    const end = res.end.bind(res) as (...a: unknown[]) => Response;
    res.end = ((...a: unknown[]) => { cleanup(); return end(...a); }) as typeof res.end;
    res.once('close', cleanup);
    form.parse(req, (err, fields, files) => {
      if (err) {
        cleanup();
        if (res.headersSent) return;
        const message = String(err.message);
        if (/maxFileSize|maxFieldsSize|maxFields/.test(message)) return refuse(req, res, 413, /maxFileSize/.test(message) ? tooLarge : '提交的内容过大');
        return refuse(req, res, /aborted/i.test(message) ? 400 : 400, '上传未完成或格式不正确，请重新上传');
      }
      req.fields = fields as Record<string, unknown>;
      req.files = files as Record<string, unknown>;
      req.express_formidable = { parsed: true };
      next();
    });
  };
}
