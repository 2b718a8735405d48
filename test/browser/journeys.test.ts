/**
 * The journeys a reviewer takes in the panel, in Chromium, each ending in what the page shows,
 * with no request to another host and no console error.
 */
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

describe('journeys', () => {
  it('the 济南 admin logs in and sees the Chinese dashboard with its to-do counts', async () => {
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, superOf('济南市人力资源和社会保障局'));
    await w.page.waitForSelector('[data-testid=pending-hour_reviews]');
    expect(await w.page.textContent('[data-testid=dashboard]')).toContain('待办事项');
    expect(await w.page.textContent('body')).toContain('济南市人力资源和社会保障局');
    await shot(w.page, 'journey-dashboard');
    clean(w);
    await w.page.close();
  });

  it('approve-all on a filtered review list decides exactly what the list shows', async () => {
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, LIXIA);
    const path_ = (await q<{ path: string }>("SELECT path FROM organisations WHERE name = '历下区人力资源和社会保障局'"))[0].path;
    const [{ n }] = await q<{ n: string }>("SELECT count(*) n FROM hour_declarations WHERE status = 'pending' AND channel <> 'ce_base' AND year = 2025 AND org_path LIKE :p", { p: `${path_}%` });
    const [{ other }] = await q<{ other: string }>("SELECT count(*) other FROM hour_declarations WHERE status = 'pending' AND year <> 2025 AND org_path LIKE :p", { p: `${path_}%` });
    await w.page.goto(`${t.base}/admin/resources/hour_reviews?filters.status=pending&filters.year=2025`);
    await w.page.waitForSelector('[data-testid=review-tabs]');
    await w.page.click('text=全部通过');
    await w.page.waitForSelector('[data-testid=confirm-scope]:has-text("按当前筛选条件")');
    expect(await w.page.textContent('[data-testid=confirm-scope]')).toBe(`共 ${n} 条待审核记录（按当前筛选条件）`);
    await shot(w.page, 'journey-approve-all');
    await w.page.click('[data-testid=confirm-submit]');
    await w.page.waitForSelector(`text=已通过 ${n} 条`);
    const [{ left }] = await q<{ left: string }>("SELECT count(*) left FROM hour_declarations WHERE status = 'pending' AND channel <> 'ce_base' AND year = 2025 AND org_path LIKE :p", { p: `${path_}%` });
    expect(left).toBe('0');
    expect((await q<{ other: string }>("SELECT count(*) other FROM hour_declarations WHERE status = 'pending' AND year <> 2025 AND org_path LIKE :p", { p: `${path_}%` }))[0].other).toBe(other);
    clean(w);
    await w.page.close();
  });

  it('declares hours with the form of the chosen learning form and sees the hours before saving', async () => {
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, LIXIA);
    await w.page.goto(`${t.base}/admin/resources/hour_declarations/actions/declareHours`);
    await w.page.waitForSelector('[data-testid=declare-hours]');
    await choose(w.page, 'subject', '专业');
    await choose(w.page, 'form', '集中面授');
    const activity = `浏览器测试培训${Date.now()}`;
    await w.page.fill('#f-activity_name', activity);
    await w.page.fill('#f-start_date', '2026-03-02');
    await w.page.fill('#f-end_date', '2026-03-04');
    await w.page.fill('#f-organiser', '山东省卫健委');
    await w.page.fill('#f-days', '3');
    await w.page.setInputFiles('#f-evidence', { name: '结业证书 2026-018.png', mimeType: 'image/png', buffer: pngOf() });
    const [person] = await q<{ name: string }>("SELECT name FROM persons WHERE status = 'active' AND org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局') ORDER BY id LIMIT 1");
    await w.page.fill('[data-testid=applicant-query]', person.name);
    await w.page.click(`button:has-text("+ ${person.name}")`);
    await w.page.click('[data-testid=compute-hours]');
    await w.page.waitForSelector('[data-testid=hours-preview]');
    expect(await w.page.textContent('[data-testid=hours-preview]')).toContain('每人 18 学时');
    await shot(w.page, 'journey-declare-hours');
    await w.page.click('[data-testid=submit-hours]');
    await w.page.waitForSelector('text=学时（分）申报成功');
    expect(await q('SELECT 1 FROM hour_declarations WHERE activity_name = :a', { a: activity })).toHaveLength(1);
    clean(w);
    await w.page.close();
  });

  it('imports an hours template with a bad row, watches the progress and gets the report', async () => {
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, LIXIA);
    await w.page.goto(`${t.base}/admin/resources/hour_declarations/actions/importHours`);
    await w.page.waitForSelector('[data-testid=import-job]');
    const [p] = await q<{ name: string; id_number: string }>("SELECT name, id_number FROM persons WHERE status = 'active' AND org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局') ORDER BY id DESC LIMIT 1");
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('导入');
    ws.addRow(['姓名', '身份证号', '培训项目名称', '开始日期', '结束日期', '组织单位', '培训学时', '证明材料']);
    ws.addRow([p.name, p.id_number, `浏览器导入${Date.now()}`, '2026-05-01', '2026-05-02', '本单位', '8', '签到表']);
    ws.addRow(['某人', '370102199001011013', '培训', '2026-05-01', '2026-05-02', '本单位', '8', '签到表']);
    const file = path.join(os.tmpdir(), `import-${Date.now()}.xlsx`);
    fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
    await w.page.setInputFiles('[data-testid=import-file]', file);
    await w.page.click('[data-testid=import-submit]');
    await w.page.waitForSelector('[data-testid=import-summary]', { timeout: 60000 });
    expect(await w.page.textContent('[data-testid=import-summary]')).toBe('共 2 行：成功导入 1 行，失败 1 行。');
    const download = w.page.waitForEvent('download');
    await w.page.click('[data-testid=import-report]');
    const report = new ExcelJS.Workbook();
    await report.xlsx.readFile(await (await download).path());
    expect(String(report.worksheets[0].getRow(2).getCell(10).value)).toBe('身份证号码校验位不正确');
    await shot(w.page, 'journey-import');
    clean(w);
    await w.page.close();
  });
});
