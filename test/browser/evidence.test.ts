/**
 * What the reviewer sees (issue 17, items 1, 6, 7), in Chromium at 1366 × 768: a declaration is
 * filed in the panel with its proof uploaded (a real PNG); in 学时（分）审核 its row offers 查看 in
 * one click, and its detail shows the image itself — decoded by the browser, not a file name. A
 * plan's reviewer reads the summary the unit typed; a transfer shows who moves (证件号, 职务系列,
 * 任职资格), which way, and how far each side is.
 */
import type { Browser } from 'playwright-core';
import { type TestPlatform } from '../helpers/platform.js';
import { pngOf } from '../helpers/evidence.js';
import { DEMO_ACCOUNTS, DEMO_UNIT_LIXIA } from '../../src/db/demo-accounts.js';
import { choose, login, newPage, shot, openSuite, closeSuite, queryOf, superOf, clean } from './browser.js';

let t: TestPlatform;
let browser: Browser;
// The component bundle is built on the first request: 150 s measured when the shared machine is busy.
beforeAll(async () => { ({ t, browser } = await openSuite()); }, 400_000);
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

it('a unit is offered only its own plan types; the reviewer reads the summary it typed, with no raw field names (item 6)', async () => {
  const unitAdmin = DEMO_ACCOUNTS.find((a) => a.organisationName === DEMO_UNIT_LIXIA && a.kind === 'admin')!;
  const w = await newPage(browser, t.base);
  await w.page.setViewportSize({ width: 1366, height: 768 });
  await login(w.page, t.base, unitAdmin.idNumber, undefined, 'unit_admin');
  await w.page.goto(`${t.base}/admin/resources/plan_filings/actions/new`);
  await w.page.click('#kind');
  const offered = (await w.page.locator('[class*=option]').allInnerTexts()).map((s) => s.trim()).filter(Boolean);
  expect(offered).toEqual(['单位培训计划', '单位培训学时']);
  await w.page.keyboard.press('Escape');
  await w.page.close();

  const summary = `全年计划开展岗位培训 12 期，覆盖 420 人次（浏览器测试 ${Date.now()}）`;
  const [unit] = await q<{ id: number; path: string }>('SELECT id, path FROM organisations WHERE name = :n', { n: DEMO_UNIT_LIXIA });
  const [{ id }] = await q<{ id: number }>(`INSERT INTO training_plans (kind, organisation_id, org_path, year, title, content, status)
    VALUES ('unit_plan', :u, :p, 2026, '2026年度单位培训计划', :c, 'pending') RETURNING id`, { u: unit.id, p: unit.path, c: JSON.stringify({ summary }) });
  const r = await newPage(browser, t.base);
  await r.page.setViewportSize({ width: 1366, height: 768 });
  await login(r.page, t.base, LIXIA);
  await r.page.goto(`${t.base}/admin/resources/unit_plan_reviews/records/${id}/show`);
  await r.page.waitForSelector('[data-testid=plan-content]');
  expect(await r.page.textContent('[data-testid=plan-content]')).toContain(summary);
  const text = await r.page.innerText('body');
  expect(text).not.toMatch(/attachment_name|attachment\b/);
  await shot(r.page, 'plan-review-content-1366');
  clean(r);
  await r.page.close();
});

it('a transfer record shows 证件号, 职务系列, 任职资格, direction and both sides\' progress (item 7)', async () => {
  const w = await newPage(browser, t.base);
  await w.page.setViewportSize({ width: 1366, height: 768 });
  await login(w.page, t.base, superOf('市中区人力资源和社会保障局'));
  await w.page.goto(`${t.base}/admin/resources/transfers`);
  const row = w.page.locator('tr:has([data-testid=transfer-progress])').first();
  await row.waitFor();
  const cells = await row.innerText();
  expect(cells).toContain('调出');
  expect(cells).toMatch(/\d{6}\*{8}\d{3}[\dX]/);
  expect(cells).toMatch(/调出\s*待审核/);
  // The whole row, its last cell included, inside the 1366 px window.
  const last = (await row.locator('td').last().boundingBox())!;
  expect(last.x + last.width).toBeLessThanOrEqual(1366);
  await shot(w.page, 'transfers-list-1366');
  await row.locator('td').first().click();
  await w.page.waitForSelector('[data-testid=transfer-progress] [data-testid=progress-target]');
  const detail = await w.page.innerText('section, main, body');
  for (const label of ['证件号', '职务系列', '任职资格', '调转方向', '审核进度']) expect(detail).toContain(label);
  expect(await w.page.textContent('[data-testid=progress-source]')).toContain('市中区人力资源和社会保障局');
  await shot(w.page, 'transfer-detail-1366');
  clean(w);
  await w.page.close();
});
