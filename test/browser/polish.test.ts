/**
 * Issue 17 item 13 as a user sees it, at 1366 × 768 and at the default size: the 停用 dialog
 * asks for 停用原因; 基本信息 opens the organisation's own record (a form of its fields, no
 * list, no 版本 on its edit form); the statistics pages' breadcrumb names the page once and the
 * year list offers the years with data; a person's own declaration form has no 添加本辖区的
 * 专业技术人员; every dropdown says 请选择… (item 12).
 */
import type { Browser, Page } from 'playwright-core';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { type TestPlatform } from '../helpers/platform.js';
import { login, newPage, shot, openSuite, closeSuite, superOf, clean, queryOf } from './browser.js';

let t: TestPlatform;
let browser: Browser;
beforeAll(async () => { ({ t, browser } = await openSuite()); }, 600_000);
afterAll(() => closeSuite(t, browser));
const q = queryOf(() => t);

const SIZES = [['1366x768', { width: 1366, height: 768 }], ['default', null]] as const;
const PERSON = DEMO_ACCOUNTS.find((a) => a.kind === 'person')!;

async function open(size: { width: number; height: number } | null, idNumber: string, userType?: string) {
  const w = await newPage(browser, t.base);
  if (size) await w.page.setViewportSize(size);
  await login(w.page, t.base, idNumber, undefined, userType);
  return w;
}
const text = (page: Page, sel = 'body') => page.locator(sel).first().innerText();

describe.each(SIZES)('item 13 at %s', (name, size) => {
  it('停用 asks for 停用原因, not 驳回原因', async () => {
    const w = await open(size, superOf('济南市人力资源和社会保障局'));
    const [org] = await q<{ id: number }>(`SELECT id FROM organisations WHERE status = 'active' AND kind = 'county_hr'
      AND parent_id = (SELECT id FROM organisations WHERE name = '济南市人力资源和社会保障局') ORDER BY region_code LIMIT 1`);
    await w.page.goto(`${t.base}/admin/resources/organisations/records/${org.id}/disable`);
    await w.page.waitForSelector('[data-testid=confirm-action]');
    const dialog = await text(w.page, '[data-testid=confirm-action]');
    expect(dialog).toContain('停用原因');
    expect(dialog).not.toContain('驳回原因');
    await shot(w.page, `polish-disable-${name}`);
    clean(w);
    await w.page.close();
  });

  it('基本信息 opens the organisation itself as a form of its fields; its edit form has no 版本', async () => {
    const w = await open(size, superOf('历下区人力资源和社会保障局'));
    const [own] = await q<{ id: number }>("SELECT id FROM organisations WHERE name = '历下区人力资源和社会保障局'");
    await w.page.click('[data-css=sidebar-resources] a:has-text("本级机构管理")').catch(() => undefined);
    await w.page.click('[data-css=sidebar-resources] a:has-text("基本信息")');
    await w.page.waitForURL(`**/admin/resources/my_organisation/records/${own.id}/show`);
    await w.page.waitForSelector('text=统一社会信用代码');
    expect(await w.page.locator('table').count()).toBe(0);
    const show = await text(w.page);
    expect(show).toContain('历下区人力资源和社会保障局');
    for (const label of ['机构名称', '统一社会信用代码', '联系人', '固定电话', '电子邮箱']) expect(show).toContain(label);
    await shot(w.page, `polish-basic-info-${name}`);
    await w.page.goto(`${t.base}/admin/resources/my_organisation/records/${own.id}/edit`);
    await w.page.waitForSelector('form');
    const labels = (await w.page.locator('form label').allInnerTexts()).map((l) => l.replace(/[*\s]/g, ''));
    expect(labels).toContain('机构名称');
    for (const internal of ['版本', '编号', '更新时间']) expect(labels).not.toContain(internal);
    clean(w);
    await w.page.close();
  });

  it('a statistics page names itself once in the breadcrumb and offers only years with data', async () => {
    const w = await open(size, superOf('济南市人力资源和社会保障局'));
    await w.page.goto(`${t.base}/admin/resources/statistics_overview/actions/overview`);
    await w.page.waitForSelector('[data-testid=overview-table]');
    const crumbs = (await text(w.page, '[data-testid=breadcrumbs]')).replace(/\s+/g, '');
    expect(crumbs).toBe('首页/查询统计/继教综合统计查询');
    const [{ path }] = await q<{ path: string }>("SELECT path FROM organisations WHERE name = '济南市人力资源和社会保障局'");
    const years = (await q<{ year: number }>("SELECT DISTINCT year FROM hour_declarations WHERE org_path LIKE :p AND year <= extract(year FROM now()) ORDER BY year DESC", { p: `${path}%` })).map((r) => `${r.year}年度`);
    await w.page.click('[data-testid=year-select]');
    await w.page.waitForSelector('[data-testid=year-select] [class*=option], [id*=option]');
    const offered = (await w.page.locator('[data-testid=year-select] [id*=option]').allInnerTexts()).map((s) => s.trim());
    expect(offered).toEqual(years);
    await shot(w.page, `polish-statistics-${name}`);
    clean(w);
    await w.page.close();
  });

  it('a person declares for itself only: no 添加本辖区的专业技术人员', async () => {
    const w = await open(size, PERSON.idNumber, 'person');
    await w.page.goto(`${t.base}/admin/resources/hour_declarations/actions/declareHours`);
    await w.page.waitForSelector('[data-testid=declare-hours]');
    await w.page.waitForSelector('[data-testid=applicant-self]');
    expect(await w.page.locator('[data-testid=applicant-query]').count()).toBe(0);
    expect(await text(w.page)).not.toContain('添加本辖区的专业技术人员');
    await shot(w.page, `polish-person-declares-${name}`);
    clean(w);
    await w.page.close();
  });

  it('every dropdown of a filter says 请选择…, never Select...', async () => {
    const w = await open(size, superOf('历下区人力资源和社会保障局'));
    await w.page.goto(`${t.base}/admin/resources/hour_reviews`);
    await w.page.click('[data-css="hour_reviews-filter-button"]');
    await w.page.waitForSelector('[data-css$="filter-drawer"]');
    const drawer = await text(w.page, '[data-css$="filter-drawer"]');
    expect(drawer).not.toContain('Select...');
    expect(drawer).toContain('请选择…');
    clean(w);
    await w.page.close();
  });
});
