/**
 * A real browser for the journeys: Debian's Chromium (never a downloaded one), headless, with
 * background networking off; every request to a host other than the app, and every console
 * error, is collected so that a journey can assert there were none. Screenshots go to
 * test-results/ (ignored by git).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { QueryTypes } from 'sequelize';
import { projectRoot } from '../../config/index.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/db/demo-accounts.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.join(projectRoot, 'test-results');

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    env: { ...process.env, LANGUAGE: 'zh_CN', LANG: 'zh_CN.UTF-8' } as Record<string, string>,
    // The UI language decides how <input type=date> reads (年/月/日, not mm/dd/yyyy), as on a Chinese
    // desktop. Linux Chromium takes it from LANGUAGE, and needs Debian's chromium-l10n (chromium
    // itself ships en-US.pak alone); without it the dates read the American way.
    args: ['--lang=zh-CN', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export interface Watched { page: Page; outside: string[]; errors: string[] }

export async function newPage(browser: Browser, base: string): Promise<Watched> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
  const outside: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => { const u = r.url(); if (!u.startsWith(base) && !u.startsWith('data:') && !u.startsWith('blob:')) outside.push(u); });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { page, outside, errors };
}

export async function login(page: Page, base: string, idNumber: string, password = DEMO_PASSWORD, userType?: string): Promise<void> {
  await page.goto(`${base}/admin/login`);
  if (userType) await page.selectOption('#userType', userType);
  await page.fill('#email', idNumber);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${base}/admin`);
}

/**
 * The whole page as the user would scroll through it: AdminJS scrolls an inner container, which
 * a full-page screenshot does not unroll, so the viewport grows to the content for the shot.
 */
export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const size = page.viewportSize()!;
  const height = await page.evaluate(() => Math.max(document.documentElement.scrollHeight, ...[...document.querySelectorAll('*')]
    .filter((e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowY) && e.scrollHeight > e.clientHeight)
    .map((e) => e.scrollHeight + e.getBoundingClientRect().top)));
  const grow = height > size.height;
  if (grow) await page.setViewportSize({ width: size.width, height: Math.min(Math.ceil(height), 4000) });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
  if (grow) await page.setViewportSize(size);
}

/** react-select: open it, type, choose the first match. */
export async function choose(page: Page, inputId: string, text: string): Promise<void> {
  await page.click(`#${inputId}`);
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** The sidebar's groups, opened, and their entries as the user reads them: { group: [entries] }. */
export async function menu(page: Page): Promise<Record<string, string[]>> {
  await page.waitForSelector('[data-css=sidebar-resources] li');
  const groups = page.locator('[data-css=sidebar-resources] > section > ul > li');
  const out: Record<string, string[]> = {};
  for (let i = 0; i < await groups.count(); i++) {
    const g = groups.nth(i);
    const head = g.locator(':scope > a').first();
    const name = (await head.innerText()).trim();
    if (await g.locator(':scope ul li').count() === 0) await head.click();
    out[name] = (await g.locator(':scope ul li').allInnerTexts()).map((s) => s.trim());
  }
  return out;
}

/** The app on the run's database and one Chromium for a test file. */
export async function openSuite(): Promise<{ t: TestPlatform; browser: Browser }> {
  const t = await startTestPlatform();
  const browser = await launch();
  // The component bundle is built on first request; build it before the first journey waits on it.
  await fetch(`${t.base}/admin/frontend/assets/components.bundle.js`);
  return { t, browser };
}

export async function closeSuite(t?: TestPlatform, browser?: Browser): Promise<void> {
  await browser?.close();
  await t?.close();
}

/** SQL on the run's database, for a journey's expectations. */
export const queryOf = (platform: () => TestPlatform) => <T extends object>(sql: string, r: Record<string, unknown> = {}) =>
  platform().platform.db.owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });

/** The ID number of an organisation's demo super admin. */
export const superOf = (org: string) => DEMO_ACCOUNTS.find((a) => a.organisationName === org && a.isSuper)!.idNumber;

/** A journey ends clean: no request to another host, no console error. */
export function clean(w: Watched): void {
  expect(w.outside).toEqual([]);
  expect(w.errors).toEqual([]);
}
