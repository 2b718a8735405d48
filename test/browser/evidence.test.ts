/**
 * 证明材料 in the reviewer's browser (issue 17, item 1), at 1366 × 768: a declaration is filed in
 * the panel with its proof uploaded (a real PNG); in 学时（分）审核 its row offers 查看 in one
 * click, and its detail shows the image itself — decoded by the browser, not a file name.
 */
import type { Browser } from 'playwright-core';
import { type TestPlatform } from '../helpers/platform.js';
import { pngOf } from '../helpers/evidence.js';
import { choose, login, newPage, shot, openSuite, closeSuite, queryOf, superOf, clean } from './browser.js';

let t: TestPlatform;
let browser: Browser;
beforeAll(async () => { ({ t, browser } = await openSuite()); });
afterAll(() => closeSuite(t, browser));

const LIXIA = superOf('历下区人力资源和社会保障局');
const q = queryOf(() => t);

it('a declaration filed with its proof shows the image on the reviewer\'s detail and 查看 in the review list (1366 × 768)', async () => {
  const w = await newPage(browser, t.base);
  await w.page.setViewportSize({ width: 1366, height: 768 });
  await login(w.page, t.base, LIXIA);
  await w.page.goto(`${t.base}/admin/resources/hour_declarations/actions/declareHours`);
  await w.page.waitForSelector('[data-testid=declare-hours]');
  await choose(w.page, 'subject', '专业');
  await choose(w.page, 'form', '集中面授');
  const activity = `证明材料浏览器测试${Date.now()}`;
  await w.page.fill('#f-activity_name', activity);
  await w.page.fill('#f-start_date', '2026-03-02');
  await w.page.fill('#f-end_date', '2026-03-04');
  await w.page.fill('#f-organiser', '山东省卫健委');
  await w.page.fill('#f-days', '3');
  expect(await w.page.getAttribute('#f-evidence', 'type')).toBe('file');
  await w.page.setInputFiles('#f-evidence', { name: '结业证书 2026-018.png', mimeType: 'image/png', buffer: pngOf(320, 200) });
  const [person] = await q<{ name: string }>("SELECT name FROM persons WHERE status = 'active' AND org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局') ORDER BY id LIMIT 1 OFFSET 11");
  await w.page.fill('[data-testid=applicant-query]', person.name);
  await w.page.click(`button:has-text("+ ${person.name}")`);
  await w.page.click('[data-testid=compute-hours]');
  await w.page.waitForSelector('[data-testid=hours-preview]');
  await w.page.click('[data-testid=submit-hours]');
  await w.page.waitForSelector('text=学时（分）申报成功');
  const [d] = await q<{ id: number; evidence_kind: string }>('SELECT id, evidence_kind FROM hour_declarations WHERE activity_name = :a', { a: activity });
  expect(d.evidence_kind).toBe('png');

  // The review list: one click from the row to the proof.
  await w.page.goto(`${t.base}/admin/resources/hour_reviews?filters.status=pending&sortBy=created_at&direction=desc`);
  const row = w.page.locator(`tr:has([data-testid=evidence-link])`).first();
  await row.waitFor();
  expect(await w.page.locator(`a[data-testid=evidence-link][href="/admin/files/hour_reviews/${d.id}?inline=1"]`).count()).toBe(1);
  await shot(w.page, 'evidence-review-list-1366');

  // The detail: the image itself, decoded by the browser.
  await w.page.goto(`${t.base}/admin/resources/hour_reviews/records/${d.id}/show`);
  const img = w.page.locator('[data-testid=evidence-image]');
  await img.waitFor();
  await w.page.waitForFunction(() => (document.querySelector('[data-testid=evidence-image]') as HTMLImageElement | null)?.complete === true);
  expect(await img.evaluate((e: HTMLImageElement) => [e.naturalWidth, e.naturalHeight])).toEqual([320, 200]);
  const box = (await img.boundingBox())!;
  expect(box.width).toBeGreaterThan(100);
  expect(box.x + box.width).toBeLessThanOrEqual(1366);
  expect(await w.page.textContent('[data-testid=evidence-preview]')).toContain('下载 结业证书 2026-018.png');
  await img.scrollIntoViewIfNeeded();
  await shot(w.page, 'evidence-detail-1366');
  clean(w);
  await w.page.close();
});
