/**
 * Four features of issues 18 and 19 in Chromium at 1366 × 768 (a reviewer's laptop), as the
 * people who use them would meet them — all in Chinese, no sideways scrolling, nothing from
 * another host, no console error:
 * - 学时证明 (19.6): the demo person prints its own proof for a span of years, the PDF states
 *   each year as its 年度学时, a reversed span is refused in Chinese, and the public
 *   verification page (logged out) shows the proof's figures;
 * - 年末提醒 (19.5): the province's super admin sets the reminders (2月30日 refused, nothing
 *   saved), the reminder task runs once on a fixed day, 年末提醒统计 shows the run per city;
 *   the person turns e-mail reminders off on its own page;
 * - 回调地址 (19.3): the 济南 city's super admin registers a client with a callback address
 *   (a malformed one refused), a record it sent is approved, 接口回调记录 lists the event 待发送,
 *   then — after a delivery to a receiver on this machine — 已送达;
 * - 重算任务 (18.5): the province's super admin saves a learning-form rule, and 重算任务 shows
 *   its job done with its progress.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { loggedIn, type TestPlatform } from '../helpers/platform.js';
import { textOf } from '../helpers/pdf.js';
import { recomputesDone } from '../helpers/year-totals.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { currentYear } from '../../src/services/certificates/proof.js';
import { yearEndRemindersTask } from '../../src/jobs/year-end-reminders.js';
import { deliverDueCallbacks } from '../../src/jobs/api-callbacks.js';
import { choose, clean, closeSuite, login, openSuite, queryOf, shot, superOf, type Watched } from './browser.js';

let t: TestPlatform;
let browser: Browser;
// The panel's component bundle is built on the first request: minutes on a loaded 2-core machine.
beforeAll(async () => { ({ t, browser } = await openSuite()); }, 600_000);
afterAll(() => closeSuite(t, browser));
const q = queryOf(() => t);

const PERSON = DEMO_ACCOUNTS.find((a) => a.kind === 'person')!;
const PROVINCE = superOf('山东省人力资源和社会保障厅');
const JINAN = superOf('济南市人力资源和社会保障局');

/** A page at 1366 × 768, watched like newPage's. */
async function laptop(): Promise<Watched> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', acceptDownloads: true });
  const w: Watched = { page, outside: [], errors: [] };
  page.on('request', (r) => { const u = r.url(); if (!u.startsWith(t.base) && !u.startsWith('data:') && !u.startsWith('blob:')) w.outside.push(u); });
  page.on('console', (m) => { if (m.type() === 'error') w.errors.push(m.text()); });
  page.on('pageerror', (e) => w.errors.push(String(e)));
  return w;
}

/** The page does not scroll sideways at this width. */
async function fits(page: Page, what: string): Promise<void> {
  const m = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth,
    // Any element that scrolls sideways (a table's wrapper included) counts as horizontal scrolling.
    sideways: [...document.querySelectorAll('*')].filter((e) => e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
      .map((e) => `${e.tagName.toLowerCase()}${e.getAttribute('data-css') ? `[${e.getAttribute('data-css')}]` : ''} ${e.scrollWidth}>${e.clientWidth}`),
  }));
  expect([what, m.scrollWidth <= m.innerWidth, m.sideways]).toEqual([what, true, []]);
}

/** Text that must not be on a page a Chinese user reads: AdminJS's untranslated keys and English words. */
async function noRawText(page: Page, what: string): Promise<void> {
  const text = await page.locator('section[data-css], [data-css=app-content], body').first().innerText();
  const english = text.match(/\b(successfully\w*|Created|Updated|Save|Cancel|Filter|Actions|No records|Length|true|false|null|undefined|NaN)\b/g) ?? [];
  expect([what, english]).toEqual([what, []]);
}

const h = (n: number | string) => (Number.isInteger(Number(n)) ? String(Number(n)) : Number(n).toFixed(1));
const rowOf = (cells: Array<string | number>) => new RegExp(cells.map(String).join('\\s*'));

describe('学时证明 (issue 19 item 6)', () => {
  it('the person prints its own proof for a span of years, a reversed span is refused, the public page verifies it', async () => {
    const [me] = await q<{ id: number; name: string; first: number; last: number }>(`SELECT p.id, p.name, min(y.year)::int first, max(y.year)::int last
        FROM persons p JOIN accounts a ON a.id = p.account_id LEFT JOIN person_year_hours y ON y.person_id = p.id
       WHERE a.id_number = :n GROUP BY p.id`, { n: PERSON.idNumber });
    const to = Math.min(me.last, currentYear());
    const from = Math.max(me.first, to - 4);
    const totals = await q<{ year: number; public_hours: string; professional_hours: string; total_hours: string; completed: boolean }>(
      'SELECT year, public_hours, professional_hours, total_hours, completed FROM person_year_hours WHERE person_id = :id AND year BETWEEN :from AND :to ORDER BY year',
      { id: me.id, from, to });
    expect(totals.length).toBeGreaterThanOrEqual(2);

    const w = await laptop();
    await login(w.page, t.base, PERSON.idNumber, undefined, 'person');
    // Its own record, and the action's button there.
    await w.page.goto(`${t.base}/admin/resources/persons/records/${me.id}/show`);
    await w.page.locator('a, button', { hasText: '打印学时证明' }).first().click();
    await w.page.waitForSelector('[data-testid=hour-proof-print]');
    expect(await w.page.textContent('[data-testid=hour-proof-print] h5')).toContain(`${me.name}　学时证明`);

    // A reversed span: refused in Chinese, nothing issued.
    const before = Number((await q<{ n: string }>('SELECT count(*) n FROM hour_proofs WHERE person_id = :id', { id: me.id }))[0].n);
    await w.page.fill('[data-testid=proof-from]', String(to));
    await w.page.fill('[data-testid=proof-to]', String(from));
    await w.page.click('[data-testid=print-proof]');
    await w.page.waitForSelector(`[data-testid=certificate-result]:has-text("起始年度（${to}年）不能晚于截止年度（${from}年）")`);
    await shot(w.page, 'today-proof-reversed');
    expect(Number((await q<{ n: string }>('SELECT count(*) n FROM hour_proofs WHERE person_id = :id', { id: me.id }))[0].n)).toBe(before);

    // The span the right way round: the PDF downloads, its text states each year's 年度学时.
    await w.page.fill('[data-testid=proof-from]', String(from));
    await w.page.fill('[data-testid=proof-to]', String(to));
    const download = w.page.waitForEvent('download');
    await w.page.click('[data-testid=print-proof]');
    const file = await (await download).path();
    const pdf = fs.readFileSync(file);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await w.page.waitForSelector(`[data-testid=certificate-result]:has-text("学时证明已出具（${from}—${to}年度）")`);
    await fits(w.page, 'hour proof');
    await noRawText(w.page, 'hour proof');
    await shot(w.page, 'today-proof-printed');
    const [{ number }] = await q<{ number: string }>('SELECT number FROM hour_proofs WHERE person_id = :id ORDER BY id DESC LIMIT 1', { id: me.id });
    expect(await w.page.textContent('[data-testid=certificate-result]')).toContain(number);
    const [text] = await textOf(pdf);
    expect(text).toContain('专业技术人员继续教育学时证明');
    expect(text).toContain(number);
    expect(text).toContain(me.name);
    for (const y of totals) {
      expect(text).toMatch(rowOf([y.year, h(y.public_hours), h(y.professional_hours), h(y.total_hours), y.completed ? '达标' : '未达标']));
    }
    clean(w);

    // The QR code's page, logged out.
    const pub = await laptop();
    await pub.page.goto(`${t.base}/verify/${number}`);
    const facts = await pub.page.textContent('[data-testid=proof-facts]');
    expect(await pub.page.textContent('body')).toContain('该学时证明真实有效');
    expect(facts).toContain(number);
    expect(facts).toContain(me.name);
    expect(facts).toContain(`${from}年度至${to}年度`);
    for (const y of totals) expect(facts).toContain(`${y.year}年度${h(y.total_hours)} 学时（公需科目 ${h(y.public_hours)}，专业科目 ${h(y.professional_hours)}）`);
    await fits(pub.page, 'verification page');
    await shot(pub.page, 'today-proof-verify');
    clean(pub);
    await w.page.close();
    await pub.page.close();
  });
});

describe('年末提醒 (issue 19 item 5)', () => {
  let saved: Record<string, unknown>;
  beforeAll(async () => { [saved] = await q('SELECT start_month, start_day, interval_days, enabled, email_enabled, sms_enabled, digest_enabled FROM reminder_settings'); });
  afterAll(async () => {
    await t.platform.db.owner.query(`UPDATE reminder_settings SET start_month = :start_month, start_day = :start_day, interval_days = :interval_days,
      enabled = :enabled, email_enabled = :email_enabled, sms_enabled = :sms_enabled, digest_enabled = :digest_enabled`, { replacements: saved });
  });

  /** The edit page's month picker (react-select) and day field. */
  async function enterStart(page: Page, month: number, day: number, interval: number) {
    await page.locator('[data-testid=property-edit-start_month] [class*=control]').first().click();
    await page.keyboard.type(`${month}月`);
    await page.keyboard.press('Enter');
    await page.fill('#start_day', String(day));
    await page.fill('#interval_days', String(interval));
  }

  it('the province sets the reminders (2月30日 refused), one run is counted per city in 年末提醒统计', async () => {
    const w = await laptop();
    await login(w.page, t.base, PROVINCE);
    await w.page.goto(`${t.base}/admin/resources/reminder_settings`);
    await w.page.waitForSelector('tbody tr');
    await fits(w.page, 'reminder settings list');
    await shot(w.page, 'today-reminder-settings');
    const [{ id }] = await q<{ id: number }>('SELECT id FROM reminder_settings LIMIT 1');
    const before = await q('SELECT * FROM reminder_settings');

    await w.page.goto(`${t.base}/admin/resources/reminder_settings/records/${id}/edit`);
    await w.page.waitForSelector('#start_day');
    await enterStart(w.page, 2, 30, 14);
    await w.page.click('button[type=submit]');
    await w.page.waitForSelector('text=2月的起始日不能晚于28日');
    await fits(w.page, 'reminder settings refused');
    await shot(w.page, 'today-reminder-invalid');
    expect(await q('SELECT * FROM reminder_settings')).toEqual(before);

    await w.page.goto(`${t.base}/admin/resources/reminder_settings/records/${id}/edit`);
    await w.page.waitForSelector('#start_day');
    await enterStart(w.page, 11, 1, 14);
    await w.page.click('button[type=submit]');
    await w.page.waitForURL((u) => !u.pathname.endsWith('/edit'));
    expect((await q('SELECT start_month, start_day, interval_days FROM reminder_settings'))[0]).toEqual({ start_month: 11, start_day: 1, interval_days: 14 });
    await noRawText(w.page, 'reminder settings saved');
    await shot(w.page, 'today-reminder-saved');
    // Reminders on, for the run below.
    await t.platform.db.owner.query('UPDATE reminder_settings SET enabled = true, email_enabled = true, sms_enabled = true, digest_enabled = true');

    // The daily task, once, at 09:00 in Shandong on a day after the start.
    const day = `${currentYear()}-11-20`;
    await yearEndRemindersTask.run(t.platform.db.sequelize, new Date(`${day}T01:00:00Z`), () => {});
    const figures = await q<{ scope: string; city: string | null; at_risk: number; reminded: number }>(`SELECT f.scope, o.name city, f.at_risk, f.reminded
        FROM reminder_figures f LEFT JOIN organisations o ON o.id = f.city_id WHERE f.due_date = :day ORDER BY f.scope, o.name`, { day });
    const cities = figures.filter((f) => f.scope === 'city');
    expect(cities.length).toBeGreaterThan(0);
    expect(figures.some((f) => f.scope === 'province' && f.reminded > 0)).toBe(true);

    await w.page.goto(`${t.base}/admin/resources/reminder_figures?perPage=50`);
    await w.page.waitForSelector('tbody tr');
    const rows = await w.page.locator('tbody tr').allInnerTexts();
    expect(rows.some((r) => r.includes('全省合计'))).toBe(true);
    for (const c of cities) expect([c.city, rows.some((r) => r.includes('设区市') && r.includes(c.city!))]).toEqual([c.city, true]);
    expect(await w.page.locator('thead').innerText()).toMatch(/提醒/);
    await fits(w.page, 'reminder figures');
    await noRawText(w.page, 'reminder figures');
    await shot(w.page, 'today-reminder-figures');
    clean(w);
    await w.page.close();
  });

  it('the person turns e-mail reminders off on its own page', async () => {
    const [me] = await q<{ id: number }>('SELECT p.id FROM persons p JOIN accounts a ON a.id = p.account_id WHERE a.id_number = :n', { n: PERSON.idNumber });
    const w = await laptop();
    await login(w.page, t.base, PERSON.idNumber, undefined, 'person');
    await w.page.goto(`${t.base}/admin/resources/persons/records/${me.id}/show`);
    await w.page.locator('a, button', { hasText: '提醒设置' }).first().click();
    await w.page.waitForSelector('[data-testid=reminder-options]');
    expect(await w.page.textContent('[data-testid=reminder-options]')).toContain('接收电子邮件提醒');
    try {
      await w.page.click('label[for=remind_email]');
      await w.page.click('[data-testid=reminder-options-save]');
      await w.page.waitForSelector('text=提醒设置已保存');
      expect((await q('SELECT remind_email, remind_sms FROM persons WHERE id = :id', { id: me.id }))[0]).toEqual({ remind_email: false, remind_sms: true });
      await fits(w.page, 'reminder options');
      await noRawText(w.page, 'reminder options');
      await shot(w.page, 'today-reminder-options');
      clean(w);
    } finally {
      await t.platform.db.owner.query('UPDATE persons SET remind_email = true, remind_sms = true WHERE id = :id', { replacements: { id: me.id } });
      await w.page.close();
    }
  });
});

describe('回调地址 (issue 19 item 3)', () => {
  const received: string[] = [];
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => { received.push(Buffer.concat(chunks).toString('utf8')); res.end('ok'); });
  });
  let hookUrl = '';
  beforeAll(async () => {
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ce-callback`;
  });
  afterAll(async () => { receiver.closeAllConnections(); await new Promise((r) => receiver.close(r)); });

  it('a city registers a client with a callback address; a decided record is listed 待发送, then 已送达', async () => {
    const w = await laptop();
    await login(w.page, t.base, JINAN);
    await w.page.goto(`${t.base}/admin/resources/api_clients/actions/register`);
    await w.page.waitForSelector('[data-testid=api-client-register]');
    const name = `回调浏览器平台${Date.now()}`;
    await w.page.fill('#name', name);
    await choose(w.page, 'organisationId', '济南市人力资源和社会保障局');
    await w.page.click('label[for="scope-hours:submit"]');
    await w.page.fill('#rateLimitPerMinute', '1000');
    // A malformed address: refused in Chinese, no client stored.
    await w.page.fill('#callbackUrl', 'ftp://example.com/回调');
    await w.page.click('[data-testid=api-client-submit]');
    await w.page.waitForSelector('text=回调地址格式不正确');
    await fits(w.page, 'register refused');
    await shot(w.page, 'today-callback-invalid');
    expect(await q('SELECT id FROM api_clients WHERE name = :name', { name })).toEqual([]);
    // The receiver's address: registered, the key shown once.
    await w.page.fill('#callbackUrl', hookUrl);
    await w.page.click('[data-testid=api-client-submit]');
    const token = (await (await w.page.waitForSelector('[data-testid=api-client-token]')).textContent())!;
    expect(token).toMatch(/^ce_[0-9a-f]{16}_/);
    const [client] = await q<{ id: number; callback_url: string }>('SELECT id, callback_url FROM api_clients WHERE name = :name', { name });
    expect(client.callback_url).toBe(hookUrl);
    await fits(w.page, 'registered');
    await shot(w.page, 'today-callback-registered');

    // The client's record page: 设置回调地址 shows the stored address.
    await w.page.goto(`${t.base}/admin/resources/api_clients/records/${client.id}/setCallback`);
    await w.page.waitForSelector('[data-testid=api-client-callback]');
    expect(await w.page.inputValue('#callbackUrl')).toBe(hookUrl);
    await w.page.fill('#callbackUrl', 'http://user:pw@example.com/x');
    await w.page.click('[data-testid=api-client-callback-save]');
    await w.page.waitForSelector('text=回调地址格式不正确');
    expect((await q<{ callback_url: string }>('SELECT callback_url FROM api_clients WHERE id = :id', { id: client.id }))[0].callback_url).toBe(hookUrl);
    await w.page.fill('#callbackUrl', hookUrl);
    await w.page.click('[data-testid=api-client-callback-save]');
    await w.page.waitForSelector('text=回调地址已保存');
    await fits(w.page, 'set callback');
    await shot(w.page, 'today-callback-set');

    // A record sent through the API, approved by the city (the panel's API).
    const [person] = await q<{ id_number: string; name: string }>(`SELECT id_number, name FROM persons
      WHERE org_path LIKE (SELECT path FROM organisations WHERE name = '济南市人力资源和社会保障局') || '%' AND status = 'active' ORDER BY id DESC LIMIT 1`);
    // A provider's own record number, as training platforms number their courses.
    const externalId = `2026-${Date.now()}`;
    const res = await fetch(`${t.base}/api/v1/hour-declarations`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ records: [{ externalId, idNumber: person.id_number, name: person.name, subjectType: 'professional', learningForm: 'on_job',
        fields: { activity_name: '回调浏览器测试', start_date: '2018-06-01', end_date: '2018-06-02', organiser: '测试在线学习平台', hours: 1.5, evidence: '平台学习记录' } }] }),
    });
    const sent = await res.json() as { accepted: number; results: Array<{ declarationId: number }> };
    expect([res.status, sent.accepted]).toEqual([200, 1]);
    const city = await loggedIn(t.base, JINAN);
    const approved = await city.json<{ notice?: { type: string } }>(`/admin/api/resources/hour_reviews/records/${sent.results[0].declarationId}/approve`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(approved.body.notice?.type).toBe('success');

    // 接口回调记录: the event, waiting.
    const list = `${t.base}/admin/resources/api_callbacks?filters.external_id=${externalId}`;
    await w.page.goto(list);
    const row = w.page.locator('tbody tr', { hasText: externalId });
    await row.waitFor();
    expect(await row.innerText()).toContain('已通过');
    expect(await row.innerText()).toContain('待发送');
    expect(await row.innerText()).toContain(name);
    await fits(w.page, 'callbacks queued');
    await noRawText(w.page, 'callbacks queued');
    await shot(w.page, 'today-callbacks-queued');

    // The worker's delivery, once: the receiver gets it, the list says 已送达.
    for (let i = 0; i < 10 && (await deliverDueCallbacks(t.platform.db.sequelize)).claimed > 0; i++);
    expect(received.some((b) => b.includes(externalId))).toBe(true);
    await w.page.goto(list);
    await w.page.locator('tbody tr', { hasText: externalId }).waitFor();
    expect(await w.page.locator('tbody tr', { hasText: externalId }).innerText()).toContain('已送达');
    await fits(w.page, 'callbacks delivered');
    await shot(w.page, 'today-callbacks-delivered');
    // Its record page, labelled in Chinese.
    await w.page.locator('tbody tr', { hasText: externalId }).locator('td').first().click();
    await w.page.waitForSelector('text=审核结果');
    await noRawText(w.page, 'callback record');
    await fits(w.page, 'callback record');
    await shot(w.page, 'today-callback-show');
    clean(w);
    await w.page.close();
  });
});

describe('重算任务 (issue 18 item 5)', () => {
  it('the province saves a learning-form rule and sees its recompute job done, with its progress', async () => {
    await recomputesDone(t.platform.db);
    // A capped demo form of few person-years from the rule's year (not 网络培训, whose history
    // another file checks), re-stated with its current cap: the totals stay as they are.
    const [form] = await q<{ id: number; name: string; cap: string; year: number; n: string }>(`SELECT f.id, f.name, f.cap_per_year cap, h.year, count(DISTINCT h.person_id) n
        FROM learning_forms f JOIN hour_declarations h ON h.learning_form_id = f.id AND h.status = 'approved'
       WHERE f.cap_per_year IS NOT NULL AND f.code <> 'online' AND f.code NOT LIKE 'race\\_%' AND f.code NOT LIKE 'recompute\\_%'
         AND h.year = (SELECT max(year) FROM hour_declarations WHERE learning_form_id = f.id AND status = 'approved')
       GROUP BY f.id, h.year HAVING count(DISTINCT h.person_id) >= 2 ORDER BY count(DISTINCT h.person_id), f.id LIMIT 1`);
    const [rule] = await q<{ cap_per_year: string | null }>(`SELECT cap_per_year FROM learning_form_rules WHERE learning_form_id = :f AND effective_year <= :y
      ORDER BY effective_year DESC, id DESC LIMIT 1`, { f: form.id, y: form.year });
    const cap = rule?.cap_per_year ?? form.cap;
    const totalsBefore = await q('SELECT person_id, year, public_hours, professional_hours, completed FROM person_year_hours ORDER BY person_id, year');

    const w = await laptop();
    await login(w.page, t.base, PROVINCE);
    await w.page.goto(`${t.base}/admin/resources/learning_form_rules/actions/new`);
    await w.page.waitForSelector('#effective_year');
    await w.page.locator('[data-testid=property-edit-learning_form_id] [class*=control]').first().click();
    await w.page.keyboard.type(form.name);
    await w.page.locator('[class*=option]', { hasText: form.name }).first().click();
    await w.page.fill('#effective_year', String(form.year));
    await w.page.fill('#cap_per_year', h(cap));
    await w.page.fill('#source', '浏览器测试：重申现行年度上限');
    await w.page.click('button[type=submit]');
    const notice = await (await w.page.waitForSelector('[data-testid=notice-wrapper]')).innerText();
    expect(notice).toContain('已保存。受影响的年度学时汇总正在后台重算');
    await w.page.waitForSelector('tbody tr');
    await fits(w.page, 'learning form rules');
    await shot(w.page, 'today-rule-saved');
    await recomputesDone(t.platform.db);
    const [job] = await q<{ id: number; status: string; total: number; done_count: number }>("SELECT id, status, total, done_count FROM recompute_jobs WHERE kind = 'form_rule' AND learning_form_id = :f ORDER BY id DESC LIMIT 1", { f: form.id });
    expect([job.status, job.total, job.done_count]).toEqual(['done', job.done_count, job.total]);
    expect(job.total).toBeGreaterThan(0);

    await w.page.goto(`${t.base}/admin/resources/recompute_jobs`);
    const row = w.page.locator('tbody tr', { hasText: form.name }).first();
    await row.waitFor();
    const progress = `${job.total.toLocaleString('en-US')} / ${job.total.toLocaleString('en-US')}（100%）`;
    expect(await row.innerText()).toContain(`已完成 ${progress}`);
    expect(await row.innerText()).toContain(String(form.year));
    await shot(w.page, 'today-recompute-jobs');
    await fits(w.page, 'recompute jobs');
    await noRawText(w.page, 'recompute jobs');
    // The totals the rule re-stated are as they were.
    expect(await q('SELECT person_id, year, public_hours, professional_hours, completed FROM person_year_hours ORDER BY person_id, year')).toEqual(totalsBefore);
    clean(w);
    await w.page.close();
  });
});
