/**
 * Issue 20's journey in Chromium: a 历下 admin filters 2026 未开始, exports it (the file's rows
 * equal the list's count), saves it as a report, schedules it weekly for two recipients, runs it
 * now; both recipients see the notice and the file downloads; another county's admin sees none
 * of it.
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { type TestPlatform } from '../helpers/platform.js';
import { createAdminAccount } from '../helpers/accounts.js';
import { login, newPage, shot, openSuite, closeSuite, superOf, clean, queryOf } from './browser.js';

let t: TestPlatform;
let browser: Browser;
// The panel's component bundle is built at the first request: minutes on the shared machine under load.
beforeAll(async () => { ({ t, browser } = await openSuite()); }, 600_000);
afterAll(() => closeSuite(t, browser));
const q = queryOf(() => t);
const LIXIA = superOf('历下区人力资源和社会保障局');
const SHIZHONG = superOf('市中区人力资源和社会保障局');

async function rowsOf(file: string): Promise<number> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(new Uint8Array(fs.readFileSync(file)).buffer);
  return wb.worksheets[0].rowCount - 1;
}

describe('exports configured in the panel', () => {
  it('filter → export → save → schedule for two → run now → both notified, file downloads; another county sees nothing', async () => {
    const name = `历下2026未开始-${Date.now() % 100000}`;
    const second = await createAdminAccount(t.platform.db.owner, '历下区人力资源和社会保障局', 'Journey@2026x');
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, LIXIA);
    await w.page.goto(`${t.base}/admin/resources/persons?filters.completion=2026%3Anone`);
    await w.page.waitForSelector('[data-testid=action-exportList]');
    const total = (await (await w.page.request.get(`${t.base}/admin/api/resources/persons/actions/list?filters.completion=2026%3Anone`)).json()).meta.total as number;
    expect(total).toBeGreaterThan(0);
    await w.page.click('[data-testid=action-exportList]');
    await w.page.waitForSelector('[data-testid=list-export-rows]');
    expect(await w.page.textContent('[data-testid=list-export-rows]')).toContain(`共 ${total} 行`);
    await shot(w.page, 'journey-list-export');
    const download = w.page.waitForEvent('download');
    await w.page.click('[data-testid=list-export-download]');
    expect(await rowsOf(await (await download).path())).toBe(total);

    await w.page.fill('[data-testid=list-export-name]', name);
    await w.page.click('[data-testid=list-export-save]');
    await w.page.waitForSelector(`text=已保存为报表「${name}」`);
    const [saved] = await q<{ id: number }>('SELECT id FROM saved_reports WHERE name = :name', { name });
    expect(saved).toBeDefined();

    // 定时导出管理 → 新增: the saved report, weekly (the next three Mondays shown), two recipients.
    await w.page.goto(`${t.base}/admin/resources/export_schedules/actions/new`);
    await w.page.waitForSelector('[data-testid=cron-runs]');
    await w.page.fill('#name', `${name}（每周一）`);
    await w.page.click('#saved_report_id');
    await w.page.keyboard.type(name.slice(0, 8));
    await w.page.waitForSelector(`[id^=react-select][id*=option]:has-text("${name}")`);
    await w.page.keyboard.press('Enter');
    await w.page.click('#preset');
    await w.page.keyboard.type('每周一');
    await w.page.keyboard.press('Enter');
    await w.page.waitForSelector('[data-testid=cron-runs]:has-text("周一")');
    expect((await w.page.textContent('[data-testid=cron-runs]'))!.match(/（周一）/g)).toHaveLength(3);
    const [me] = await q<{ id: number }>('SELECT ad.id FROM admins ad JOIN accounts a ON a.id = ad.account_id WHERE a.id_number = :n', { n: LIXIA });
    const [other] = await q<{ id: number }>('SELECT id FROM admins WHERE account_id = :a', { a: second.accountId });
    await w.page.click(`label[for=recipient-${me.id}]`);
    await w.page.click(`label[for=recipient-${other.id}]`);
    await shot(w.page, 'journey-schedule-new');
    await w.page.click('[data-testid=button-save]');
    await w.page.waitForURL((u) => !u.pathname.endsWith('/actions/new'));
    const [schedule] = await q<{ id: number; cron: string; recipients: number[]; saved_report_id: number }>('SELECT id, cron, recipients, saved_report_id FROM export_schedules WHERE name = :n', { n: `${name}（每周一）` });
    expect(schedule).toMatchObject({ cron: '0 2 * * 1', saved_report_id: saved.id });
    expect([...schedule.recipients].sort()).toEqual([me.id, other.id].sort());

    // 立即运行, then the run history shows it done with the list's rows.
    await w.page.goto(`${t.base}/admin/resources/export_schedules/records/${schedule.id}/show`);
    await w.page.click('[data-testid=action-runSchedule]');
    await w.page.click('[data-testid=confirm-submit]');
    await w.page.waitForURL((u) => !u.pathname.endsWith('/runSchedule'));
    await w.page.goto(`${t.base}/admin/resources/export_schedules/records/${schedule.id}/show`);
    await w.page.waitForSelector('[data-testid=schedule-run]:has-text("已完成")', { timeout: 60_000 });
    await shot(w.page, 'journey-schedule-runs');
    const [job] = await q<{ id: number; row_count: number }>('SELECT id, row_count FROM export_jobs WHERE schedule_id = :s', { s: schedule.id });
    expect(job.row_count).toBe(total);
    const file = w.page.waitForEvent('download');
    await w.page.click('[data-testid=schedule-run] a:has-text("下载")');
    expect(await rowsOf(await (await file).path())).toBe(total);
    clean(w);
    await w.page.close();

    // Both recipients see the notice in the panel.
    for (const [idNumber, password] of [[LIXIA, undefined], [second.idNumber, 'Journey@2026x']] as const) {
      const r = await newPage(browser, t.base);
      await login(r.page, t.base, idNumber, password);
      await r.page.goto(`${t.base}/admin/resources/export_notices`);
      await r.page.waitForSelector(`text=定时导出「${name}（每周一）」已生成（${total} 行）`);
      await r.page.close();
    }
    // Another county's admin: none of it.
    const x = await newPage(browser, t.base);
    await login(x.page, t.base, SHIZHONG);
    for (const list of ['export_notices', 'export_schedules', 'saved_reports']) {
      await x.page.goto(`${t.base}/admin/resources/${list}`);
      await x.page.waitForSelector('section[data-css], table, [data-testid]');
      expect(await x.page.textContent('body')).not.toContain(name);
    }
    const refused = await x.page.request.get(`${t.base}/admin/files/export-jobs/${job.id}`);
    expect(refused.status()).toBe(403);
    await x.page.close();
  }, 300_000);
});
