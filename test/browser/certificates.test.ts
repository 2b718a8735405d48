/**
 * 电子证书查询打印 in Chromium: the list of completed years, printing one (a PDF download),
 * a unit's batch from the picker, and the public verification page — all in Chinese, nothing
 * from another host, no console error.
 */
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { login, newPage, shot, openSuite, closeSuite, queryOf, clean } from './browser.js';

let t: TestPlatform;
let browser: Browser;
beforeAll(async () => { ({ t, browser } = await openSuite()); });
afterAll(() => closeSuite(t, browser));

const LIXIA = DEMO_ACCOUNTS.find((a) => a.organisationName === '历下区人力资源和社会保障局' && a.isSuper)!.idNumber;
const q = queryOf(() => t);

describe('certificates', () => {
  it('prints one certificate from the list, then verifies it on the public page', async () => {
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, LIXIA);
    await w.page.goto(`${t.base}/admin/resources/certificate_years`);
    await w.page.waitForSelector('text=电子证书查询打印');
    await shot(w.page, 'journey-certificates-list');
    const [y] = await q<{ id: string; name: string }>(`SELECT id::text, name FROM certificate_years WHERE completed AND certificate_number IS NULL
      AND org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局') ORDER BY id LIMIT 1`);
    await w.page.goto(`${t.base}/admin/resources/certificate_years/records/${y.id}/printCertificate`);
    await w.page.waitForSelector('[data-testid=certificate-print]');
    expect(await w.page.textContent('[data-testid=certificate-print]')).toContain('尚未发证');
    const download = w.page.waitForEvent('download');
    await w.page.click('[data-testid=print-one]');
    const file = await (await download).path();
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    await w.page.waitForSelector('[data-testid=certificate-result]:has-text("证书已生成")');
    await shot(w.page, 'journey-certificate-print');
    const [{ number }] = await q<{ number: string }>('SELECT certificate_number number FROM certificate_years WHERE id = :id', { id: y.id });
    clean(w);

    const pub = await newPage(browser, t.base);
    await pub.page.goto(`${t.base}/verify/${number}`);
    expect(await pub.page.textContent('[data-testid=certificate-facts]')).toContain(y.name);
    await shot(pub.page, 'journey-certificate-verify');
    clean(pub);
    await w.page.close();
    await pub.page.close();
  });

  it("prints a unit's batch from the picker", async () => {
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, LIXIA);
    const [unit] = await q<{ year: number; name: string }>(`SELECT v.year, o.name FROM certificate_years v JOIN organisations o ON o.id = v.unit_id
      WHERE v.completed AND v.org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局')
      GROUP BY v.year, o.name ORDER BY count(*) LIMIT 1`);
    await w.page.goto(`${t.base}/admin/resources/certificate_years/actions/printBatch`);
    await w.page.waitForSelector('[data-testid=certificate-batch]');
    await w.page.fill('[data-testid=certificate-batch] input >> nth=0', String(unit.year));
    await w.page.fill('[data-testid=certificate-batch] input >> nth=1', unit.name);
    const row = w.page.locator('tr', { hasText: unit.name });
    await row.waitFor();
    const download = w.page.waitForEvent('download');
    await row.locator('button:has-text("批量打印")').click();
    expect(fs.readFileSync(await (await download).path()).subarray(0, 5).toString()).toBe('%PDF-');
    await w.page.waitForSelector(`[data-testid=certificate-result]:has-text("${unit.name}${unit.year}年度共")`);
    await shot(w.page, 'journey-certificate-batch');
    clean(w);
    await w.page.close();
  });
});
