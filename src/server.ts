/**
 * The HTTP application: security headers, sessions in PostgreSQL, the login gate and the
 * AdminJS panel at /admin. Request flow: browser → helmet → session → login gate (fresh
 * principal) → AdminJS router → action → scoped resource → Sequelize → PostgreSQL.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import helmet from 'helmet';
import pg from 'pg';
import { Router as AdminRouter } from 'adminjs';
import { buildAssets, buildRoutes, initializeAdmin } from '@adminjs/express';
import type { Sequelize } from 'sequelize';
import path from 'node:path';
import { config, projectRoot } from '../config/index.js';
import { buildAdmin, ROOT_PATH, stripExternalAssets } from './admin/admin.js';
import { mountLocalisedBundles } from './admin/zh-bundles.js';
import { inPrincipalContext, mountAuthRoutes, mountPasswordRoutes, requireLogin } from './auth/routes.js';
import { registerPage } from './auth/pages.js';
import { requireCsrf } from './auth/csrf.js';
import { apiRateLimitStore, rateLimits } from './auth/rate-limit.js';
import { apiRouter } from './api/router.js';
import { TOO_MANY_ATTEMPTS, type Caller } from './auth/credentials.js';
import { smallBody, uploads, MAX_UPLOAD_BYTES } from './admin/request-body.js';
import { MAX_EVIDENCE_BYTES, readEvidence, UploadError, type Evidence } from './services/evidence.js';
import { startTempSweeper } from './services/temp-files.js';
import { startJobSweeper } from './jobs/recovery.js';
import { conflictMessage } from './db/errors.js';
import { mountFileRoutes } from './admin/files.js';
import { bindListExports, mountListExportRoutes } from './admin/list-export.js';
import { bindExportNotifier } from './services/exports/schedules.js';
import { mountCertificateRoutes } from './admin/certificate-routes.js';
import { mountVerification, tooManyLookups } from './public/verify.js';
import { register, registrationOptions } from './workflow/registration.js';
import type { Models } from './db/models.js';
import { notifierFromEnv } from './services/notifier.js';
import type { Notifier } from './services/notifier.js';
import { asPlatform } from './access/context.js';
import { exclusivePool } from './db/embedded.js';
import { retryLostConnections } from './db/retry.js';
import { PlatformError } from './domain/errors.js';
import { logger, requestLogging } from './ops/log.js';
import { requestTiming, serveMetrics, watchDatabase } from './ops/metrics.js';
import { metricsGate, type MetricsAccess } from './ops/metrics-access.js';

export interface AppDeps {
  sequelize: Sequelize;
  models: Models;
  databaseUrl: string;
  sessionSecret: string;
  notifier?: Notifier;
  /** Login attempts per address and minute. */
  loginRateLimit?: number;
  /** Certificate verification look-ups per address and minute. */
  verifyRateLimit?: number;
  /** The embedded database: other pools than the application's must run each query in a transaction (src/db/embedded.ts). */
  embedded?: boolean;
  /** Separates the per-address counters of this app from others on the database (tests only). */
  rateLimitNamespace?: string;
  /** Who may read /metrics besides loopback (default: METRICS_TOKEN / METRICS_ALLOW). */
  metrics?: MetricsAccess;
  /** Sweep for jobs whose process died (default true; a web process beside a worker leaves it to the worker). */
  sweepJobs?: boolean;
}

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b4f8a"/><text x="16" y="22" font-size="16" text-anchor="middle" fill="#fff">继</text></svg>`;

export function createApp(deps: AppDeps) {
  const { sequelize, models } = deps;
  const admin = buildAdmin(models);
  initializeAdmin(admin);
  const app = express();
  app.disable('x-powered-by');
  // Whose X-Forwarded-For to believe: nobody's unless configured (TRUST_PROXY, README Deployment).
  app.set('trust proxy', config.trustProxy);
  // First: every later line of the request carries its id; every answer is timed by route
  // (src/ops/log.ts, src/ops/metrics.ts). /metrics answers before the session is read.
  app.use(requestLogging());
  app.use(requestTiming());
  app.get('/metrics', metricsGate(deps.metrics ?? config.metrics), (req, res, next) => { serveMetrics(req, res).catch(next); });
  app.use(helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // AdminJS writes its initial state into an inline script.
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  }));

  const PgStore = connectPgSimple(session);
  // Every request reads its session and touches it (rolling): a pool of 2 queued 50 concurrent
  // sessions behind each other (benchmark, issue 8). Half the main pool (which makes ~5 queries
  // a request to the store's 2); the embedded database's socket allows the main pool + 4.
  const storePool = new pg.Pool({ connectionString: deps.databaseUrl, max: Math.min(4, Math.max(2, Math.ceil(config.dbPoolMax / 2))) });
  storePool.on('error', (e) => logger.error({ err: e }, '会话存储连接错误'));
  const unwatch = watchDatabase({ sequelize, storePool });
  // The store's pool queries as the tables' owner, outside the access layer: sessions and
  // rate-limit counters belong to no jurisdiction. On the embedded database each of its queries
  // runs in a transaction of its own (src/db/embedded.ts exclusivePool).
  const sharedPool = retryLostConnections(deps.embedded ? exclusivePool(storePool) : storePool);
  const sessionStore = new PgStore({ pool: sharedPool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: 15 * 60 });
  throttleTouch(sessionStore, TOUCH_EVERY_MS);
  // Per-address counters in PostgreSQL, shared by every process; they use the store's pool.
  const limits = rateLimits({
    databaseUrl: deps.databaseUrl, pool: sharedPool, namespace: deps.rateLimitNamespace,
    attemptsPerMinute: deps.loginRateLimit ?? config.loginRateLimit, registerPerMinute: deps.loginRateLimit ?? config.loginRateLimit, verifyPerMinute: deps.verifyRateLimit ?? config.verifyRateLimit,
    onLimited: {
      attempts: (_req, res) => { res.status(429).type('html').send(`<!DOCTYPE html><meta charset="utf-8"><p>${TOO_MANY_ATTEMPTS}</p>`); },
      verify: tooManyLookups,
    },
  });
  // The integration API (issue 19): bearer tokens, no session — mounted before the session middleware.
  app.use('/api/v1', apiRouter({ sequelize, rateLimitStore: apiRateLimitStore(deps.databaseUrl, sharedPool, deps.rateLimitNamespace) }));
  startTempSweeper();
  // Every process recovers jobs whose process died (src/jobs/recovery.ts). It stops with the
  // session store, which the platform closes on shutdown (boot.ts) — no new hook needed there.
  const releaseSweeper = deps.sweepJobs === false ? () => {} : startJobSweeper(sequelize);
  const closeStore = sessionStore.close.bind(sessionStore);
  sessionStore.close = () => { releaseSweeper(); unwatch(); return closeStore(); };
  app.use(session({
    store: sessionStore,
    name: 'adminjs',
    secret: deps.sessionSecret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.isProduction, maxAge: config.session.idleMinutes * 60_000 },
  }));

  app.get('/', (_req, res) => res.redirect(ROOT_PATH));
  app.get('/favicon.ico', (_req, res) => res.redirect(301, `${ROOT_PATH}/favicon.svg`));
  app.get('/healthz', async (_req, res) => {
    try { await asPlatform('健康检查', () => sequelize.query('SELECT 1')); res.json({ status: 'ok' }); } catch { res.status(503).json({ status: 'down' }); }
  });

  // Answers that may carry personal data are never stored by a browser or a proxy; the static
  // assets of the panel (mounted before this in the router) keep their caching.
  const noStore = (_req: Request, res: Response, next: NextFunction) => { res.setHeader('Cache-Control', 'no-store'); next(); };

  const notifier = deps.notifier ?? notifierFromEnv(sequelize);
  // A scheduled export's recipients are told by e-mail through the same notifier (a link, never the file).
  bindExportNotifier(notifier);
  // 注册: public, outside the panel's login.
  app.use(['/register', '/verify'], noStore);
  app.get('/register', async (_req, res, next) => {
    try { res.type('html').send(registerPage('/register', `${ROOT_PATH}/login`, await asPlatform('注册', () => registrationOptions(sequelize)))); } catch (e) { next(e); }
  });
  // The form is multipart for the licence (issue 17): read after the rate limit, to the temp folder,
  // removed when the answer leaves; a body over the licence's cap is refused (413) before it is read.
  app.post('/register', limits.register, uploads(MAX_EVIDENCE_BYTES), express.urlencoded({ extended: false, limit: '20kb' }), (req, res, next) => asPlatform('注册', async () => {
    try {
      const parsed = req as Request & { fields?: Record<string, unknown>; files?: Record<string, unknown> };
      const values = Object.fromEntries(Object.entries((parsed.fields ?? req.body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
      const licence: { file?: Evidence; refused?: string } = {};
      try { licence.file = await readEvidence(parsed.files?.licence); } catch (e) {
        if (e instanceof UploadError) licence.refused = e.message; else throw e;
      }
      const result = await register(sequelize, values as never, req.ip, notifier, licence);
      if (result.ok) {
        return res.type('html').send(registerPage('/register', `${ROOT_PATH}/login`, { bureaus: [], units: [], ok: '注册信息已提交，请等待上级人社部门审核。审核通过后即可使用身份证号和密码登录。' }));
      }
      res.status(200).type('html').send(registerPage('/register', `${ROOT_PATH}/login`, { ...(await registrationOptions(sequelize)), values, errors: result.errors }));
    } catch (e) { next(e); }
  }));

  // 证书核验: public, what a certificate's QR code opens.
  mountVerification(app, sequelize, limits.verify);

  const authDeps = { sequelize, notifier, rootPath: ROOT_PATH };
  const router = express.Router();
  router.use((_req, res, next) => {
    const send = res.send.bind(res);
    res.send = ((body: unknown) => send(typeof body === 'string' ? stripExternalAssets(body) : body)) as typeof res.send;
    next();
  });
  const { routes, assets } = AdminRouter;
  mountLocalisedBundles(router, assets);
  buildAssets({ admin, assets, routes, router });
  router.get('/favicon.svg', (_req, res) => res.type('image/svg+xml').send(FAVICON));
  router.get('/assets/panel.css', (_req, res) => res.type('text/css').sendFile(path.join(projectRoot, 'src/admin/assets/panel.css')));
  router.use(noStore);
  // Who is asking: every password check spends from the caller's per-address budget.
  router.use((req, _res, next) => { Object.assign(req, { caller: { ip: req.ip, budget: limits.attempts } satisfies Caller }); next(); });
  // Before the login only the small forms are read, in memory (file parts are dropped unread).
  router.post(['/login', '/forgot-password', '/forgot-password/confirm'], smallBody(16 * 1024, { multipartFields: true }));
  router.post(['/forgot-password', '/forgot-password/confirm'], limits.attemptsMiddleware);
  mountAuthRoutes(router, authDeps);
  router.use(requireLogin(authDeps));
  // After the login: small bodies in memory (a form's _csrf field is among them); a multipart
  // body only once its CSRF header has been checked, to the temp folder, removed at the end.
  router.use(smallBody(2 * 1024 * 1024, { multipartFields: false }));
  router.use(requireCsrf);
  router.use(uploads(MAX_UPLOAD_BYTES));
  router.use(inPrincipalContext);
  mountPasswordRoutes(router, authDeps);
  mountFileRoutes(router, sequelize);
  bindListExports(admin);
  mountListExportRoutes(router, sequelize);
  mountCertificateRoutes(router, sequelize);
  buildRoutes({ admin, routes, router });
  app.use(ROOT_PATH, router);
  app.use(errorHandler);
  return { app, admin, storePool, sessionStore };
}

/**
 * Rolling sessions move their expiry on every request: one UPDATE per page and API call. A
 * session touched less than a minute ago is not touched again, so the idle lifetime (30
 * minutes) is kept to within a minute for one write a minute instead of one per request.
 * Saves (a changed session) are not affected. Each process remembers its own touches; with
 * several processes a session is at worst touched once a minute by each.
 */
const TOUCH_EVERY_MS = 60_000;
function throttleTouch(store: session.Store, everyMs: number): void {
  const touch = store.touch?.bind(store);
  if (!touch) return;
  let touched = new Map<string, number>();
  let since = Date.now();
  store.touch = (sid, sess, callback) => {
    const now = Date.now();
    // The remembered touches are dropped wholesale every period: at most one extra touch each.
    if (now - since > everyMs) { touched = new Map(); since = now; }
    if (now - (touched.get(sid) ?? 0) < everyMs) return callback?.();
    touched.set(sid, now);
    touch(sid, sess, callback);
  };
}

/**
 * Forbidden and not-found answers carry a message and nothing of any record. A conflict — two
 * requests racing for the same unique fact (a second open transfer of one person…), or the
 * database refusing a transaction that lost a race — is 409 with a Chinese message, never a 500.
 */
function errorHandler(err: Error & { statusCode?: number; baseMessage?: string }, req: Request, res: Response, next: NextFunction) {
  if (res.headersSent) return next(err);
  const platform = err instanceof PlatformError ? err : null;
  const conflict = platform ? undefined : conflictMessage(err);
  const status = platform ? platform.status : conflict ? 409 : err.statusCode === 403 || err.name === 'ForbiddenError' ? 403 : err.statusCode === 404 || err.name === 'NotFoundError' ? 404
    : err.statusCode === 413 ? 413 : err.statusCode === 429 ? 429 : 500;
  const message = platform?.message ?? conflict ?? (status === 403 ? (err.baseMessage && /[\u4e00-\u9fff]/.test(err.baseMessage) ? err.baseMessage : '无权执行该操作')
    : status === 404 ? '记录不存在或已被删除' : status === 413 || status === 429 ? err.message : '服务器内部错误，请稍后重试');
  if (status === 500) logger.error({ err, method: req.method, path: req.path }, `请求处理失败：${req.method} ${req.originalUrl.split('?')[0]}`);
  if (req.path.includes('/api/') || req.accepts(['json', 'html']) === 'json') {
    res.status(status).json({ notice: { message, type: 'error' } });
  } else {
    res.status(status).type('html').send(`<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>${message}</title><body style="font-family:sans-serif;padding:40px"><h3>${message}</h3><p><a href="${ROOT_PATH}">返回首页</a></p></body></html>`);
  }
}
