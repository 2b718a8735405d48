/**
 * Login, logout, forgotten and changed password under /admin, and the gate in front of the
 * panel. Scripted clients keep AdminJS's contract: POST /admin/login with form fields
 * `email` (the ID number) and `password` → 302 to /admin.
 *
 * The gate reloads the principal from the database on every request, so a disabled account,
 * a changed role or a changed password takes effect at once, not at the next login.
 */
import type { NextFunction, Request, Response, Router } from 'express';
import 'express-session';
import type { Sequelize } from 'sequelize';
import { config } from '../../config/index.js';
import { loadPrincipal, type LoginType, type Principal } from '../access/principal.js';
import { audit } from '../services/audit.js';
import { asPlatform, runAs } from '../access/context.js';
import type { Notifier } from '../services/notifier.js';
import { authenticate, LOGIN_TYPES } from './login.js';
import { callerOf } from './credentials.js';
import { changePasswordPage, forgotPasswordPage, loginPage } from './pages.js';
import { issueCsrfToken } from './csrf.js';
import { changePassword, confirmPasswordReset, requestPasswordReset, RESET_REQUESTED } from './password-reset.js';

declare module 'express-session' {
  interface SessionData {
    adminUser?: Principal;
    as?: 'admin' | 'person';
    loginAt?: number;
    redirectTo?: string;
  }
}

type FieldsRequest = Request & { fields?: Record<string, unknown> };
const field = (req: FieldsRequest, name: string): string => {
  const v = req.fields?.[name] ?? (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '';
};

export interface AuthDeps { sequelize: Sequelize; notifier: Notifier; rootPath: string }

export function mountAuthRoutes(router: Router, { sequelize, notifier, rootPath }: AuthDeps): void {
  router.get('/login', (req, res) => {
    if (req.session.adminUser) return res.redirect(rootPath);
    res.type('html').send(loginPage(`${rootPath}/login`));
  });

  router.post('/login', (req: FieldsRequest, res, next) => asPlatform('登录', async () => {
    try {
      const idNumber = field(req, 'email');
      const rawType = field(req, 'userType');
      const userType = LOGIN_TYPES.includes(rawType as LoginType) ? rawType as LoginType : undefined;
      const result = await authenticate(sequelize, idNumber, field(req, 'password'), userType, callerOf(req));
      if (!result.ok) {
        return res.status(result.rateLimited ? 429 : 200).type('html').send(loginPage(`${rootPath}/login`, { error: result.message, idNumber, userType: rawType }));
      }
      // A new session id at login: a session fixed before login is worth nothing after it.
      const redirectTo = req.session.redirectTo;
      req.session.regenerate((err) => {
        if (err) return next(err);
        req.session.adminUser = result.principal;
        req.session.as = result.principal.kind === 'person' ? 'person' : 'admin';
        req.session.loginAt = Date.now();
        issueCsrfToken(req, res);
        req.session.save((e) => {
          if (e) return next(e);
          const target = result.principal.mustChangePassword ? `${rootPath}/password`
            : redirectTo && redirectTo.startsWith(`${rootPath}/`) && !redirectTo.startsWith(`${rootPath}/api`) ? redirectTo : rootPath;
          res.redirect(302, target);
        });
      });
    } catch (e) { next(e); }
  }));

  router.get('/logout', async (req, res, next) => {
    try {
      // A link on another site must not end the session (fetch metadata; browsers send it).
      const site = req.get('sec-fetch-site');
      if (site && site !== 'same-origin' && site !== 'none') {
        return res.status(403).type('html').send('<!DOCTYPE html><meta charset="utf-8"><p>请求来自其他网站，已拒绝退出登录。请在本系统内点击“退出”。</p>');
      }
      const p = req.session.adminUser;
      if (p) await asPlatform('退出登录', () => audit({ actor: p, action: 'logout', ip: req.ip }));
      req.session.destroy(() => res.redirect(`${rootPath}/login`));
    } catch (e) { next(e); }
  });

  router.get('/forgot-password', (_req, res) => res.type('html').send(forgotPasswordPage(rootPath)));
  router.post('/forgot-password', async (req: FieldsRequest, res, next) => {
    try {
      const idNumber = field(req, 'idNumber');
      await asPlatform('找回密码', () => requestPasswordReset(sequelize, notifier, idNumber, field(req, 'contact')));
      res.type('html').send(forgotPasswordPage(rootPath, { step: 'confirm', ok: RESET_REQUESTED, idNumber }));
    } catch (e) { next(e); }
  });
  router.get('/forgot-password/confirm', (_req, res) => res.type('html').send(forgotPasswordPage(rootPath, { step: 'confirm' })));
  router.post('/forgot-password/confirm', async (req: FieldsRequest, res, next) => {
    try {
      const idNumber = field(req, 'idNumber');
      const password = field(req, 'password');
      if (password !== field(req, 'confirm')) {
        return res.type('html').send(forgotPasswordPage(rootPath, { step: 'confirm', idNumber, error: '两次输入的新密码不一致' }));
      }
      const r = await asPlatform('找回密码', () => confirmPasswordReset(sequelize, idNumber, field(req, 'code'), password));
      if (!r.ok) return res.type('html').send(forgotPasswordPage(rootPath, { step: 'confirm', idNumber, error: r.message }));
      res.type('html').send(loginPage(`${rootPath}/login`, { ok: '密码已重置，请使用新密码登录', idNumber }));
    } catch (e) { next(e); }
  });
}

/** Pages and API calls of the panel: a fresh principal, or the login page / HTTP 401. */
export function requireLogin({ sequelize, rootPath }: AuthDeps) {
  const idleMs = config.session.idleMinutes * 60_000;
  const absoluteMs = config.session.absoluteHours * 3_600_000;
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const s = req.session;
      const isApi = req.path.startsWith('/api/');
      const refuse = () => {
        if (isApi) return res.status(401).json({ notice: { message: '登录已失效，请重新登录', type: 'error' } });
        if (req.method === 'GET') s.redirectTo = req.originalUrl;
        return res.redirect(`${rootPath}/login`);
      };
      const old = s.adminUser;
      if (!old || !s.loginAt || !s.as) return refuse();
      const fresh = Date.now() - s.loginAt < absoluteMs ? await asPlatform('加载当前用户', () => loadPrincipal(sequelize, old.accountId, s.as!)) : null;
      if (!fresh || fresh.passwordChangedAt > s.loginAt) {
        return s.destroy(() => refuse());
      }
      s.adminUser = fresh;
      s.cookie.maxAge = idleMs;
      if (fresh.mustChangePassword && !req.path.startsWith('/password') && req.path !== '/logout') {
        if (isApi) return res.status(403).json({ notice: { message: '首次登录或密码已被重置，请先修改密码', type: 'error' } });
        return res.redirect(`${rootPath}/password`);
      }
      // Everything after the gate — AdminJS's actions, files, certificates — runs on behalf of
      // this principal, and so does every query it makes (src/access/wall.ts).
      res.locals.principal = fresh;
      runAs(fresh, next);
    } catch (e) { next(e); }
  };
}

/**
 * Re-enters the principal's access context. A body parser that finishes in a stream's callback
 * (a multipart upload) hands on to the next middleware outside the context the gate set: this
 * puts it back, after every parser and before the routes that query.
 */
export function inPrincipalContext(_req: Request, res: Response, next: NextFunction): void {
  const p = res.locals.principal as Principal | undefined;
  if (!p) { next(new Error('登录校验之后缺少当前用户')); return; }
  runAs(p, next);
}

export function mountPasswordRoutes(router: Router, { sequelize, rootPath }: AuthDeps): void {
  router.get('/password', (req, res) => res.type('html').send(changePasswordPage(rootPath, { forced: req.session.adminUser?.mustChangePassword, csrf: issueCsrfToken(req, res) })));
  router.post('/password', async (req: FieldsRequest, res, next) => {
    try {
      const p = req.session.adminUser!;
      // As the principal itself: row-level security lets an account change its own row.
      const r = await changePassword(sequelize, p.accountId, field(req, 'oldPassword'), field(req, 'password'), field(req, 'confirm'), callerOf(req));
      if (!r.ok) return res.status(r.rateLimited ? 429 : 200).type('html').send(changePasswordPage(rootPath, { error: r.message, forced: p.mustChangePassword, csrf: issueCsrfToken(req, res) }));
      // Every session of the account ended with the change, this one included: log in again.
      req.session.destroy(() => res.type('html').send(loginPage(`${rootPath}/login`, { ok: '密码已修改，请使用新密码重新登录', idNumber: p.idNumber })));
    } catch (e) { next(e); }
  });
}
