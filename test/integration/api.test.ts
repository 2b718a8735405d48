/**
 * The integration API (issue 19) as a training provider and a title-evaluation office use it,
 * with every answer validated against the OpenAPI document the server publishes (contract):
 * a city super admin registers clients in the panel; a client submits 1,000 records (some
 * refused, each with every reason), resubmits them (nothing changes, the first answers come
 * back), a reviewer approves them in the panel, the client reads their state and a person's
 * hours, and the person sees in its panel who read them. Bad credentials, scopes, jurisdiction
 * and bad input are refused as the issue says, with nothing stored.
 */
import crypto from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { openApiDocument } from '../../src/api/openapi.js';

let t: TestPlatform;
let jinanAdmin: Client;
beforeAll(async () => {
  t = await startTestPlatform();
  jinanAdmin = await loggedIn(t.base, JINAN.idNumber);
});
afterAll(async () => { await t.close(); });

const JINAN = DEMO_ACCOUNTS.find((a) => a.organisationName === '济南市人力资源和社会保障局' && a.isSuper)!;
const LIXIA = DEMO_ACCOUNTS.find((a) => a.organisationName === '历下区人力资源和社会保障局' && a.isSuper)!;
const SUNYUE = DEMO_ACCOUNTS.find((a) => a.kind === 'person')!;
const RUN = crypto.randomBytes(3).toString('hex');

async function q<T extends object>(sql: string, replacements: Record<string, unknown> = {}) {
  return t.platform.db.owner.query<T>(sql, { replacements, type: QueryTypes.SELECT });
}

// ── the contract ───────────────────────────────────────────────────────────────────────
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
ajv.addSchema(JSON.parse(JSON.stringify(openApiDocument)), 'openapi');
let validated = 0;

/** The document's path template of a request path. */
function templateOf(pathname: string): string | undefined {
  if (pathname === '/api/v1/hour-declarations') return pathname;
  if (/^\/api\/v1\/persons\/[^/]+\/hours$/.test(pathname)) return '/api/v1/persons/{idNumber}/hours';
  if (/^\/api\/v1\/certificates\/[^/]+$/.test(pathname)) return '/api/v1/certificates/{number}';
  return undefined;
}

function assertContract(method: string, pathname: string, status: number, body: unknown) {
  const template = templateOf(pathname)!;
  const op = (openApiDocument.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)[template]?.[method.toLowerCase()];
  expect([method, template, status, op?.responses[status] !== undefined]).toEqual([method, template, status, true]);
  const pointer = `openapi#/paths/${template.replace(/~/g, '~0').replace(/\//g, '~1')}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
  const validate = ajv.getSchema(pointer) ?? ajv.compile({ $ref: pointer });
  const ok = validate(body);
  expect(ok ? true : { status, errors: validate.errors?.slice(0, 3) }).toBe(true);
  validated++;
}

interface Answer<T = Record<string, unknown>> { status: number; body: T; headers: Headers }

/** A call to /api/v1, its answer held to the document. */
async function call<T = Record<string, unknown>>(method: string, path: string, opts: { token?: string; json?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.headers ?? {}) };
  let body: string | undefined;
  if (opts.json !== undefined) { body = JSON.stringify(opts.json); headers['content-type'] ??= 'application/json'; }
  if (opts.raw !== undefined) { body = opts.raw; headers['content-type'] ??= 'application/json'; }
  const res = await fetch(t.base + path, { method, headers, body });
  const text = await res.text();
  const parsed = JSON.parse(text) as T;
  assertContract(method, new URL(t.base + path).pathname, res.status, parsed);
  return { status: res.status, body: parsed, headers: res.headers };
}

// ── the panel side ─────────────────────────────────────────────────────────────────────
async function orgId(name: string): Promise<number> {
  return (await q<{ id: number }>('SELECT id FROM organisations WHERE name = :name', { name }))[0].id;
}

async function register(c: Client, input: { name: string; organisation: string; scopes: string[]; allowedAddresses?: string; rateLimitPerMinute?: number }) {
  return c.json<{ id?: number; token?: string; notice?: { message: string; type: string } }>('/admin/api/resources/api_clients/actions/register', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: input.name, organisationId: String(await orgId(input.organisation)), scopes: input.scopes,
      allowedAddresses: input.allowedAddresses ?? '', rateLimitPerMinute: String(input.rateLimitPerMinute ?? 10_000) }),
  });
}
async function registered(input: Parameters<typeof register>[1]): Promise<{ id: number; token: string }> {
  const r = await register(jinanAdmin, input);
  expect(r.body.notice).toEqual({ message: '接口客户端已登记', type: 'success' });
  return { id: r.body.id!, token: r.body.token! };
}
const recordAction = (c: Client, id: number, action: string) => c.json<{ token?: string; notice?: { message: string; type: string } }>(
  `/admin/api/resources/api_clients/records/${id}/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

// ── records ────────────────────────────────────────────────────────────────────────────
const record = (externalId: string, p: { id_number: string; name: string }, over: Record<string, unknown> = {}, fields: Record<string, unknown> = {}) => ({
  externalId, idNumber: p.id_number, name: p.name, subjectType: 'professional', learningForm: 'on_job',
  fields: { activity_name: `接口测试培训 ${externalId}`, start_date: '2019-05-10', end_date: '2019-05-11', organiser: '测试在线学习平台', hours: 2, evidence: '平台学习记录', ...fields },
  ...over,
});

describe('the document', () => {
  it('is OpenAPI 3.1 at /api/v1/openapi.json, and its page is served from this server only (no CDN)', async () => {
    const doc = await (await fetch(`${t.base}/api/v1/openapi.json`)).json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/v1/certificates/{number}', '/api/v1/hour-declarations', '/api/v1/persons/{idNumber}/hours']);
    const page = await (await fetch(`${t.base}/api/v1/docs`)).text();
    const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBe(3);
    expect(assets.every((a) => a.startsWith('/api/v1/docs/'))).toBe(true);
    for (const a of assets) expect((await fetch(t.base + a)).status).toBe(200);
  });
});

describe('clients in the panel', () => {
  it('a city super admin registers one for an organisation of its jurisdiction; the secret is shown once and stored as its SHA-256', async () => {
    const options = await jinanAdmin.json<{ organisations: Array<{ name: string }> }>('/admin/api/resources/api_clients/actions/register');
    const names = options.body.organisations.map((o) => o.name);
    expect(names).toEqual(expect.arrayContaining(['济南市人力资源和社会保障局', '历下区人力资源和社会保障局']));
    expect(names).not.toContain('青岛市人力资源和社会保障局');
    const { id, token } = await registered({ name: `登记测试${RUN}`, organisation: '历下区人力资源和社会保障局', scopes: ['hours:read'], allowedAddresses: '127.0.0.1\n::1' });
    expect(token).toMatch(/^ce_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const [row] = await q<{ secret_hash: string; allowed_addresses: string[]; org_path: string }>('SELECT secret_hash, allowed_addresses, org_path FROM api_clients WHERE id = :id', { id });
    expect(row.secret_hash).toBe(crypto.createHash('sha256').update(token.slice(20)).digest('hex'));
    expect(row.allowed_addresses).toEqual(['127.0.0.1', '::1']);
    // The detail never carries the secret or its hash.
    const show = await jinanAdmin.json<{ record: { params: Record<string, unknown> } }>(`/admin/api/resources/api_clients/records/${id}/show`);
    expect(show.body.record.params.name).toBe(`登记测试${RUN}`);
    expect(JSON.stringify(show.body)).not.toContain(row.secret_hash);
    expect(JSON.stringify(show.body)).not.toContain(token.slice(20));
  });

  it('refuses an organisation outside the jurisdiction, and a county super admin altogether', async () => {
    const r = await register(jinanAdmin, { name: `越权${RUN}`, organisation: '青岛市人力资源和社会保障局', scopes: ['hours:read'] });
    expect(r.body.notice?.type).toBe('error');
    expect(r.body.token).toBeUndefined();
    const county = await loggedIn(t.base, LIXIA.idNumber);
    const c = await register(county, { name: `区级${RUN}`, organisation: '历下区人力资源和社会保障局', scopes: ['hours:read'] });
    expect(c.body.notice?.type).toBe('error');
    expect((c.body as { record?: { baseError?: { type: string } } }).record?.baseError?.type).toBe('ForbiddenError');
    expect(c.body.token).toBeUndefined();
    expect((await q<{ n: string }>('SELECT count(*) n FROM api_clients WHERE name IN (:names)', { names: [`越权${RUN}`, `区级${RUN}`] }))[0].n).toBe('0');
  });

  it('rotate ends the old secret at once, suspend and revoke refuse every call with 401, resume restores; last use is shown', async () => {
    const { id, token } = await registered({ name: `轮换测试${RUN}`, organisation: '济南市人力资源和社会保障局', scopes: ['hours:submit'] });
    expect((await call('GET', '/api/v1/hour-declarations', { token })).status).toBe(200);
    const used = await jinanAdmin.json<{ record: { params: Record<string, unknown> } }>(`/admin/api/resources/api_clients/records/${id}/show`);
    expect(used.body.record.params.last_used_at).toBeTruthy();
    expect(String(used.body.record.params.last_used_ip)).toContain('127.0.0.1');

    const rotated = await recordAction(jinanAdmin, id, 'rotate');
    expect(rotated.body.token).toMatch(/^ce_/);
    expect((await call('GET', '/api/v1/hour-declarations', { token })).status).toBe(401);
    const fresh = rotated.body.token!;
    expect((await call('GET', '/api/v1/hour-declarations', { token: fresh })).status).toBe(200);

    expect((await recordAction(jinanAdmin, id, 'suspend')).body.notice?.message).toBe('客户端已暂停');
    expect((await call('GET', '/api/v1/hour-declarations', { token: fresh })).status).toBe(401);
    expect((await recordAction(jinanAdmin, id, 'resume')).body.notice?.message).toBe('客户端已恢复');
    expect((await call('GET', '/api/v1/hour-declarations', { token: fresh })).status).toBe(200);
    expect((await recordAction(jinanAdmin, id, 'revoke')).body.notice?.message).toBe('客户端已吊销');
    const after = await call('GET', '/api/v1/hour-declarations', { token: fresh });
    expect(after).toMatchObject({ status: 401, body: { code: 'unauthorized', message: '身份验证失败' } });
    expect((await recordAction(jinanAdmin, id, 'resume')).status).not.toBe(200);
    expect((await q<{ status: string }>('SELECT status FROM api_clients WHERE id = :id', { id }))[0].status).toBe('revoked');
  });
});

describe('credentials, scopes and limits', () => {
  it('unknown, malformed or missing credentials: 401 and nothing else said', async () => {
    const bodies = [];
    for (const token of [undefined, 'nonsense', `ce_${'0'.repeat(16)}_${'A'.repeat(43)}`]) {
      const r = await call('GET', '/api/v1/hour-declarations', { token });
      expect(r.status).toBe(401);
      bodies.push(r.body);
    }
    expect(bodies).toEqual(Array(3).fill({ code: 'unauthorized', message: '身份验证失败' }));
    // Before the body is read: a bad token with a malformed body is still just 401.
    expect((await call('POST', '/api/v1/hour-declarations', { token: 'nonsense', raw: '{not json' })).status).toBe(401);
    // Refused calls are audited too — by route, never with the ID number asked for.
    const before = Number((await q<{ n: string }>("SELECT coalesce(max(id), 0) n FROM audit_log"))[0].n);
    expect((await call('GET', `/api/v1/persons/${SUNYUE.idNumber}/hours`, { token: 'nonsense' })).status).toBe(401);
    const logged = await q<{ action: string; outcome: string; reason: string }>('SELECT action, outcome, reason FROM audit_log WHERE id > :before AND resource = :r', { before, r: 'api_v1' });
    expect(logged).toEqual([{ action: 'api GET /api/v1/persons/:idNumber/hours', outcome: 'refused', reason: 'no_credentials' }]);
  });

  it('an address outside the allow-list is refused as unknown credentials', async () => {
    const { token } = await registered({ name: `地址测试${RUN}`, organisation: '济南市人力资源和社会保障局', scopes: ['hours:submit'], allowedAddresses: '10.0.0.0/8' });
    expect(await call('GET', '/api/v1/hour-declarations', { token })).toMatchObject({ status: 401, body: { code: 'unauthorized', message: '身份验证失败' } });
  });

  it('a scope the client lacks: 403 without data, nothing stored', async () => {
    const reader = await registered({ name: `只读${RUN}`, organisation: '济南市人力资源和社会保障局', scopes: ['hours:read'] });
    const [p] = await q<{ id_number: string; name: string }>("SELECT id_number, name FROM persons WHERE org_path LIKE (SELECT path FROM organisations WHERE name = '济南市人力资源和社会保障局') || '%' AND status = 'active' ORDER BY id LIMIT 1");
    const r = await call('POST', '/api/v1/hour-declarations', { token: reader.token, json: { records: [record(`ro-${RUN}`, p)] } });
    expect(r).toMatchObject({ status: 403, body: { code: 'forbidden', message: '该客户端没有 hours:submit 权限' } });
    expect(Object.keys(r.body).sort()).toEqual(['code', 'message']);
    const submitter = await registered({ name: `只报送${RUN}`, organisation: '济南市人力资源和社会保障局', scopes: ['hours:submit'] });
    expect((await call('GET', `/api/v1/persons/${p.id_number}/hours`, { token: submitter.token })).status).toBe(403);
    expect((await q<{ n: string }>('SELECT count(*) n FROM hour_declarations WHERE api_client_id = :c', { c: reader.id }))[0].n).toBe('0');
  });

  it('per-client rate limit: the call past the budget is 429 with a JSON error; another client is not affected', async () => {
    const slow = await registered({ name: `限流${RUN}`, organisation: '济南市人力资源和社会保障局', scopes: ['hours:submit'], rateLimitPerMinute: 3 });
    const other = await registered({ name: `限流对照${RUN}`, organisation: '济南市人力资源和社会保障局', scopes: ['hours:submit'], rateLimitPerMinute: 3 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call('GET', '/api/v1/hour-declarations', { token: slow.token })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await call('GET', '/api/v1/hour-declarations', { token: slow.token })).body).toMatchObject({ code: 'rate_limited' });
    expect((await call('GET', '/api/v1/hour-declarations', { token: other.token })).status).toBe(200);
  });
});

describe('certificates:verify', () => {
  it('answers what the public verification page shows (ID number masked); unknown numbers are 404; the scope is needed', async () => {
    const [p] = await q<{ id: number; org_path: string; id_number: string }>("SELECT id, org_path, id_number FROM persons WHERE status = 'active' ORDER BY id DESC LIMIT 1");
    const number = `SD2019370102${String(9_000_000 + Number(crypto.randomInt(999_999))).padStart(7, '0')}K7QX`;
    await q('INSERT INTO certificates (number, person_id, org_path, year, total_hours) VALUES (:number, :p, :path, 2019, 90)', { number, p: p.id, path: p.org_path });
    const verifier = await registered({ name: `核验${RUN}`, organisation: '济南市人力资源和社会保障局', scopes: ['certificates:verify'] });
    const r = await call<{ number: string; idNumber: string; year: number; valid: boolean }>('GET', `/api/v1/certificates/${number.toLowerCase()}`, { token: verifier.token });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ number, year: 2019 });
    expect(r.body.idNumber).not.toBe(p.id_number);
    expect((await call('GET', '/api/v1/certificates/SD20193701020000001ZZZZ', { token: verifier.token })).status).toBe(404);
    const reader = await registered({ name: `非核验${RUN}`, organisation: '济南市人力资源和社会保障局', scopes: ['hours:read'] });
    expect((await call('GET', `/api/v1/certificates/${number}`, { token: reader.token })).status).toBe(403);
  });

  it('verifies a 学时证明 number the same way: the years it states and whether the record still says the same', async () => {
    const [p] = await q<{ id: number; id_number: string }>(`SELECT p.id, p.id_number FROM persons p WHERE p.status = 'active'
        AND p.org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '济南市人力资源和社会保障局')
        AND EXISTS (SELECT 1 FROM person_year_hours y WHERE y.person_id = p.id AND y.year = 2024) ORDER BY p.id LIMIT 1`);
    const printed = await jinanAdmin.json<{ number?: string; notice?: { type: string } }>(`/admin/api/resources/persons/records/${p.id}/printHourProof`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: '2022', to: '2024' }) });
    expect(printed.body.notice?.type).toBe('success');
    const verifier = await registered({ name: `证明核验${RUN}`, organisation: '济南市人力资源和社会保障局', scopes: ['certificates:verify'] });
    const r = await call<{ kind: string; from: number; to: number; years: Array<{ year: number; totalHours: number }>; valid: boolean; idNumber: string }>(
      'GET', `/api/v1/certificates/${printed.body.number}`, { token: verifier.token });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ kind: 'hour_proof', from: 2022, to: 2024, valid: true });
    const [y2024] = await q<{ total_hours: string }>('SELECT total_hours FROM person_year_hours WHERE person_id = :id AND year = 2024', { id: p.id });
    expect(r.body.years.find((y) => y.year === 2024)?.totalHours).toBe(Number(y2024.total_hours));
    expect(r.body.idNumber).not.toBe(p.id_number);
  });
});

describe('bad input: a clear error per case, nothing stored', () => {
  let client: { id: number; token: string };
  let p: { id_number: string; name: string };
  beforeAll(async () => {
    client = await registered({ name: `坏输入${RUN}`, organisation: '济南市人力资源和社会保障局', scopes: ['hours:submit'] });
    [p] = await q<{ id_number: string; name: string }>("SELECT id_number, name FROM persons WHERE org_path LIKE (SELECT path FROM organisations WHERE name = '济南市人力资源和社会保障局') || '%' AND status = 'active' ORDER BY id LIMIT 1");
  });
  const stored = async () => Number((await q<{ n: string }>('SELECT count(*) n FROM hour_declarations WHERE api_client_id = :c', { c: client.id }))[0].n);

  it.each([
    ['malformed JSON', () => ({ raw: '{"records": [' }), 400, 'invalid_json'],
    ['not JSON at all', () => ({ raw: 'records=1', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type'],
    ['no records array', () => ({ json: { record: [] } }), 400, 'invalid_request'],
    ['1,001 records', () => ({ json: { records: Array.from({ length: 1001 }, (_, i) => record(`big-${RUN}-${i}`, p)) } }), 400, 'too_many_records'],
    ['duplicate provider ids in one call', () => ({ json: { records: [record(`dup-${RUN}`, p), record(`ok-${RUN}`, p, {}, { activity_name: '另一个培训' }), record(`dup-${RUN}`, p)] } }), 400, 'duplicate_external_ids'],
    ['a record without its id', () => ({ json: { records: [record(`x-${RUN}`, p), { ...record('', p), externalId: undefined }] } }), 400, 'invalid_request'],
    ['an oversize body', () => ({ raw: JSON.stringify({ records: [record(`huge-${RUN}`, p, {}, { evidence: 'x'.repeat(5 * 1024 * 1024) })] }) }), 413, 'payload_too_large'],
  ] as const)('%s', async (_case, input, status, code) => {
    const before = await stored();
    const r = await call<{ code: string; message: string; details?: string[] }>('POST', '/api/v1/hour-declarations', { token: client.token, ...input() });
    expect([r.status, r.body.code]).toEqual([status, code]);
    expect(r.body.message).toMatch(/[\u4e00-\u9fff]/);
    if (code === 'duplicate_external_ids') expect(r.body.details).toEqual([`externalId「dup-${RUN}」：第 1 条与第 3 条`]);
    expect(await stored()).toBe(before);
  });
});

describe('a provider through the whole journey', () => {
  it('register → submit 1,000 (some refused, every reason) → resubmit (idempotent) → reviewer approves in the panel → state and hours read back; the person sees who read them', async () => {
    const name = `测试在线学习平台${RUN}`;
    const provider = await registered({ name, organisation: '济南市人力资源和社会保障局', scopes: ['hours:submit', 'hours:read'] });
    const persons = await q<{ id: number; id_number: string; name: string }>(
      "SELECT id, id_number, name FROM persons WHERE org_path LIKE (SELECT path FROM organisations WHERE name = '济南市人力资源和社会保障局') || '%' AND status = 'active' AND id_number <> :sun ORDER BY id LIMIT 200", { sun: SUNYUE.idNumber });
    const [sun] = await q<{ id: number; id_number: string; name: string }>('SELECT id, id_number, name FROM persons WHERE id_number = :n', { n: SUNYUE.idNumber });
    const [outsider] = await q<{ id_number: string; name: string }>("SELECT id_number, name FROM persons WHERE org_path NOT LIKE (SELECT path FROM organisations WHERE name = '济南市人力资源和社会保障局') || '%' AND status = 'active' ORDER BY id LIMIT 1");
    const people = [sun, ...persons];

    // 1,000 records: 950 good ones, 50 refused (ten each for five kinds of reasons).
    const records: Array<Record<string, unknown>> = [];
    const refusedIds = new Map<string, string[]>();
    for (let i = 0; i < 1000; i++) {
      const id = `${RUN}-${String(i).padStart(4, '0')}`;
      const p = people[i % people.length];
      const k = i % 100;
      if (k === 7) { records.push(record(id, { ...p, name: `${p.name}错` })); refusedIds.set(id, ['姓名与身份证号不符']); }
      else if (k === 11) { records.push(record(id, outsider)); refusedIds.set(id, ['该身份证号不是本辖区的在册专业技术人员']); }
      else if (k === 13) { records.push(record(id, p, {}, { start_date: '2019-13-01', hours: 0.3 })); refusedIds.set(id, ['开始日期格式应为 YYYY-MM-DD', '培训学时最小单位为0.5']); }
      else if (k === 17) { records.push(record(id, p, { learningForm: 'online' })); refusedIds.set(id, ['学习形式「online」不能通过接口报送：与批量导入相同，仅限「岗位培训」（on_job）']); }
      else if (k === 19) { records.push(record(id, p, {}, { hours: 41, end_date: '2019-05-01' })); refusedIds.set(id, ['结束日期不能早于开始日期', '培训学时超过单次上限（40 学时）']); }
      else records.push(record(id, p));
    }
    const started = Date.now();
    const first = await call<{ accepted: number; refused: number; results: Array<{ externalId: string; status: string; declarationId?: number; reasons?: string[]; replayed?: boolean }> }>(
      'POST', '/api/v1/hour-declarations', { token: provider.token, json: { records } });
    const firstMs = Date.now() - started;
    expect(first.status).toBe(200);
    expect([first.body.accepted, first.body.refused]).toEqual([950, 50]);
    expect(first.body.results.map((r) => r.externalId)).toEqual(records.map((r) => r.externalId));
    for (const r of first.body.results) {
      if (refusedIds.has(r.externalId)) expect([r.externalId, r.status, r.reasons]).toEqual([r.externalId, 'refused', refusedIds.get(r.externalId)]);
      else expect([r.externalId, r.status, r.replayed, typeof r.declarationId]).toEqual([r.externalId, 'accepted', false, 'number']);
    }
    const rows = await q<{ id: string; external_id: string; source: string; channel: string; status: string; person_id: number }>(
      'SELECT id, external_id, source, channel, status, person_id FROM hour_declarations WHERE api_client_id = :c', { c: provider.id });
    expect(rows.length).toBe(950);
    expect(new Set(rows.map((r) => `${r.source}|${r.channel}|${r.status}`))).toEqual(new Set([`接口：${name}|hr|pending`]));
    const idOf = new Map(first.body.results.filter((r) => r.status === 'accepted').map((r) => [r.externalId, r.declarationId]));
    expect(rows.every((r) => idOf.get(r.external_id) === Number(r.id))).toBe(true);

    // Resubmitted as is: nothing changes, every answer is the first one.
    const again = await call<typeof first.body>('POST', '/api/v1/hour-declarations', { token: provider.token, json: { records } });
    expect([again.body.accepted, again.body.refused]).toEqual([950, 50]);
    for (const [a, b] of again.body.results.map((r, i) => [r, first.body.results[i]] as const)) {
      if (b.status === 'accepted') expect([a.externalId, a.declarationId, a.replayed]).toEqual([b.externalId, b.declarationId, true]);
      else expect(a).toEqual(b);
    }
    expect((await q<{ n: string }>('SELECT count(*) n FROM hour_declarations WHERE api_client_id = :c', { c: provider.id }))[0].n).toBe('950');

    // The reviewer finds them in 学时审核 marked with their source, and approves them all there.
    const list = await jinanAdmin.json<{ meta: { total: number }; records: Array<{ params: { source: string } }> }>(
      `/admin/api/resources/hour_reviews/actions/list?filters.source=${encodeURIComponent(name)}&filters.status=pending`);
    expect(list.body.meta.total).toBe(950);
    expect(list.body.records[0].params.source).toBe(`接口：${name}`);
    const approved = await jinanAdmin.json<{ notice?: { message: string } }>(`/admin/api/resources/hour_reviews/actions/approveAll?filters.source=${encodeURIComponent(name)}&filters.status=pending`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: '' }) });
    expect(approved.body.notice?.message).toBe('已通过 950 条');

    // The state reads back, page by page.
    const states: Array<{ externalId: string; status: string; approvedHours: number | null }> = [];
    let since: string | null = '2000-01-01T00:00:00Z';
    let pages = 0;
    while (since) {
      const page: Answer<{ items: typeof states; next: string | null }> = await call('GET', `/api/v1/hour-declarations?since=${encodeURIComponent(since)}`, { token: provider.token });
      states.push(...page.body.items);
      since = page.body.next;
      pages++;
    }
    expect(states.length).toBe(950);
    expect(new Set(states.map((s) => s.externalId)).size).toBe(950);
    expect(states.every((s) => s.status === 'approved' && s.approvedHours === 2)).toBe(true);
    expect(pages).toBe(1);
    // Resent after the decision: still the first answer, with the state as it is now.
    const late = await call<typeof first.body & { results: Array<{ state?: string }> }>('POST', '/api/v1/hour-declarations', { token: provider.token, json: { records: records.slice(0, 1) } });
    expect(late.body.results[0]).toMatchObject({ status: 'accepted', replayed: true, declarationId: first.body.results[0].declarationId, state: 'approved' });

    // Hours read back: the year's professional hours are the database's totals (the approved records count in them).
    const mine = rows.filter((r) => r.person_id === sun.id).length;
    const hours = await call<{ years: Array<{ year: number; professionalHours: number; completed: boolean; verification: { state: string } }> }>(
      'GET', `/api/v1/persons/${sun.id_number}/hours?from=2019&to=2020`, { token: provider.token });
    expect(hours.status).toBe(200);
    const [totals] = await q<{ professional_hours: string; completed: boolean }>('SELECT professional_hours, completed FROM person_year_hours WHERE person_id = :p AND year = 2019', { p: sun.id });
    expect(hours.body.years.map((y) => y.year)).toEqual([2019, 2020]);
    expect(hours.body.years[0]).toMatchObject({ professionalHours: Number(totals.professional_hours), completed: totals.completed, verification: { state: 'ok' } });
    expect(Number(totals.professional_hours)).toBeGreaterThanOrEqual(mine * 2);
    // A person outside the jurisdiction: 403, no data — the same answer as an ID number nobody has.
    const outside = await call('GET', `/api/v1/persons/${outsider.id_number}/hours`, { token: provider.token });
    expect(outside).toMatchObject({ status: 403 });
    expect(Object.keys(outside.body).sort()).toEqual(['code', 'message']);
    expect(JSON.stringify(outside.body)).not.toContain(outsider.name);

    // The person sees who read its hours, and when.
    const person = await loggedIn(t.base, SUNYUE.idNumber);
    const reads = await person.json<{ records: Array<{ params: { client_name: string; from_year: number; to_year: number } }> }>('/admin/api/resources/hours_reads/actions/list');
    expect(reads.body.records.some((r) => r.params.client_name === name && r.params.from_year === 2019 && r.params.to_year === 2020)).toBe(true);
    expect(reads.body.records.every((r) => r.params.client_name !== undefined)).toBe(true);

    // Every call is in the audit log with the client as the actor.
    const audit = await q<{ action: string; outcome: string; actor_name: string }>('SELECT action, outcome, actor_name FROM audit_log WHERE api_client_id = :c ORDER BY id', { c: provider.id });
    expect(audit.map((a) => a.action)).toEqual([
      'api POST /api/v1/hour-declarations', 'api POST /api/v1/hour-declarations', 'api GET /api/v1/hour-declarations',
      'api POST /api/v1/hour-declarations', 'api GET /api/v1/persons/:idNumber/hours', 'api GET /api/v1/persons/:idNumber/hours',
    ]);
    expect(audit.map((a) => a.outcome)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'refused']);
    expect(new Set(audit.map((a) => a.actor_name))).toEqual(new Set([`接口客户端「${name}」`]));
    console.log(`1,000 records submitted in ${firstMs} ms (${process.env.TEST_DATABASE_KIND}); ${validated} answers validated against the OpenAPI document so far`);
  });
});
