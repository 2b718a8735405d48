/**
 * Issue 17 in the browser at 1366 × 768 (a reviewer's laptop): every review list fits the screen
 * — no horizontal scrolling of the page, 申报时间 and the row-action control inside the viewport,
 * opening the row menu does not shift the page (item 2); the 姓名 filter is a text search
 * (item 3); the registration dialog names the applicant and lists what to check (item 4); and
 * 新增角色 is one form with the permission tree (item 10).
 */
import type { Browser, Page } from 'playwright-core';
import { type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { login, shot, openSuite, closeSuite, queryOf, superOf, clean, type Watched } from './browser.js';

let t: TestPlatform;
let browser: Browser;
beforeAll(async () => { ({ t, browser } = await openSuite()); }, 300_000);
afterAll(() => closeSuite(t, browser));
const q = queryOf(() => t);

async function laptop(width = 1366, height = 768): Promise<Watched> {
  const page = await browser.newPage({ viewport: { width, height }, locale: 'zh-CN' });
  const w: Watched = { page, outside: [], errors: [] };
  page.on('request', (r) => { const u = r.url(); if (!u.startsWith(t.base) && !u.startsWith('data:') && !u.startsWith('blob:')) w.outside.push(u); });
  page.on('console', (m) => { if (m.type() === 'error') w.errors.push(m.text()); });
  page.on('pageerror', (e) => w.errors.push(String(e)));
  return w;
}

/** The page's horizontal overflow, and where the first row's action control and last column sit. */
async function fit(page: Page) {
  return page.evaluate(() => {
    const control = document.querySelector('tbody tr [data-testid=actions-dropdown]')?.getBoundingClientRect();
    const header = [...document.querySelectorAll('thead th')].map((th) => th.getBoundingClientRect()).filter((r) => r.width > 0);
    // Any element that scrolls sideways (the table's wrapper included) counts as horizontal scrolling.
    const sideways = [...document.querySelectorAll('*')].filter((e) => e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)).length;
    return {
      scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, sideways,
      controlRight: control ? control.right : null, lastColumnRight: header.length ? Math.max(...header.map((r) => r.right)) : null,
    };
  });
}

const REVIEWERS: Array<[string, string[], string?]> = [
  [superOf('济南市人力资源和社会保障局'), ['registrations', 'change_requests', 'hour_reviews', 'ce_base_hour_reviews', 'hour_verifications', 'transfers', 'superior_changes']],
  [superOf('山东省人力资源和社会保障厅'), ['annual_plan_reviews', 'plan_declaration_reviews', 'work_summary_reviews']],
  [DEMO_ACCOUNTS.find((a) => a.kind === 'admin' && a.organisationName.includes('医院') && a.isSuper)!.idNumber, ['unit_first_reviews'], 'unit_admin'],
  [superOf('历下区人力资源和社会保障局'), ['unit_plan_reviews', 'unit_hours_reviews']],
];

describe('every review list fits 1366 × 768 (item 2)', () => {
  const cases = [...REVIEWERS.map(([id, lists, type]) => [id, lists, type, 1366, 768] as const),
    // …and at the journeys' default size (1440 × 1000) for the city's lists.
    [REVIEWERS[0][0], REVIEWERS[0][1], undefined, 1440, 1000] as const];
  it.each(cases)('reviewer %s: no sideways scrolling, the row actions on screen, the menu opens in place (%#)', async (idNumber, lists, userType, width, height) => {
    const w = await laptop(width, height);
    await login(w.page, t.base, idNumber, undefined, userType);
    const seen: string[] = [];
    for (const list of lists) {
      await w.page.goto(`${t.base}/admin/resources/${list}`);
      const response = await w.page.waitForSelector('[data-testid=review-tabs]', { timeout: 15000 }).then(() => true, () => false);
      if (!response) continue; // not this reviewer's list
      // Both tabs: 待审核 and 已审核 (the reviewed tab has the longest rows).
      for (const tab of [0, 1]) {
        await w.page.locator('[data-testid=review-tabs] button').nth(tab).click();
        await w.page.waitForLoadState('networkidle');
        await w.page.waitForSelector('tbody tr, text=暂无', { timeout: 15000 }).catch(() => undefined);
        const m = await fit(w.page);
        await shot(w.page, `${width}-${list}-${tab}`);
        expect([list, tab, m.scrollWidth, m.sideways]).toEqual([list, tab, m.innerWidth, 0]);
        if (m.controlRight !== null) {
          expect([list, tab, m.controlRight <= m.innerWidth]).toEqual([list, tab, true]);
          expect([list, tab, m.lastColumnRight! <= m.innerWidth]).toEqual([list, tab, true]);
          // Opening the row's menu does not shift the page or widen it.
          await w.page.locator('tbody tr [data-testid=actions-dropdown]').first().hover();
          await w.page.waitForTimeout(0);
          const open = await fit(w.page);
          expect([list, tab, open.scrollWidth]).toEqual([list, tab, open.innerWidth]);
          await w.page.mouse.move(0, 0);
        }
      }
      seen.push(list);
    }
    expect(seen.length).toBeGreaterThan(0);
    clean(w);
    await w.page.close();
  }, 300_000);
});

describe('the reviewer at work, at 1366 × 768', () => {
  it('姓名 is a text search (item 3): typing a fragment filters the hour review list', async () => {
    const w = await laptop();
    await login(w.page, t.base, superOf('历下区人力资源和社会保障局'));
    const [{ fragment }] = await q<{ fragment: string }>(`SELECT left(p.name, 1) fragment FROM hour_declarations h JOIN persons p ON p.id = h.person_id
      WHERE h.status = 'pending' AND h.channel <> 'ce_base' AND h.org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局')
      GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
    await w.page.goto(`${t.base}/admin/resources/hour_reviews?filters.status=pending&filters.person_name=${encodeURIComponent(fragment)}`);
    await w.page.waitForSelector('tbody tr');
    const names = await w.page.locator('tbody td[data-property-name=person_id]').allInnerTexts();
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n.includes(fragment))).toBe(true);
    // The filter panel offers 姓名 as a text box, not a dropdown of persons.
    await w.page.click('[data-css="hour_reviews-filter-button"], button:has-text("筛选")');
    const box = w.page.locator('input[name="filter-person_name"], input[name="person_name"]');
    expect(await box.count()).toBeGreaterThan(0);
    await shot(w.page, '1366-hour-reviews-name-filter');
    clean(w);
    await w.page.close();
  }, 300_000);

  it('the registration dialog names the applicant and lists what to check (item 4)', async () => {
    const w = await laptop();
    await login(w.page, t.base, superOf('济南市人力资源和社会保障局'));
    const [reg] = await q<{ id: number; name: string; credit_code: string }>(`SELECT r.id, o.name, o.credit_code FROM registrations r JOIN organisations o ON o.id = r.organisation_id
      WHERE r.status = 'pending' AND r.kind = 'unit' AND r.org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '济南市人力资源和社会保障局') ORDER BY r.id LIMIT 1`);
    await w.page.goto(`${t.base}/admin/resources/registrations/records/${reg.id}/approve`);
    await w.page.waitForSelector('[data-testid=confirm-facts]');
    expect((await w.page.innerText('[data-testid=confirm-question]')).trim()).toBe(`通过 ${reg.name} 的注册申请？`);
    const facts = await w.page.innerText('[data-testid=confirm-facts]');
    expect(facts).toContain(reg.credit_code);
    expect(facts).toContain('联系人');
    expect(await w.page.locator('text=记录：').count()).toBe(0);
    await shot(w.page, '1366-registration-confirm');
    // The detail shows 审核要点 too.
    await w.page.goto(`${t.base}/admin/resources/registrations/records/${reg.id}/show`);
    await w.page.waitForSelector('[data-testid=record-facts] dl');
    expect(await w.page.innerText('[data-testid=record-facts]')).toContain(reg.credit_code);
    clean(w);
    await w.page.close();
  }, 300_000);

  it('新增角色 is one form with the tree and 全选 per module; the detail shows the tree (item 10)', async () => {
    const w = await laptop();
    await login(w.page, t.base, superOf('历下区人力资源和社会保障局'));
    await w.page.goto(`${t.base}/admin/resources/roles/actions/new`);
    await w.page.waitForSelector('[data-testid=role-form] [data-testid=permission-checklist]');
    const name = `浏览器角色${Date.now() % 100000}`;
    await w.page.fill('#role-name', name);
    await w.page.fill('#role-description', '名称、描述和权限一次填写');
    const module = w.page.locator('[data-testid=permission-checklist] [data-module]').first();
    await module.locator('[data-testid^=select-all-] + label, label:has-text("全选")').first().click();
    const ticked = await module.locator('input[type=checkbox]:checked').count();
    expect(ticked).toBeGreaterThan(1);
    await shot(w.page, '1366-new-role');
    await w.page.click('[data-testid=save-role]');
    await w.page.waitForSelector('[data-testid=role-permissions] [data-testid=permission-list]');
    const [role] = await q<{ n: number }>('SELECT count(*)::int n FROM role_permissions rp JOIN roles r ON r.id = rp.role_id WHERE r.name = :name', { name });
    expect(role.n).toBe(ticked - 1); // the module's 全选 box itself is ticked too
    expect(await w.page.innerText('[data-testid=role-permissions]')).not.toContain('未设置任何权限');
    await shot(w.page, '1366-role-detail');
    clean(w);
    await w.page.close();
  }, 300_000);
});
