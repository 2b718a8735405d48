/**
 * Issue 14, item 7 and a Low item:
 * - no client chooses its address: with the default TRUST_PROXY (none), a fresh X-Forwarded-For
 *   on every request does not reset the per-address limits of login, forgotten password,
 *   registration and /verify;
 * - the counters live in PostgreSQL: two app instances (two pools, as two processes) on one
 *   database share one budget per address instead of each granting the full limit;
 * - answers that may carry personal data say `Cache-Control: no-store`; static assets do not.
 */
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { createApp } from '../../src/server.js';

let t: TestPlatform;
beforeAll(async () => { t = await startTestPlatform(); });
afterAll(async () => { await t.close(); });

/** An app instance on the run's database with its own pools; `namespace` picks the counters it shares. */
async function instance(limit: number, namespace: string) {
  const { app, storePool, sessionStore } = createApp({
    sequelize: t.platform.db.sequelize, models: t.platform.models, databaseUrl: t.platform.db.url,
    sessionSecret: 'forwarded-addresses-secret-0123456789abcdef', loginRateLimit: limit, verifyRateLimit: limit, rateLimitNamespace: namespace,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await sessionStore.close();
      await storePool.end();
    },
  };
}
const forwarded = (i: number) => ({ 'x-forwarded-for': `203.0.113.${i}`, 'x-real-ip': `198.51.100.${i}` });
const form = (fields: Record<string, string>, i: number) => ({
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...forwarded(i) }, body: new URLSearchParams(fields).toString(),
});

describe('a forwarded address chosen by the client changes nothing', () => {
  it('login, forgotten password, registration and /verify keep counting per real address', async () => {
    const app = await instance(3, `xff-${crypto.randomUUID()}`);
    try {
      const statuses = async (n: number, send: (i: number) => Promise<Response>) => {
        const out: number[] = [];
        for (let i = 0; i < n; i++) { const r = await send(i); out.push(r.status); await r.arrayBuffer(); }
        return out;
      };
      const c = new Client(app.base);
      expect(await statuses(4, (i) => c.request('/admin/login', form({ email: '370102199001010017', password: `Guess#${i}aa` }, i)))).toEqual([200, 200, 200, 429]);
      // The forgotten-password forms share the login's budget: spent already.
      expect((await c.request('/admin/forgot-password', form({ idNumber: '370102199001010017', contact: 'x@y.cn' }, 9))).status).toBe(429);
      expect(await statuses(4, (i) => c.request('/register', form({ kind: 'person', idNumber: 'x' }, 20 + i)))).toEqual([200, 200, 200, 429]);
      expect(await statuses(4, (i) => fetch(`${app.base}/verify/SD20250000000000000ABC${i}`, { headers: forwarded(40 + i) }))).toEqual([404, 404, 404, 429]);
    } finally { await app.close(); }
  });
});

describe('counters shared by every process', () => {
  it('two instances on one database grant the limit once between them, not once each', async () => {
    const namespace = `shared-${crypto.randomUUID()}`;
    const [a, b] = await Promise.all([instance(4, namespace), instance(4, namespace)]);
    try {
      const login = async (base: string, i: number) => (await new Client(base).login('370102199001010017', `Guess#${i}bb`)).status;
      const seen = [await login(a.base, 1), await login(b.base, 2), await login(a.base, 3), await login(b.base, 4), await login(a.base, 5), await login(b.base, 6)];
      expect(seen).toEqual([200, 200, 200, 200, 429, 429]);
    } finally { await Promise.all([a.close(), b.close()]); }
  });
});

describe('Cache-Control: no-store', () => {
  it('on every answer of the panel that may carry personal data; not on the static assets', async () => {
    const lixia = await loggedIn(t.base, DEMO_ACCOUNTS.find((a) => a.organisationName === '历下区人力资源和社会保障局' && a.isSuper)!.idNumber);
    const list = await lixia.json<{ records: Array<{ id: string }> }>('/admin/api/resources/persons/actions/list?perPage=5');
    const paths = [
      '/admin/api/resources/persons/actions/list?perPage=5', `/admin/api/resources/persons/records/${list.body.records[0].id}/show`,
      '/admin/api/resources/hour_declarations/actions/list?perPage=5', '/admin/api/resources/sessions/actions/list', '/admin/api/dashboard',
      '/admin/api/resources/persons/actions/search/%E7%8E%8B', '/admin', '/admin/resources/persons', '/admin/password', '/admin/login', '/register', '/verify',
    ];
    const missing: string[] = [];
    for (const p of paths) {
      const r = await lixia.request(p);
      await r.arrayBuffer();
      if (r.headers.get('cache-control') !== 'no-store') missing.push(`${p}: ${r.status} ${r.headers.get('cache-control')}`);
    }
    expect(missing).toEqual([]);
    const css = await lixia.request('/admin/assets/panel.css');
    await css.arrayBuffer();
    expect(css.status).toBe(200);
    expect(css.headers.get('cache-control')).not.toBe('no-store');
  });
});
