/**
 * CSRF protection for everything after login: a random token per session, sent to the browser
 * in the `XSRF-TOKEN` cookie, which AdminJS's HTTP client (axios) echoes as the `X-XSRF-TOKEN`
 * header on same-origin requests; server-rendered forms carry it as `_csrf`. Every request that
 * changes state (POST, PUT, PATCH, DELETE) must present it, or it is refused with 403.
 * The forms before login (login, forgotten password, registration) have no session to ride on;
 * they rely on the SameSite cookie and create nothing a forger could use.
 */
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import 'express-session';
import { config } from '../../config/index.js';

declare module 'express-session' {
  interface SessionData { csrf?: string }
}

export const CSRF_COOKIE = 'XSRF-TOKEN';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function issueCsrfToken(req: Request, res: Response): string {
  if (!req.session.csrf) req.session.csrf = crypto.randomBytes(32).toString('base64url');
  const sent = /(?:^|;\s*)XSRF-TOKEN=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  if (sent !== req.session.csrf) {
    res.cookie(CSRF_COOKIE, req.session.csrf, { httpOnly: false, sameSite: 'strict', secure: config.isProduction, path: '/' });
  }
  return req.session.csrf;
}

function presented(req: Request): string {
  const header = req.get('x-xsrf-token');
  if (header) return header;
  const fields = (req as Request & { fields?: Record<string, unknown> }).fields;
  const v = fields?._csrf;
  return typeof v === 'string' ? v : '';
}

export function requireCsrf(req: Request, res: Response, next: NextFunction): void {
  const token = issueCsrfToken(req, res);
  if (SAFE.has(req.method)) return next();
  const given = Buffer.from(presented(req));
  const expected = Buffer.from(token);
  if (given.length === expected.length && crypto.timingSafeEqual(given, expected)) return next();
  if (req.path.startsWith('/api/')) {
    res.status(403).json({ notice: { message: '请求校验失败（CSRF），请刷新页面后重试', type: 'error' } });
  } else {
    res.status(403).type('html').send('<!DOCTYPE html><meta charset="utf-8"><p>请求校验失败（CSRF），请刷新页面后重试。</p>');
  }
}
