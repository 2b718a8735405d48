/**
 * Signed callbacks (issue 19 item 3) as a provider's system meets them: a real HTTP receiver on
 * this machine, a client registered in the panel with that address, records sent through
 * /api/v1, decided in the panel (approve, reject, 审验不通过) — and what the receiver gets:
 * one event per decision, valid against the OpenAPI document's webhook schema, signed so that
 * the client's own secret verifies it, retried with backoff when the receiver fails, given up
 * after 8 attempts and sent again from the panel; an event exists only when its decision
 * committed, whatever path made it, and never twice however many workers deliver.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueryTypes } from 'sequelize';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { openApiDocument } from '../../src/api/openapi.js';
import { verifyCallback } from '../../src/api/callbacks.js';
import { CALLBACK_LIMITS, deliverDueCallbacks, retryDelaySeconds } from '../../src/jobs/api-callbacks.js';

const JINAN = DEMO_ACCOUNTS.find((a) => a.organisationName === '济南市人力资源和社会保障局' && a.isSuper)!;
const LIXIA = DEMO_ACCOUNTS.find((a) => a.organisationName === '历下区人力资源和社会保障局' && a.isSuper)!;
const RUN = crypto.randomBytes(3).toString('hex');

// ── a receiver, as a provider would run one ────────────────────────────────────────────
interface Received { headers: http.IncomingHttpHeaders; body: string }
const received: Received[] = [];
/** What the receiver answers next on /failing (a status per request, then 200); every other path answers 200. */
const answers: number[] = [];
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.statusCode = req.url?.endsWith('/failing') ? answers.shift() ?? 200 : 200;
    res.end('ok');
  });
});
let hookUrl = '';

let t: TestPlatform;
let jinan: Client;
beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ce-callback`;
  t = await startTestPlatform();
  jinan = await loggedIn(t.base, JINAN.idNumber);
});
afterAll(async () => { await t.close(); receiver.closeAllConnections(); await new Promise((r) => receiver.close(r)); });

const q = <T extends object>(sql: string, replacements: Record<string, unknown> = {}) =>
  t.platform.db.owner.query<T>(sql, { replacements, type: QueryTypes.SELECT });
const post = (c: Client, path: string, data: Record<string, unknown>) => c.json<{ notice?: { message: string; type: string }; id?: number; token?: string }>(
  path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
ajv.addSchema(JSON.parse(JSON.stringify(openApiDocument)), 'openapi');
const validEvent = ajv.compile({ $ref: 'openapi#/components/schemas/CallbackEvent' });

async function registerClient(name: string, callbackUrl: string) {
  const [{ id: org }] = await q<{ id: number }>("SELECT id FROM organisations WHERE name = '济南市人力资源和社会保障局'");
  const r = await post(jinan, '/admin/api/resources/api_clients/actions/register',
    { name, organisationId: String(org), scopes: ['hours:submit'], allowedAddresses: '', rateLimitPerMinute: '10000', callbackUrl });
  expect(r.body.notice).toEqual({ message: '接口客户端已登记', type: 'success' });
  // The token is ce_<16 hex>_<secret>; the secret itself may hold '_'.
  return { id: r.body.id!, token: r.body.token!, secret: r.body.token!.slice('ce_'.length + 16 + 1) };
}

/** `n` records of Jinan's persons, sent through the API; their declaration ids. */
async function submitted(token: string, n: number, tag: string): Promise<number[]> {
  const persons = await q<{ id_number: string; name: string }>(
    "SELECT id_number, name FROM persons WHERE org_path LIKE (SELECT path FROM organisations WHERE name = '济南市人力资源和社会保障局') || '%' AND status = 'active' ORDER BY id DESC LIMIT :n", { n });
  const records = persons.map((p, i) => ({
    externalId: `${tag}-${i}`, idNumber: p.id_number, name: p.name, subjectType: 'professional', learningForm: 'on_job',
    fields: { activity_name: `回调测试 ${tag}-${i}`, start_date: '2018-06-01', end_date: '2018-06-02', organiser: '测试在线学习平台', hours: 1.5, evidence: '平台学习记录' },
  }));
  const res = await fetch(`${t.base}/api/v1/hour-declarations`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ records }) });
  const body = await res.json() as { accepted: number; results: Array<{ declarationId: number }> };
  expect([res.status, body.accepted]).toEqual([200, n]);
  return body.results.map((r) => r.declarationId);
}

const events = (client: number) => q<{ id: string; declaration_id: string; status: string; delivery: string; attempts: number; reason: string | null; wait: number; last_error: string | null }>(
  `SELECT id, declaration_id, status, delivery, attempts, reason, last_error, extract(epoch FROM next_attempt_at - now())::int wait
     FROM api_callbacks WHERE api_client_id = :client ORDER BY id`, { client });
/** Deliver until nothing of this client is due (each round sends what is due once). */
const drain = async () => { for (let i = 0; i < 10 && (await deliverDueCallbacks(t.platform.db.sequelize)).claimed > 0; i++); };
const bodiesOf = (tag: string) => received.filter((r) => r.body.includes(`"${tag}-`)).map((r) => ({ ...r, json: JSON.parse(r.body) as { event: string; deliveryId: number; declaration: Record<string, unknown> } }));

describe('a decision tells the client', () => {
  it('approve, reject and 审验不通过 in the panel → one signed event each, valid against the document, equal to the state the API lists', async () => {
    const client = await registerClient(`回调测试平台${RUN}`, hookUrl);
    const tag = `a${RUN}`;
    const [a, b, c] = await submitted(client.token, 3, tag);
    expect(await events(client.id)).toEqual([]);   // sent, not decided: nothing to tell
    const r1 = await post(jinan, `/admin/api/resources/hour_reviews/records/${a}/approve`, {});
    const r2 = await post(jinan, `/admin/api/resources/hour_reviews/records/${b}/reject`, { reason: '证明材料不清晰' });
    const r3 = await post(jinan, `/admin/api/resources/hour_reviews/records/${c}/approve`, {});
    expect([r1.body.notice?.type, r2.body.notice?.type, r3.body.notice?.type]).toEqual(['success', 'success', 'success']);
    const r4 = await post(jinan, `/admin/api/resources/hour_verifications/records/${c}/verificationFail`, { reason: '培训机构无该学员记录' });
    expect(r4.body.notice?.type).toBe('success');

    // Written in the decisions' transactions: there before any delivery ran.
    expect((await events(client.id)).map((e) => [Number(e.declaration_id), e.status, e.reason, e.delivery])).toEqual([
      [a, 'approved', null, 'queued'], [b, 'rejected', '证明材料不清晰', 'queued'], [c, 'approved', null, 'queued'], [c, 'verification_failed', '培训机构无该学员记录', 'queued'],
    ]);
    await drain();
    const got = bodiesOf(tag);
    expect(got.map((g) => [g.json.declaration.declarationId, g.json.declaration.status])).toEqual([[a, 'approved'], [b, 'rejected'], [c, 'approved'], [c, 'verification_failed']]);
    for (const g of got) {
      expect(validEvent(g.json) ? true : validEvent.errors).toBe(true);
      expect(g.headers['x-ce-event']).toBe('hour_declaration.decided');
      expect(g.headers['x-ce-delivery']).toBe(String(g.json.deliveryId));
      expect(verifyCallback(client.secret, String(g.headers['x-ce-signature']), g.body)).toBe(true);
      // Another secret, a changed body or a stale time: refused by the same check.
      expect(verifyCallback(crypto.randomBytes(32).toString('base64url'), String(g.headers['x-ce-signature']), g.body)).toBe(false);
      expect(verifyCallback(client.secret, String(g.headers['x-ce-signature']), g.body.replace('"approved"', '"rejected"').replace('"rejected"', '"approved"') + ' ')).toBe(false);
      expect(verifyCallback(client.secret, String(g.headers['x-ce-signature']), g.body, Math.floor(Date.now() / 1000) + 301)).toBe(false);
    }
    expect((await events(client.id)).map((e) => e.delivery)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
    // The last event of each record says what GET /hour-declarations says of it.
    const states = await (await fetch(`${t.base}/api/v1/hour-declarations?since=2000-01-01T00:00:00Z`, { headers: { authorization: `Bearer ${client.token}` } })).json() as { items: Array<Record<string, unknown>> };
    const last = new Map(got.map((g) => [g.json.declaration.declarationId, g.json.declaration]));
    expect(states.items.filter((s) => String(s.externalId).startsWith(tag)).sort((x, y) => Number(x.declarationId) - Number(y.declarationId)))
      .toEqual([a, b, c].map((id) => last.get(id)));
  });

  it('approve-all of many records: one event per record, each delivered once by two workers delivering at the same time', async () => {
    const client = await registerClient(`回调批量${RUN}`, hookUrl);
    const tag = `b${RUN}`;
    const ids = await submitted(client.token, 60, tag);
    const all = await post(jinan, `/admin/api/resources/hour_reviews/actions/approveAll?filters.source=${encodeURIComponent(`接口：回调批量${RUN}`)}&filters.status=pending`, { reason: '' });
    expect(all.body.notice?.message).toBe('已通过 60 条');
    expect((await events(client.id)).length).toBe(60);
    // Two workers at once (two connections of the pool): SKIP LOCKED and the lease split the events.
    await Promise.all([drain(), drain()]);
    const got = bodiesOf(tag).map((g) => g.json.declaration.declarationId as number);
    expect(got.length).toBe(60);
    expect(new Set(got)).toEqual(new Set(ids));
  });
});

describe('only committed decisions, from any path', () => {
  it('a decision rolled back leaves no event; one made by plain SQL (no code path of ours) still has its event', async () => {
    const client = await registerClient(`回调事务${RUN}`, hookUrl);
    const [a, b] = await submitted(client.token, 2, `c${RUN}`);
    const owner = t.platform.db.owner;
    await owner.transaction(async (transaction) => {
      await owner.query("UPDATE hour_declarations SET status = 'rejected', reason = '回滚测试', decided_at = now() WHERE id = :a", { replacements: { a }, transaction });
      expect((await owner.query('SELECT count(*)::int n FROM api_callbacks WHERE declaration_id = :a', { replacements: { a }, type: QueryTypes.SELECT, transaction }))[0]).toEqual({ n: 1 });
      throw new Error('rollback');
    }).catch((e: Error) => { if (e.message !== 'rollback') throw e; });
    expect(await events(client.id)).toEqual([]);
    await owner.query("UPDATE hour_declarations SET status = 'withdrawn', updated_at = now() WHERE id = :b", { replacements: { b } });
    expect((await events(client.id)).map((e) => [Number(e.declaration_id), e.status])).toEqual([[b, 'withdrawn']]);
  });

  it('the application role cannot write an event itself (only the trigger does)', async () => {
    const [{ id: client }] = await q<{ id: number }>('SELECT id FROM api_clients ORDER BY id LIMIT 1');
    const sequelize = t.platform.db.owner;
    const refused = await sequelize.transaction(async (transaction) => {
      await sequelize.query('SET LOCAL ROLE ce_app', { transaction });
      return sequelize.query(`INSERT INTO api_callbacks (api_client_id, org_path, declaration_id, external_id, status, declared_hours, changed_at)
                              VALUES (:client, '/', (SELECT min(id) FROM hour_declarations), 'x', 'approved', 1, now())`, { replacements: { client }, transaction })
        .then(() => 'written', (e: { parent?: { code?: string } }) => e.parent?.code);
    });
    expect(refused).toBe('42501');
  });

  it('a client without a callback address gets no events', async () => {
    const client = await registerClient(`无回调${RUN}`, '');
    const [a] = await submitted(client.token, 1, `d${RUN}`);
    await post(jinan, `/admin/api/resources/hour_reviews/records/${a}/approve`, {});
    expect(await events(client.id)).toEqual([]);
  });
});

describe('a receiver that fails', () => {
  it('is tried again after 30 s, 60 s … (the receiver is told nothing twice once it answered 2xx), given up after 8 attempts, sent again from the panel', async () => {
    const client = await registerClient(`回调失败${RUN}`, `${hookUrl}/failing`);
    const tag = `e${RUN}`;
    const [a] = await submitted(client.token, 1, tag);
    await post(jinan, `/admin/api/resources/hour_reviews/records/${a}/approve`, {});
    const due = () => q('UPDATE api_callbacks SET next_attempt_at = now() WHERE api_client_id = :c RETURNING id', { c: client.id });

    answers.push(500);
    await deliverDueCallbacks(t.platform.db.sequelize);
    let [e] = await events(client.id);
    expect([e.delivery, e.attempts, e.last_error]).toEqual(['queued', 1, '对方返回 HTTP 500']);
    expect(e.wait).toBeGreaterThanOrEqual(retryDelaySeconds(1) - 2);
    expect(e.wait).toBeLessThanOrEqual(retryDelaySeconds(1));
    // Not due yet: a round sends nothing.
    expect((await deliverDueCallbacks(t.platform.db.sequelize)).claimed).toBe(0);
    for (let n = 2; n < CALLBACK_LIMITS.attempts; n++) {
      answers.push(n % 2 ? 503 : 302);   // a redirect is not followed: it is a failure too
      await due();
      await deliverDueCallbacks(t.platform.db.sequelize);
      [e] = await events(client.id);
      expect([e.delivery, e.attempts]).toEqual(['queued', n]);
      expect(e.wait).toBeGreaterThanOrEqual(retryDelaySeconds(n) - 2);
    }
    answers.push(500);
    await due();
    await deliverDueCallbacks(t.platform.db.sequelize);
    [e] = await events(client.id);
    expect([e.delivery, e.attempts]).toEqual(['failed', CALLBACK_LIMITS.attempts]);
    expect(bodiesOf(tag).length).toBe(CALLBACK_LIMITS.attempts);

    // 重新发送 in 接口回调记录, by the admin who manages the client; a county admin has no such list.
    const lixia = await loggedIn(t.base, LIXIA.idNumber);
    // AdminJS answers a refused action with its ForbiddenError notice (shown in Chinese by the panel) and no data.
    const denied = await lixia.json<{ records: unknown[]; notice?: { type: string; message: string } }>(`/admin/api/resources/api_callbacks/actions/list`);
    expect([denied.body.records, denied.body.notice]).toEqual([[], { message: 'forbiddenError', type: 'error' }]);
    const forbidden = await post(lixia, `/admin/api/resources/api_callbacks/records/${e.id}/resend`, {});
    expect(forbidden.body.notice).toEqual({ message: '无权访问该记录，或该记录不在您的管辖范围内', type: 'error' });
    expect((await events(client.id))[0].delivery).toBe('failed');
    const list = await jinan.json<{ records: Array<{ id: string; params: { delivery: string } }> }>(`/admin/api/resources/api_callbacks/actions/list?filters.api_client_id=${client.id}`);
    expect(list.body.records.map((r) => [r.id, r.params.delivery])).toEqual([[e.id, 'failed']]);
    const resent = await post(jinan, `/admin/api/resources/api_callbacks/records/${e.id}/resend`, {});
    expect(resent.body.notice).toEqual({ message: '已重新排入发送队列，任务进程将在 10 秒内发送', type: 'success' });
    await drain();
    [e] = await events(client.id);
    expect([e.delivery, e.attempts]).toEqual(['delivered', 1]);
    expect(bodiesOf(tag).length).toBe(CALLBACK_LIMITS.attempts + 1);
    // Delivered: resending it is refused, nothing changes.
    expect((await post(jinan, `/admin/api/resources/api_callbacks/records/${e.id}/resend`, {})).body.notice?.type).toBe('error');
  });

  it('an unreachable receiver is an attempt with its reason; a revoked client\'s waiting events are cancelled, not sent', async () => {
    const client = await registerClient(`回调不可达${RUN}`, 'http://127.0.0.1:9/unreachable');
    const [a] = await submitted(client.token, 1, `f${RUN}`);
    await post(jinan, `/admin/api/resources/hour_reviews/records/${a}/approve`, {});
    await deliverDueCallbacks(t.platform.db.sequelize);
    let [e] = await events(client.id);
    expect([e.delivery, e.attempts]).toEqual(['queued', 1]);
    expect(e.last_error).toMatch(/^无法连接/);
    expect((await post(jinan, `/admin/api/resources/api_clients/records/${client.id}/revoke`, {})).body.notice?.message).toBe('客户端已吊销');
    await q('UPDATE api_callbacks SET next_attempt_at = now() WHERE api_client_id = :c RETURNING id', { c: client.id });
    await deliverDueCallbacks(t.platform.db.sequelize);
    [e] = await events(client.id);
    expect([e.delivery, e.last_error]).toEqual(['cancelled', '客户端已吊销']);
  });
});

describe('the callback address', () => {
  it('is set and cleared in the panel by the admin who manages the client; a bad address is refused in Chinese and changes nothing', async () => {
    const client = await registerClient(`回调地址${RUN}`, '');
    const set = (c: Client, url: string) => post(c, `/admin/api/resources/api_clients/records/${client.id}/setCallback`, { callbackUrl: url });
    const stored = async () => (await q<{ callback_url: string | null }>('SELECT callback_url FROM api_clients WHERE id = :id', { id: client.id }))[0].callback_url;
    expect((await set(jinan, 'https://hooks.example.com/ce')).body.notice?.type).toBe('success');
    expect(await stored()).toBe('https://hooks.example.com/ce');
    for (const bad of ['ftp://example.com/x', 'https://user:pw@example.com/x', 'javascript:alert(1)', 'https://exa mple.com', `https://example.com/${'x'.repeat(500)}`, 'example.com/hook']) {
      const r = await set(jinan, bad);
      expect([bad, r.body.notice?.type, r.body.notice?.message]).toEqual([bad, 'error', expect.stringContaining('回调地址格式不正确')]);
      expect(await stored()).toBe('https://hooks.example.com/ce');
    }
    const lixia = await loggedIn(t.base, LIXIA.idNumber);
    expect((await set(lixia, 'https://evil.example.com/')).body.notice).toEqual({ message: '无权访问该记录，或该记录不在您的管辖范围内', type: 'error' });
    expect(await stored()).toBe('https://hooks.example.com/ce');
    expect((await set(jinan, '')).body.notice?.message).toBe('回调地址已清除：不再发送回调通知');
    expect(await stored()).toBeNull();
    // The database holds the same rule when a path forgets it.
    const refused = await t.platform.db.owner.query("UPDATE api_clients SET callback_url = 'ftp://x' WHERE id = :id", { replacements: { id: client.id } }).then(() => 'written', (e: { parent?: { code?: string } }) => e.parent?.code);
    expect(refused).toBe('23514');
  });
});
