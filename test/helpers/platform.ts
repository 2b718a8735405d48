/**
 * The real platform for a test file: the app booted on the run's database, listening on a
 * free port, and an HTTP client that keeps cookies like a browser.
 */
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { bootPlatform, type Platform } from '../../src/boot.js';
import { DEMO_PASSWORD } from '../../src/db/demo-accounts.js';
import type { Notification } from '../../src/services/notifier.js';

export interface TestPlatform {
  base: string;
  platform: Platform;
  sent: Notification[];
  close(): Promise<void>;
}

export async function startTestPlatform(opts: { replicaUrl?: string } = {}): Promise<TestPlatform> {
  const sent: Notification[] = [];
  const platform = await bootPlatform({
    // A read replica only where a test asks for one (test/integration/replica.test.ts).
    replicaUrl: opts.replicaUrl ?? null,
    url: process.env.TEST_DATABASE_URL,
    seed: false,
    dataDir: path.join(os.tmpdir(), 'ce-platform-test'),
    loginRateLimit: 100_000,
    notifier: { async send(n) { sent.push(n); } },
  });
  const server = platform.app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    platform,
    sent,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await platform.close();
    },
  };
}

export class Client {
  private jar = new Map<string, string>();
  /** Set to behave like a forged cross-site request (no CSRF token). */
  withoutCsrf = false;
  constructor(readonly base: string) {}

  private cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Like the panel's axios: state-changing requests echo the XSRF-TOKEN cookie as a header. */
  async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const csrf = this.jar.get('XSRF-TOKEN');
    const echo: Record<string, string> = init.method && init.method !== 'GET' && csrf && !this.withoutCsrf ? { 'x-xsrf-token': decodeURIComponent(csrf) } : {};
    const res = await fetch(this.base + pathname, {
      redirect: 'manual', ...init, headers: { cookie: this.cookie(), ...echo, ...(init.headers as Record<string, string> ?? {}) },
    });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0];
      const i = pair.indexOf('=');
      this.jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  }

  get(pathname: string) { return this.request(pathname); }

  postForm(pathname: string, fields: Record<string, string>) {
    return this.request(pathname, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(),
    });
  }

  async json<T = Record<string, unknown>>(pathname: string, init?: RequestInit): Promise<{ status: number; body: T }> {
    const res = await this.request(pathname, init);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  postJson(pathname: string, data: Record<string, unknown>) {
    return this.json(pathname, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });
  }

  /** Logs in through the panel's form; returns the response (302 on success). */
  login(idNumber: string, password = DEMO_PASSWORD, userType?: string) {
    return this.postForm('/admin/login', { email: idNumber, password, ...(userType ? { userType } : {}) });
  }
}

export async function loggedIn(base: string, idNumber: string, password = DEMO_PASSWORD): Promise<Client> {
  const c = new Client(base);
  const r = await c.login(idNumber, password);
  if (r.status !== 302 || r.headers.get('location') !== '/admin') throw new Error(`登录失败：${idNumber} HTTP ${r.status}`);
  return c;
}
