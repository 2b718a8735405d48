/**
 * 学习形式目录 as the provincial admin reads it (issue 18): each form's fields with the date that
 * decides the year, the conversion table (research: level × rank), and the mark that no Shandong
 * text confirms the seeded values.
 */
import type { Browser } from 'playwright-core';
import { type TestPlatform } from '../helpers/platform.js';
import { login, newPage, shot, openSuite, closeSuite, queryOf, superOf, clean } from './browser.js';

let t: TestPlatform;
let browser: Browser;
beforeAll(async () => { ({ t, browser } = await openSuite()); });
afterAll(() => closeSuite(t, browser));
const q = queryOf(() => t);

describe('learning-form catalog', () => {
  it('shows the year date, the level × rank table and the unconfirmed mark', async () => {
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, superOf('山东省人力资源和社会保障厅'));
    await w.page.goto(`${t.base}/admin/resources/learning_forms`);
    await w.page.waitForSelector('tr:has-text("课题研究") [data-testid=conversion-confirmed]');
    expect(await w.page.innerText('tr:has-text("课题研究") [data-testid=conversion-confirmed]')).toBe('种子值，未经山东省文件确认');
    const [research] = await q<{ id: number }>("SELECT id FROM learning_forms WHERE code = 'research'");
    await w.page.goto(`${t.base}/admin/resources/learning_forms/records/${research.id}/show`);
    await w.page.waitForSelector('[data-testid=conversion-matrix]');
    expect(await w.page.innerText('[data-testid=learning-form-fields] tr:has([data-testid=decides-year])')).toContain('立项日期');
    const national = await w.page.innerText('[data-testid=conversion-matrix] tr:has-text("国家级")');
    expect(national.split(/\s+/).filter((x) => /^\d+$/.test(x))).toEqual(['64', '56', '48', '40', '32', '0']);
    expect(await w.page.innerText('[data-testid=learning-form-conversion]')).toContain('按两项折算（级别 × 排名）');
    await shot(w.page, 'catalog-research');
    clean(w);
    await w.page.close();
  });
});
