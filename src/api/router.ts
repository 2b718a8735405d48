/**
 * /api/v1 (issue 19): the platform's side of the systems around it. Request flow:
 *
 *   bearer token → client (as the platform; 401 and nothing more when unknown, suspended,
 *   revoked or from an address outside its allow-list) → per-client rate limit (PostgreSQL
 *   store shared by every process) → JSON body (bounded) → handler inside runAs(client's
 *   principal): the same policies (scopeOf / mayRun) and the database's row-level security as
 *   the panel → answer, after its entry in the audit log with the client as the actor.
 *
 * No session, cookie or CSRF: mounted before the panel's session middleware. Errors are JSON
 * `{code, message}` with a Chinese message; the OpenAPI document (openapi.ts) describes every
 * answer and the contract tests hold the server to it.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { QueryTypes, UniqueConstraintError, type Sequelize } from 'sequelize';
import { asPlatform, runAs } from '../access/context.js';
import { mayRun, scopeOf } from '../access/scope.js';
import { normaliseIdNumber, validateIdNumber } from '../domain/identifiers.js';
import { PlatformError } from '../domain/errors.js';
import { audit } from '../services/audit.js';
import { validateRows, type ImportContext } from '../services/import/engine.js';
import { hoursImport, type HourRow, type HourRowSource } from '../services/import/hours-import.js';
import type { FormRow } from '../services/hours.js';
import { isProofNumber, normaliseCertificateNumber } from '../services/certificates/number.js';
import { publicFacts } from '../services/certificates/issue.js';
import { publicProof } from '../services/certificates/proof.js';
import { yearlyFigures } from '../services/hour-history.js';
import { authenticate, type ApiScope, type AuthenticatedClient } from './clients.js';
import { declarationState, type DeclarationStateRow } from './callbacks.js';
import { API_LIMITS } from './limits.js';
import { openApiDocument } from './openapi.js';

const require = createRequire(import.meta.url);
const SWAGGER_UI = path.dirname(require.resolve('swagger-ui-dist/package.json'));

type Code = 'unauthorized' | 'forbidden' | 'invalid_json' | 'invalid_request' | 'payload_too_large' | 'too_many_records'
  | 'duplicate_external_ids' | 'unsupported_media_type' | 'rate_limited' | 'not_found' | 'conflict' | 'internal_error';

class ApiError extends Error {
  constructor(readonly status: number, readonly code: Code, message: string, readonly details?: string[]) { super(message); }
}

const UNAUTHORIZED = '身份验证失败';
const FORBIDDEN_SCOPE = (s: ApiScope) => `该客户端没有 ${s} 权限`;
const PERSON_FORBIDDEN = '无权读取该人员的学时：该人员不在本客户端的管辖范围内，或身份证号不存在';

interface ApiRequest extends Request { api?: AuthenticatedClient; auditAfter?: Record<string, unknown>; auditRecord?: string }

/** The route as the audit log names it: the template, never an ID number from the path. */
function routeOf(req: Request): string {
  if (req.route?.path) return `/api/v1${req.route.path}`;
  return `/api/v1${req.path.replace(/^\/persons\/[^/]+\/hours$/, '/persons/:idNumber/hours').replace(/^\/certificates\/[^/]+$/, '/certificates/:number').slice(0, 100)}`;
}

/** The answer, after its audit entry (one per call, the client as the actor). */
async function answer(req: ApiRequest, res: Response, status: number, body: unknown, refusal?: string): Promise<void> {
  const client = req.api?.client;
  await asPlatform('接口审计', () => audit({
    actor: req.api ? { accountId: 0, name: req.api.principal.name, orgPath: client!.org_path } : null,
    apiClientId: client?.id ?? null,
    action: `api ${req.method} ${routeOf(req)}`,
    resource: 'api_v1', recordId: req.auditRecord ?? null,
    outcome: status < 400 ? 'ok' : status >= 500 ? 'failed' : 'refused',
    after: { status, ...(req.auditAfter ?? {}) }, reason: refusal ?? null, ip: req.ip ?? null,
    orgPath: client?.org_path ?? null,
  })).catch((e) => console.error('接口审计写入失败：', e));
  res.status(status).json(body);
}

function fail(req: ApiRequest, res: Response, e: ApiError, refusal?: string) {
  return answer(req, res, e.status, { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) }, refusal ?? e.message);
}

function requireScope(req: ApiRequest, scope: ApiScope, entity: string, action: string): AuthenticatedClient {
  const a = req.api!;
  if (!a.client.scopes.includes(scope) || !mayRun(a.principal, entity, action)) throw new ApiError(403, 'forbidden', FORBIDDEN_SCOPE(scope));
  return a;
}

export interface ApiDeps { sequelize: Sequelize; rateLimitStore?: Store }

export function apiRouter({ sequelize, rateLimitStore }: ApiDeps): express.Router {
  const router = express.Router();
  router.use((_req, res, next) => { res.setHeader('Cache-Control', 'no-store'); next(); });

  // The document and its page: public, offline (swagger-ui-dist from node_modules, no CDN).
  router.get('/openapi.json', (_req, res) => res.json(openApiDocument));
  router.use('/docs/assets', express.static(SWAGGER_UI, { index: false, maxAge: '1d' }));
  router.get('/docs/init.js', (_req, res) => res.type('application/javascript').send(
    "window.onload = function () { window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true, presets: [SwaggerUIBundle.presets.apis] }); };"));
  router.get('/docs', (_req, res) => res.type('html').send(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>对接接口文档 · 山东省专业技术人员继续教育公共服务平台</title><link rel="stylesheet" href="/api/v1/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="/api/v1/docs/assets/swagger-ui-bundle.js"></script><script src="/api/v1/docs/init.js"></script></body></html>`));

  // Who is calling: nothing below runs for an unknown caller, and nothing is read of its body.
  router.use(async (req: ApiRequest, res, next) => {
    try {
      const r = await asPlatform('接口认证', () => authenticate(sequelize, req.headers.authorization, req.ip));
      if (!('ok' in r)) {
        req.api = undefined;
        res.setHeader('WWW-Authenticate', 'Bearer');
        return await answer(req, res, 401, { code: 'unauthorized', message: UNAUTHORIZED }, r.why + (r.client ? `（客户端 ${r.client.id}）` : ''));
      }
      req.api = r.ok;
      await asPlatform('接口认证', () => sequelize.query('UPDATE api_clients SET last_used_at = now(), last_used_ip = :ip WHERE id = :id',
        { replacements: { id: r.ok.client.id, ip: req.ip ?? null } }));
      next();
    } catch (e) { next(e); }
  });

  // Per client, per minute, counted in PostgreSQL (every process shares the count).
  router.use(rateLimit({
    windowMs: 60_000,
    limit: (req) => (req as ApiRequest).api!.client.rate_limit_per_minute,
    keyGenerator: (req) => `client:${(req as ApiRequest).api!.client.id}`,
    standardHeaders: 'draft-8', legacyHeaders: false,
    ...(rateLimitStore ? { store: rateLimitStore } : {}),
    handler: (req, res) => { void fail(req as ApiRequest, res, new ApiError(429, 'rate_limited', '调用过于频繁，请稍后重试')); },
  }));

  // A body is JSON or nothing; it is read only now, after the caller is known and within its budget.
  router.use((req, _res, next) => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    next(hasBody && !req.is('application/json') ? new ApiError(415, 'unsupported_media_type', '请求体须为 JSON（Content-Type: application/json）') : undefined);
  });
  router.use(express.json({ limit: API_LIMITS.maxBodyBytes, strict: true }));

  router.post('/hour-declarations', (req: ApiRequest, res, next) => {
    submit(sequelize, req).then((body) => answer(req, res, 200, body)).catch(next);
  });
  router.get('/hour-declarations', (req: ApiRequest, res, next) => {
    declarationStates(sequelize, req).then((body) => answer(req, res, 200, body)).catch(next);
  });
  router.get('/persons/:idNumber/hours', (req: ApiRequest, res, next) => {
    personHours(sequelize, req).then((body) => answer(req, res, 200, body)).catch(next);
  });
  router.get('/certificates/:number', (req: ApiRequest, res, next) => {
    verifyCertificate(sequelize, req).then((body) => answer(req, res, 200, body)).catch(next);
  });
  router.use((req: ApiRequest, res) => { void fail(req, res, new ApiError(404, 'not_found', '接口不存在')); });

  // Every error is JSON with a stable code.
  router.use((err: Error & { type?: string; status?: number }, req: ApiRequest, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (err instanceof ApiError) return void fail(req, res, err);
    if (err.type === 'entity.parse.failed') return void fail(req, res, new ApiError(400, 'invalid_json', '请求体不是有效的 JSON'));
    if (err.type === 'entity.too.large') return void fail(req, res, new ApiError(413, 'payload_too_large', `请求体过大（不能超过 ${API_LIMITS.maxBodyBytes / 1024 / 1024} MB）`));
    if (err.type === 'charset.unsupported' || err.type === 'encoding.unsupported') return void fail(req, res, new ApiError(415, 'unsupported_media_type', '请求体须为 UTF-8 编码的 JSON'));
    if (err instanceof UniqueConstraintError) return void fail(req, res, new ApiError(409, 'conflict', '部分记录正由另一请求同时报送，本次未保存任何记录，请稍后重试'));
    if (err instanceof PlatformError) return void fail(req, res, new ApiError(err.status, err.status === 403 ? 'forbidden' : 'invalid_request', err.message));
    console.error(`[${new Date().toISOString()}] ${req.method} ${req.originalUrl}`, err);
    void fail(req, res, new ApiError(500, 'internal_error', '服务器内部错误，请稍后重试'), err.message);
  });
  return router;
}

// ── POST /hour-declarations ─────────────────────────────────────────────────────────────

interface RecordIn { externalId: string; idNumber?: unknown; name?: unknown; subjectType?: unknown; learningForm?: unknown; fields?: unknown }
type Result = { externalId: string; status: 'accepted'; declarationId: number; replayed: boolean; state: string } | { externalId: string; status: 'refused'; reasons: string[] };

/** The import's columns from a record: the same names the spreadsheet template has. */
const FIELD_OF: Record<string, string> = { activity: 'activity_name', start: 'start_date', end: 'end_date', organiser: 'organiser', hours: 'hours', evidence: 'evidence' };
const FIELD_LABEL: Record<string, string> = { activity_name: '培训项目名称', start_date: '开始日期', end_date: '结束日期', organiser: '组织单位', hours: '培训学时', evidence: '证明材料' };

function text(v: unknown): string | null {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

/** The whole call's shape: refused as a whole (nothing stored) when it is not a batch of records with unique ids. */
function recordsOf(body: unknown): RecordIn[] {
  if (!body || typeof body !== 'object' || Array.isArray(body) || !Array.isArray((body as { records?: unknown }).records)) {
    throw new ApiError(400, 'invalid_request', '请求体应为 {"records": [...]}');
  }
  const records = (body as { records: unknown[] }).records;
  if (!records.length) throw new ApiError(400, 'invalid_request', 'records 不能为空');
  if (records.length > API_LIMITS.maxRecords) throw new ApiError(400, 'too_many_records', `每次最多报送 ${API_LIMITS.maxRecords} 条记录，本次 ${records.length} 条，请分批报送`);
  const missing = records.flatMap((r, i) => {
    const id = r && typeof r === 'object' ? (r as { externalId?: unknown }).externalId : undefined;
    return typeof id === 'string' && id.trim().length >= 1 && id.trim().length <= 64 ? [] : [`第 ${i + 1} 条记录的 externalId 缺失或不是 1–64 个字符的文本`];
  });
  if (missing.length) throw new ApiError(400, 'invalid_request', '每条记录都须有 externalId（报送方自己的记录编号）', missing.slice(0, 50));
  const seen = new Map<string, number>();
  const dups: string[] = [];
  records.forEach((r, i) => {
    const id = (r as RecordIn).externalId.trim();
    const first = seen.get(id);
    if (first !== undefined) dups.push(`externalId「${id}」：第 ${first + 1} 条与第 ${i + 1} 条`);
    else seen.set(id, i);
  });
  if (dups.length) throw new ApiError(400, 'duplicate_external_ids', '同一请求内 externalId 重复，本次未保存任何记录', dups.slice(0, 50));
  return records.map((r) => ({ ...(r as RecordIn), externalId: (r as RecordIn).externalId.trim() }));
}

async function submit(sequelize: Sequelize, req: ApiRequest) {
  const { client, principal } = requireScope(req, 'hours:submit', 'hour_declarations', 'importHours');
  const records = recordsOf(req.body);
  return runAs(principal, async () => {
    // Sent before: the first answer, whatever happened since (its current state is told too).
    const known = new Map((await sequelize.query<{ id: string; external_id: string; status: string }>(
      `SELECT id, external_id, status FROM hour_declarations WHERE api_client_id = :client AND external_id IN (:ids)
          AND ${scopeOf(principal, 'hour_declarations', 'list').sql()}`,
      { replacements: { client: client.id, ids: records.map((r) => r.externalId) }, type: QueryTypes.SELECT })).map((r) => [r.external_id, r]));
    const fresh = records.filter((r) => !known.has(r.externalId));
    const ctx: ImportContext = { sequelize, principal, params: { source: `接口：${client.name}`, apiClientId: client.id } satisfies HourRowSource, state: {} };
    const verdicts = new Map<string, { value?: HourRow; reasons: string[] }>();
    if (fresh.length) {
      // The mapping onto the import's template; the rules are the import's (validateRows).
      const mapping = fresh.map((r) => {
        const reasons: string[] = [];
        const f = r.fields && typeof r.fields === 'object' && !Array.isArray(r.fields) ? r.fields as Record<string, unknown> : {};
        if (r.fields !== undefined && f !== r.fields) reasons.push('fields 应为对象');
        const raw: Record<string, string> = {};
        const put = (key: string, v: unknown, label: string) => {
          const t = text(v);
          if (t === null) reasons.push(`「${label}」应为文本或数字`);
          raw[key] = t ?? '';
        };
        put('name', r.name, '姓名');
        put('idNumber', r.idNumber, '身份证号');
        for (const [col, field] of Object.entries(FIELD_OF)) put(col, f[field], FIELD_LABEL[field]);
        return { raw, reasons };
      });
      const rows = await validateRows(hoursImport, ctx, mapping.map((m) => m.raw), (i) => `第 ${records.indexOf(fresh[i]) + 1} 条记录`);
      const form = ctx.state.form as FormRow;
      fresh.forEach((r, i) => {
        const reasons = [...mapping[i].reasons];
        if (r.learningForm !== form.code) reasons.unshift(`学习形式「${String(r.learningForm ?? '')}」不能通过接口报送：与批量导入相同，仅限「${form.name}」（${form.code}）`);
        else if (!form.subject_types.includes(String(r.subjectType))) reasons.unshift(`${form.name}只能计入${form.subject_types.map((s) => (s === 'public' ? '公需科目（public）' : '专业科目（professional）')).join('或')}`);
        const v = rows[i];
        if ('reasons' in v) reasons.push(...v.reasons);
        verdicts.set(r.externalId, reasons.length ? { reasons } : { value: { ...(v as { value: HourRow }).value, externalId: r.externalId }, reasons });
      });
    }
    const accepted = [...verdicts.values()].filter((v) => v.value).map((v) => v.value!);
    const ids = new Map<string, string>();
    if (accepted.length) {
      await sequelize.transaction(async (transaction) => {
        await hoursImport.commit(accepted, ctx, transaction);
        const rows = await sequelize.query<{ id: string; external_id: string }>(
          'SELECT id, external_id FROM hour_declarations WHERE api_client_id = :client AND external_id IN (:ids)',
          { replacements: { client: client.id, ids: accepted.map((a) => a.externalId) }, type: QueryTypes.SELECT, transaction });
        for (const r of rows) ids.set(r.external_id, r.id);
      });
    }
    const results: Result[] = records.map((r) => {
      const k = known.get(r.externalId);
      if (k) return { externalId: r.externalId, status: 'accepted', declarationId: Number(k.id), replayed: true, state: k.status };
      const v = verdicts.get(r.externalId)!;
      if (v.value) return { externalId: r.externalId, status: 'accepted', declarationId: Number(ids.get(r.externalId)), replayed: false, state: 'pending' };
      return { externalId: r.externalId, status: 'refused', reasons: v.reasons };
    });
    const n = results.filter((r) => r.status === 'accepted').length;
    req.auditAfter = { records: records.length, accepted: n, new: accepted.length, replayed: known.size, refused: records.length - n };
    return { accepted: n, refused: records.length - n, results };
  });
}

// ── GET /hour-declarations?since= ───────────────────────────────────────────────────────

const ISO_US = `to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

async function declarationStates(sequelize: Sequelize, req: ApiRequest) {
  const { client, principal } = requireScope(req, 'hours:submit', 'hour_declarations', 'list');
  const since = typeof req.query.since === 'string' ? req.query.since : '';
  // `since`: a time (records changed then or later), or the `next` of a previous page ("<time>,<id>").
  const m = /^(\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2}))(?:,(\d{1,18}))?$/.exec(since);
  if (since && (!m || Number.isNaN(Date.parse(m[1])))) throw new ApiError(400, 'invalid_request', 'since 应为 ISO 8601 时间（如 2026-01-01T00:00:00Z）或上一页返回的 next');
  return runAs(principal, async () => {
    const rows = await sequelize.query<DeclarationStateRow>(
      `SELECT id, external_id, status, declared_hours, approved_hours, ce_outcome_reason(status, reason, verification_reason) reason,
              ce_outcome_at(status, decided_at, verified_at) decided_at, ${ISO_US} updated FROM hour_declarations
        WHERE api_client_id = :client AND ${scopeOf(principal, 'hour_declarations', 'list').sql()}
          ${m ? (m[2] ? 'AND (updated_at, id) > (:since::timestamptz, :after::bigint)' : 'AND updated_at >= :since::timestamptz') : ''}
        ORDER BY updated_at, id LIMIT :limit`,
      { replacements: { client: client.id, since: m?.[1] ?? null, after: m?.[2] ?? null, limit: API_LIMITS.statePage + 1 }, type: QueryTypes.SELECT });
    const page = rows.slice(0, API_LIMITS.statePage);
    const last = page[page.length - 1];
    req.auditAfter = { items: page.length };
    return {
      items: page.map(declarationState),
      next: rows.length > API_LIMITS.statePage ? `${last.updated},${last.id}` : null,
    };
  });
}

// ── GET /persons/{idNumber}/hours ───────────────────────────────────────────────────────

async function personHours(sequelize: Sequelize, req: ApiRequest) {
  const { client, principal } = requireScope(req, 'hours:read', 'person_year_hours', 'list');
  if (!mayRun(principal, 'persons', 'list')) throw new ApiError(403, 'forbidden', FORBIDDEN_SCOPE('hours:read'));
  const idNumber = normaliseIdNumber(String(req.params.idNumber ?? ''));
  const id = validateIdNumber(idNumber);
  if (!id.ok) throw new ApiError(400, 'invalid_request', `身份证号有误：${id.message}`);
  const year = (v: unknown, fallback: number) => {
    if (v === undefined || v === '') return fallback;
    if (typeof v !== 'string' || !/^\d{4}$/.test(v)) throw new ApiError(400, 'invalid_request', 'from、to 应为四位年度，如 2021');
    return Number(v);
  };
  const to = year(req.query.to, new Date().getFullYear());
  const from = year(req.query.from, to - 4);
  if (from > to) throw new ApiError(400, 'invalid_request', 'from 不能晚于 to');
  if (to - from + 1 > API_LIMITS.maxYears) throw new ApiError(400, 'invalid_request', `一次最多读取 ${API_LIMITS.maxYears} 个年度`);
  return runAs(principal, async () => {
    const [person] = await sequelize.query<{ id: number; name: string; org_path: string }>(
      `SELECT id, name, org_path FROM persons WHERE id_number = :n AND ${scopeOf(principal, 'persons', 'list').sql()}`,
      { replacements: { n: idNumber }, type: QueryTypes.SELECT });
    // Outside the jurisdiction or unknown: the same answer, no data.
    if (!person) throw new ApiError(403, 'forbidden', PERSON_FORBIDDEN);
    req.auditRecord = `person:${person.id}`;
    const years = await yearlyFigures(sequelize, person.id, from, to, { scope: {
      years: scopeOf(principal, 'person_year_hours', 'list').sql(), declarations: scopeOf(principal, 'hour_declarations', 'list').sql(),
    } });
    await sequelize.query(
      `INSERT INTO hours_reads (person_id, org_path, api_client_id, client_name, organisation_name, from_year, to_year, ip)
       VALUES (:p, :path, :client, :name, :org, :from, :to, :ip)`,
      { replacements: { p: person.id, path: person.org_path, client: client.id, name: client.name, org: principal.organisationName, from, to, ip: req.ip ?? null } });
    req.auditAfter = { person: person.id, from, to };
    return { idNumber, name: person.name, from, to, years };
  });
}

// ── GET /certificates/{number} ──────────────────────────────────────────────────────────

/**
 * 证书核验 for systems (certificates:verify): exactly the facts the public verification page
 * (/verify, what a certificate's QR code opens) shows anyone — ID number masked — read as that
 * page reads them. No jurisdiction narrows it: a title-evaluation office checks certificates
 * from anywhere in the province, as anyone holding the paper can.
 */
async function verifyCertificate(sequelize: Sequelize, req: ApiRequest) {
  requireScope(req, 'certificates:verify', 'certificates', 'list');
  const number = normaliseCertificateNumber(String(req.params.number ?? ''));
  const proof = number && isProofNumber(number) ? await asPlatform('学时证明核验', () => publicProof(sequelize, number)) : null;
  if (proof) {
    const f = proof.facts;
    req.auditRecord = `hour_proof:${f.number}`;
    return {
      kind: 'hour_proof', number: f.number, name: f.name, idNumber: f.idNumber, unitName: f.unitName, from: f.from, to: f.to, years: f.years,
      issuer: f.issuerName, issuedAt: f.issuedAt.toISOString(), valid: proof.valid, changedYears: proof.changedYears,
    };
  }
  const found = number ? await asPlatform('证书核验', () => publicFacts(sequelize, number)) : null;
  if (!found) throw new ApiError(404, 'not_found', '未找到该证书或学时证明，请核对编号');
  const f = found.facts;
  req.auditRecord = `certificate:${f.number}`;
  return {
    number: f.number, name: f.name, idNumber: f.idNumber, year: f.year, publicHours: Number(f.publicHours), professionalHours: Number(f.professionalHours),
    totalHours: Number(f.totalHours), issuer: f.issuerName, issuedAt: new Date(f.issuedAt).toISOString(), valid: found.valid,
  };
}
