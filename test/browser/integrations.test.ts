/**
 * Issue 19 in Chromium: the API's documentation page renders from this server alone (Swagger
 * UI from node_modules, under the app's CSP), and a city super admin registers an API client in
 * 系统管理 › 接口客户端 and sees its key once — nothing from another host, no console error.
 */
import type { Browser } from 'playwright-core';
import { type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { choose, clean, closeSuite, login, newPage, openSuite, queryOf, shot } from './browser.js';

let t: TestPlatform;
let browser: Browser;
// The panel's component bundle is built on the first request: minutes on a loaded 2-core machine.
beforeAll(async () => { ({ t, browser } = await openSuite()); }, 600_000);
afterAll(() => closeSuite(t, browser));

const JINAN = DEMO_ACCOUNTS.find((a) => a.organisationName === '济南市人力资源和社会保障局' && a.isSuper)!.idNumber;
const q = queryOf(() => t);

describe('integrations', () => {
  it('the API documentation renders offline', async () => {
    const w = await newPage(browser, t.base);
    await w.page.goto(`${t.base}/api/v1/docs`);
    await w.page.waitForSelector('text=对接接口');
    await w.page.waitForSelector('[data-path="/api/v1/hour-declarations"]');
    await shot(w.page, 'integrations-docs');
    clean(w);
  });

  it.each([[1440, 1000], [1366, 768]])('a city super admin registers a client and sees its key once (%ix%i)', async (width, height) => {
    const w = await newPage(browser, t.base);
    await w.page.setViewportSize({ width, height });
    await login(w.page, t.base, JINAN);
    await w.page.goto(`${t.base}/admin/resources/api_clients/actions/register`);
    await w.page.waitForSelector('[data-testid=api-client-register]');
    const name = `浏览器登记${width}-${Date.now()}`;
    await w.page.fill('#name', name);
    await choose(w.page, 'organisationId', '历下区人力资源和社会保障局');
    await w.page.click('label[for="scope-hours:submit"]');
    await w.page.fill('#allowedAddresses', '127.0.0.1');
    await w.page.click('[data-testid=api-client-submit]');
    const token = await (await w.page.waitForSelector('[data-testid=api-client-token]')).textContent();
    expect(token).toMatch(/^ce_[0-9a-f]{16}_/);
    await shot(w.page, `integrations-register-${width}`);
    const [row] = await q<{ scopes: string[]; org: string }>('SELECT c.scopes, o.name org FROM api_clients c JOIN organisations o ON o.id = c.organisation_id WHERE c.name = :name', { name });
    expect(row).toEqual({ scopes: ['hours:submit'], org: '历下区人力资源和社会保障局' });
    // The key works once: the list shows the client, the API knows it.
    const r = await fetch(`${t.base}/api/v1/hour-declarations`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    clean(w);
  });
});
