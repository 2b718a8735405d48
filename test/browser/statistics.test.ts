/**
 * 查询统计 in Chromium: each statistics page draws its chart (the canvas is not blank), a click
 * on a region drills down, and 专技人员信息查询 resets a password showing it once.
 */
import type { Browser, Page } from 'playwright-core';
import { QueryTypes } from 'sequelize';
import { type TestPlatform } from '../helpers/platform.js';
import { login, newPage, shot, openSuite, closeSuite, superOf, clean } from './browser.js';

let t: TestPlatform;
let browser: Browser;
beforeAll(async () => { ({ t, browser } = await openSuite()); });
afterAll(() => closeSuite(t, browser));


/** Share of the chart's canvas pixels that are drawn (not transparent, not white). */
async function inked(page: Page, testId: string): Promise<number> {
  await page.waitForSelector(`[data-testid=${testId}] canvas`);
  return page.$eval(`[data-testid=${testId}] canvas`, (c) => {
    const canvas = c as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let drawn = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) drawn++;
    return drawn / (data.length / 4);
  });
}

describe('statistics pages', () => {
  it('继教综合统计查询: the province sees 16 cities in a drawn chart and drills into 济南', async () => {
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, superOf('山东省人力资源和社会保障厅'));
    await w.page.click('text=查询统计');
    await w.page.click('a:has-text("继教综合统计查询")');
    await w.page.waitForSelector('[data-testid=overview-table]');
    expect(await w.page.locator('[data-testid^=overview-row-]').count()).toBe(16);
    expect(await inked(w.page, 'chart-overview')).toBeGreaterThan(0.02);
    expect(await inked(w.page, 'chart-forms')).toBeGreaterThan(0.02);
    await shot(w.page, 'statistics-overview');
    const [jinan] = await t.platform.db.owner.query<{ id: number }>("SELECT id FROM organisations WHERE name = '济南市人力资源和社会保障局'", { type: QueryTypes.SELECT });
    await w.page.click(`[data-testid=drill-${jinan.id}]`);
    await w.page.waitForSelector('[data-testid=trail]:has-text("济南市人力资源和社会保障局")');
    await w.page.waitForSelector('[data-testid=overview-table]:has-text("历下区人力资源和社会保障局")');
    expect(await w.page.textContent('[data-testid=trail]')).toBe('当前位置：山东省人力资源和社会保障厅 › 济南市人力资源和社会保障局');
    clean(w);
    await w.page.close();
  });

  it('继教完成情况查询: a county sees its units completed / partly / none, by region and by title level', async () => {
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, superOf('历下区人力资源和社会保障局'));
    await w.page.goto(`${t.base}/admin/resources/statistics_completion/actions/completion?year=2025`);
    await w.page.waitForSelector('[data-testid=completion-table]');
    expect(await inked(w.page, 'chart-completion')).toBeGreaterThan(0.02);
    expect(await inked(w.page, 'chart-levels')).toBeGreaterThan(0.01);
    expect(await w.page.textContent('[data-testid=statistics-completion]')).toMatch(/2025年度共 [\d,]+ 人：已完成/);
    expect(await w.page.textContent('[data-testid=level-table]')).toContain('副高级');
    await shot(w.page, 'statistics-completion');
    clean(w);
    await w.page.close();
  });

  it('职称系列分布查询: the series chart is drawn and the table totals the persons', async () => {
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, superOf('青岛市人力资源和社会保障局'));
    await w.page.goto(`${t.base}/admin/resources/statistics_series/actions/series`);
    await w.page.waitForSelector('[data-testid=series-table]');
    expect(await inked(w.page, 'chart-series')).toBeGreaterThan(0.02);
    const [{ n }] = await t.platform.db.owner.query<{ n: string }>(
      "SELECT count(*) n FROM persons WHERE status = 'active' AND org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '青岛市人力资源和社会保障局')", { type: QueryTypes.SELECT });
    expect((await w.page.textContent('[data-testid=series-total]'))!.replace(/,/g, '')).toContain(n);
    await shot(w.page, 'statistics-series');
    clean(w);
    await w.page.close();
  });
});

describe('专技人员信息查询', () => {
  it('filters by completion, opens a person and resets the password, seeing it once', async () => {
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, superOf('历下区人力资源和社会保障局'));
    await w.page.goto(`${t.base}/admin/resources/persons?filters.completion=2025:none`);
    await w.page.waitForSelector('table tbody tr');
    const [person] = await t.platform.db.owner.query<{ id: number; name: string }>(
      `SELECT p.id, p.name FROM persons p WHERE p.status = 'active' AND p.org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局')
        AND NOT EXISTS (SELECT 1 FROM person_year_hours y WHERE y.person_id = p.id AND y.year = 2025 AND y.total_hours > 0) ORDER BY p.id LIMIT 1`, { type: QueryTypes.SELECT });
    await w.page.goto(`${t.base}/admin/resources/persons/records/${person.id}/resetPassword`);
    await w.page.waitForSelector('[data-testid=reset-password]');
    expect(await w.page.textContent('[data-testid=reset-password]')).toContain(person.name);
    await w.page.click('[data-testid=reset-password-confirm]');
    const password = await w.page.textContent('[data-testid=one-time-password]');
    expect(password).toMatch(/^.{12}$/);
    await shot(w.page, 'persons-reset-password');
    clean(w);
    await w.page.close();
  });
});
