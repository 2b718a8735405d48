/**
 * Journeys of the review work (manual 4.1.3, 4.1.4, 4.1.6, 4.2, 4.4): a unit registers and is
 * approved, a title change is approved seeing old vs. new, a person is transferred between two
 * cities with both sides deciding, hours are declared with two learning forms' fields, and an
 * approved declaration fails verification. Each as the right user, ending in what the page
 * shows, with a screenshot, no request to another host and no console error.
 */
import crypto from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { type TestPlatform } from '../helpers/platform.js';
import { pngOf } from '../helpers/evidence.js';
import { DEMO_ACCOUNTS, DEMO_UNIT_SHINAN } from '../../src/db/demo-accounts.js';
import { generateCreditCode, generateIdNumber } from '../../src/domain/identifiers.js';
import { levelsOf, titleFor, titleLevels } from '../../config/title-series.js';
import { choose, login, newPage, shot, openSuite, closeSuite, queryOf, superOf, clean } from './browser.js';

let t: TestPlatform;
let browser: Browser;
beforeAll(async () => { ({ t, browser } = await openSuite()); });
afterAll(() => closeSuite(t, browser));

const LIXIA = superOf('历下区人力资源和社会保障局');
const SHIZHONG = superOf('市中区人力资源和社会保障局');
const SHINAN = superOf('市南区人力资源和社会保障局');
const PERSON = DEMO_ACCOUNTS.find((a) => a.kind === 'person')!;

const q = queryOf(() => t);
/** From a review list's pending tab: open the row, approve it from the record's page. */
async function approveRow(page: Page, resourceId: string, rowText: string, shotName?: string): Promise<void> {
  await page.goto(`${t.base}/admin/resources/${resourceId}`);
  await page.waitForSelector('[data-testid=review-tabs]');
  try {
    // The status cell: a click on a reference's link would open the referenced record instead.
    await page.click(`tr:has-text("${rowText}") td:has-text("待审核")`);
    await page.waitForSelector('[data-testid=action-approve]');
  } catch (e) { await shot(page, `failed-${resourceId}`); throw e; }
  if (shotName) await shot(page, shotName);
  await page.click('[data-testid=action-approve]');
  await page.waitForSelector('[data-testid=confirm-action]');
  await page.click('[data-testid=confirm-submit]');
  await page.waitForSelector('text=已通过 1 条');
}
/** The reviewed tab of a review list, and the text of the row that matches. */
async function reviewedRow(page: Page, resourceId: string, rowText: string): Promise<string> {
  await page.goto(`${t.base}/admin/resources/${resourceId}`);
  await page.waitForSelector('[data-testid=review-tabs]');
  await page.waitForURL(/filters\.status=pending/);
  await page.click('[data-testid=review-tabs] button:has-text("已审核")');
  await page.waitForURL(/filters\.status=approved/);
  try { await page.waitForSelector(`tr:has-text("${rowText}")`); } catch (e) { await shot(page, `failed-reviewed-${resourceId}`); throw e; }
  return page.innerText(`tr:has-text("${rowText}")`);
}

describe('reviews', () => {
  it('a unit registers on /register and the 历下 admin approves it; the unit can then log in', async () => {
    const w = await newPage(browser, t.base);
    const orgName = `济南历下浏览器测试科技有限公司${crypto.randomInt(1000, 9999)}`;
    let creditCode = '';
    do creditCode = generateCreditCode(crypto.randomInt(1, 2 ** 39)); while ((await q('SELECT 1 FROM organisations WHERE credit_code = :c', { c: creditCode })).length);
    const idNumber = generateIdNumber('370102', '19860315', crypto.randomInt(0, 1000));
    const [bureau] = await q<{ id: number }>("SELECT id FROM organisations WHERE name = '历下区人力资源和社会保障局'");
    await w.page.goto(`${t.base}/register`);
    await w.page.selectOption('#kind', 'unit');
    await w.page.selectOption('#superiorId', String(bureau.id));
    await w.page.fill('#orgName', orgName);
    await w.page.fill('#creditCode', creditCode);
    await w.page.setInputFiles('#licence', { name: '营业执照.png', mimeType: 'image/png', buffer: pngOf() });
    await w.page.fill('#idNumber', idNumber);
    await w.page.fill('#name', '郑海涛');
    await w.page.fill('#mobile', '13805310066');
    await w.page.fill('#email', 'zht@example.com');
    await w.page.fill('#password', 'Unit#Pass2026');
    await w.page.fill('#confirm', 'Unit#Pass2026');
    await shot(w.page, 'registration-form');
    await w.page.click('button[type=submit]');
    await w.page.waitForSelector('[role=status]');
    expect(await w.page.textContent('[role=status]')).toContain('注册信息已提交，请等待上级人社部门审核');

    await login(w.page, t.base, LIXIA);
    await approveRow(w.page, 'registrations', orgName, 'registration-show');
    const row = await reviewedRow(w.page, 'registrations', orgName);
    expect(row).toContain('已通过');
    expect(row).toContain('用人单位');
    await shot(w.page, 'registration-approved');
    clean(w);
    await w.page.close();

    const u = await newPage(browser, t.base);
    await login(u.page, t.base, idNumber, 'Unit#Pass2026', 'unit_admin');
    await u.page.waitForSelector('[data-testid=dashboard]');
    expect(await u.page.textContent('[data-testid=dashboard]')).toContain(orgName);
    clean(u);
    await u.page.close();
  });

  it('a person asks for a title change; the 市中 admin sees old vs. new and approves it', async () => {
    const [me] = await q<{ id: number; title_series: string; title_level: string; title: string }>(
      'SELECT p.id, p.title_series, p.title_level, p.title FROM persons p JOIN accounts a ON a.id = p.account_id WHERE a.id_number = :id', { id: PERSON.idNumber });
    const level = levelsOf(me.title_series).find((l) => l !== me.title_level)!;
    const levelLabel = titleLevels.find((l) => l.value === level)!.label;
    const newTitle = titleFor(me.title_series, level)!;

    const w = await newPage(browser, t.base);
    await login(w.page, t.base, PERSON.idNumber, undefined, 'person');
    await w.page.goto(`${t.base}/admin/resources/persons`);
    await w.page.click(`tr:has-text("${PERSON.name}")`);
    await w.page.click('[data-testid=action-requestTitleChange]');
    await w.page.waitForSelector('[data-testid=request-change]');
    await choose(w.page, 'title_level', levelLabel);
    await choose(w.page, 'title', newTitle);
    await w.page.fill('[data-testid=request-change] textarea', `职称证书编号 ${crypto.randomInt(100000, 999999)}`);
    await w.page.setInputFiles('#evidence_file', { name: '职称证书.png', mimeType: 'image/png', buffer: pngOf() });
    await shot(w.page, 'title-change-request');
    await w.page.click('[data-testid=request-change-submit]');
    await w.page.waitForSelector('[data-testid=change-filed]');
    clean(w);
    await w.page.close();

    const a = await newPage(browser, t.base);
    await login(a.page, t.base, SHIZHONG);
    await a.page.goto(`${t.base}/admin/resources/change_requests`);
    await a.page.waitForSelector('[data-testid=review-tabs]');
    await a.page.click(`tr:has-text("${PERSON.name}") td:has-text("待审核")`);
    await a.page.waitForSelector('[data-testid=change-diff]');
    const diff = await a.page.innerText('[data-testid=change-diff]');
    expect(diff).toContain('变更前');
    expect(diff).toContain(me.title);
    expect(diff).toContain(newTitle);
    expect(diff).toContain(levelLabel);
    await shot(a.page, 'title-change-diff');
    await a.page.click('[data-testid=action-approve]');
    await a.page.click('[data-testid=confirm-submit]');
    await a.page.waitForSelector('text=已通过 1 条');
    await a.page.goto(`${t.base}/admin/resources/persons/records/${me.id}/show`);
    await a.page.waitForSelector(`text=${newTitle}`);
    await shot(a.page, 'title-change-person');
    clean(a);
    await a.page.close();
  });

  it('transfers a person from a 历下 unit to a 市南 unit, both sides deciding', async () => {
    const [p] = await q<{ id: number; name: string; id_number: string; unit: string }>(
      `SELECT p.id, p.name, p.id_number, u.name unit FROM persons p JOIN organisations u ON u.id = p.unit_id
        WHERE p.status = 'active' AND u.kind = 'unit' AND p.account_id IS NULL
          AND p.org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局')
          AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.person_id = p.id) ORDER BY p.id DESC LIMIT 1`);
    const reason = `工作调动（浏览器测试 ${crypto.randomInt(1000, 9999)}）`;
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, LIXIA);
    await w.page.goto(`${t.base}/admin/resources/transfers`);
    await w.page.click('[data-testid=action-transferOut]');
    await w.page.waitForSelector('[data-testid=transfer-out]');
    await w.page.fill('[data-testid=person-query]', p.id_number);
    await w.page.click(`button:has-text("${p.name}")`);
    await w.page.fill('[data-testid=unit-query]', DEMO_UNIT_SHINAN.slice(0, 4));
    await w.page.click(`button:has-text("${DEMO_UNIT_SHINAN}")`);
    await w.page.fill('[data-testid=transfer-reason]', reason);
    expect(await w.page.textContent('[data-testid=chosen-person]')).toContain(p.unit);
    await shot(w.page, 'transfer-out');
    await w.page.click('[data-testid=transfer-submit]');
    await w.page.waitForURL(/\/admin\/resources\/transfers\/records\/\d+\/show/);
    await w.page.waitForSelector('text=调出申请已提交');
    await approveRow(w.page, 'transfer_out_reviews', p.name, 'transfer-out-review');
    clean(w);
    await w.page.close();

    const s = await newPage(browser, t.base);
    await login(s.page, t.base, SHINAN);
    await approveRow(s.page, 'transfer_in_reviews', p.name, 'transfer-in-review');
    await s.page.goto(`${t.base}/admin/resources/transfers`);
    const row = await s.page.innerText(`tr:has-text("${p.name}")`);
    expect(row).toContain('已通过');
    await s.page.goto(`${t.base}/admin/resources/persons/records/${p.id}/show`);
    await s.page.waitForSelector(`text=${DEMO_UNIT_SHINAN}`);
    await shot(s.page, 'transfer-person-moved');
    clean(s);
    await s.page.close();
  });

  it('the declaration form changes its fields with the learning form and previews the hours', async () => {
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, LIXIA);
    await w.page.goto(`${t.base}/admin/resources/hour_declarations/actions/declareHours`);
    await w.page.waitForSelector('[data-testid=declare-hours]');
    await choose(w.page, 'subject', '专业');
    await choose(w.page, 'form', '网络培训');
    await w.page.waitForSelector('label[for=f-platform]');
    expect(await w.page.isVisible('label[for=f-level]')).toBe(false);
    await w.page.fill('#f-activity_name', '医疗质量与安全管理（网络课程）');
    await w.page.fill('#f-hours', '12');
    await shot(w.page, 'declare-online');

    await choose(w.page, 'form', '学术会议');
    await w.page.waitForSelector('label[for=f-level]');
    expect(await w.page.isVisible('label[for=f-platform]')).toBe(false);
    expect(await w.page.isVisible('label[for=f-hours]')).toBe(false);
    const activity = '山东省医学会2026年学术年会';
    const [{ before }] = await q<{ before: string }>('SELECT count(*) before FROM hour_declarations WHERE activity_name = :a', { a: activity });
    await w.page.fill('#f-activity_name', activity);
    await w.page.fill('#f-start_date', '2026-04-10');
    await w.page.fill('#f-end_date', '2026-04-11');
    await w.page.fill('#f-organiser', '山东省医学会');
    await choose(w.page, 'f-level', '省级学术会议');
    await w.page.setInputFiles('#f-evidence', { name: '参会证明 2026-041.png', mimeType: 'image/png', buffer: pngOf() });
    const [person] = await q<{ name: string }>("SELECT name FROM persons WHERE status = 'active' AND org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局') ORDER BY id LIMIT 1 OFFSET 3");
    await w.page.fill('[data-testid=applicant-query]', person.name);
    await w.page.click(`button:has-text("+ ${person.name}")`);
    await w.page.click('[data-testid=compute-hours]');
    await w.page.waitForSelector('[data-testid=hours-preview]');
    expect(await w.page.textContent('[data-testid=hours-preview]')).toContain('每人 8 学时');
    await shot(w.page, 'declare-conference');
    await w.page.click('[data-testid=submit-hours]');
    await w.page.waitForSelector('text=学时（分）申报成功');
    const [{ after }] = await q<{ after: string }>('SELECT count(*) after FROM hour_declarations WHERE activity_name = :a', { a: activity });
    expect(Number(after)).toBe(Number(before) + 1);
    clean(w);
    await w.page.close();
  });

  it('an approved declaration fails verification with a reason; its status and reason show', async () => {
    const [d] = await q<{ id: number; name: string }>(
      `SELECT h.id, p.name FROM hour_declarations h JOIN persons p ON p.id = h.person_id
        WHERE h.status = 'approved' AND h.org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局')
        ORDER BY h.id LIMIT 1`);
    const reason = '证明材料与培训时间不符，经核实未参加该培训';
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, LIXIA);
    await w.page.goto(`${t.base}/admin/resources/hour_verifications`);
    await w.page.waitForSelector('[data-testid=review-tabs]');
    await w.page.goto(`${t.base}/admin/resources/hour_verifications/records/${d.id}/show`);
    await w.page.click('[data-testid=action-verificationFail]');
    await w.page.waitForSelector('[data-testid=confirm-action]');
    await w.page.click('[data-testid=confirm-submit]');
    await w.page.waitForSelector('text=请填写原因');
    await w.page.fill('[data-testid=reason]', reason);
    await shot(w.page, 'verification-fail-confirm');
    await w.page.click('[data-testid=confirm-submit]');
    await w.page.waitForSelector('[data-testid=review-tabs]');
    await w.page.goto(`${t.base}/admin/resources/hour_verifications/records/${d.id}/show`);
    await w.page.waitForSelector(`text=${reason}`);
    const page = await w.page.innerText('section[data-css="hour_verifications-show"], main, body');
    expect(page).toContain('审验不通过');
    expect(page).toContain(d.name);
    // 学习信息: what the declaration says, by label — not empty, no raw keys.
    const details = await w.page.innerText('[data-testid=learning-details]');
    expect(details).toContain('开始日期');
    expect(details).not.toMatch(/[a-z]_[a-z]/);
    await shot(w.page, 'verification-failed');
    clean(w);
    await w.page.close();
  });
});
