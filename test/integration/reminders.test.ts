/**
 * 年末提醒 (issue 19, item 5) on a fixed clock: the periodic task's run(sequelize, dueAt) with
 * given dates, against the demo data, through the development notifier (notification_outbox).
 * Before the province's start date nothing; from it the persons whose approved plus pending
 * hours fall short are reminded exactly once per interval (the database's unique row per
 * person and period: two runs racing send one), a person who completed is not, an opted-out
 * person gets no e-mail, each unit's admins get a digest of its persons, a failed send is
 * recorded without stopping the run, and the province sees reminded / completed-since figures.
 */
import { QueryTypes } from 'sequelize';
import { loggedIn, startTestPlatform, type Client, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { createAdminAccount } from '../helpers/accounts.js';
import { yearEndRemindersTask } from '../../src/jobs/year-end-reminders.js';
import { periodicTasks } from '../../src/jobs/periodic.js';
import { runYearEndReminders } from '../../src/services/reminders.js';
import type { Notifier } from '../../src/services/notifier.js';

const YEAR = 2026;
const SUBJECT = `${YEAR}年度继续教育学时提醒`;
const PROVINCE = DEMO_ACCOUNTS.find((a) => a.organisationName === '山东省人力资源和社会保障厅')!;
const LIXIA_BUREAU = DEMO_ACCOUNTS.find((a) => a.organisationName === '历下区人力资源和社会保障局')!;
const PERSON = DEMO_ACCOUNTS.find((a) => a.kind === 'person')!;
/** 09:00 in Shandong on a day (the task's cron time). */
const at = (day: string) => new Date(`${day}T01:00:00Z`);

let t: TestPlatform;
const db = () => t.platform.db.owner;
const app = () => t.platform.db.sequelize;
async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  return db().query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
}
const run = (day: string) => yearEndRemindersTask.run(app(), at(day), () => {});

/** Who is short on the year, computed here from the tables (approved totals + pending declarations vs ce_requirement). */
async function shortPersons(): Promise<number[]> {
  return (await q<{ id: number }>(`
    SELECT p.id FROM persons p JOIN organisations o ON o.id = p.unit_id
      LEFT JOIN person_year_hours y ON y.person_id = p.id AND y.year = :y
      LEFT JOIN LATERAL (SELECT coalesce(sum(declared_hours) FILTER (WHERE subject_type = 'public'), 0) pub,
                                coalesce(sum(declared_hours) FILTER (WHERE subject_type = 'professional'), 0) prof
                           FROM hour_declarations h WHERE h.person_id = p.id AND h.year = :y AND h.status IN ('pending', 'pending_unit')) pd ON true
      CROSS JOIN LATERAL ce_requirement(CAST(:y AS smallint), o.region_code) r
     WHERE p.status = 'active' AND NOT coalesce(y.completed, false)
       AND NOT (coalesce(y.public_hours, 0) + pd.pub >= r.public_hours AND coalesce(y.professional_hours, 0) + pd.prof >= r.professional_hours
                AND coalesce(y.public_hours, 0) + coalesce(y.professional_hours, 0) + pd.pub + pd.prof >= r.total_hours)
     ORDER BY p.id`, { y: YEAR })).map((r) => r.id);
}
const remindedIn = async (periodStart: string) =>
  (await q<{ person_id: number }>('SELECT person_id FROM reminders WHERE year = :y AND period_start = :ps ORDER BY person_id', { y: YEAR, ps: periodStart }))
    .map((r) => r.person_id);
const outboxMark = async () => Number((await q<{ n: string }>('SELECT coalesce(max(id), 0) n FROM notification_outbox'))[0].n);
const outboxSince = (mark: number, where = 'true', r: Record<string, unknown> = {}) =>
  q<{ channel: string; recipient: string; subject: string; body: string }>(`SELECT channel, recipient, subject, body FROM notification_outbox WHERE id > :mark AND ${where} ORDER BY id`, { mark, ...r });

interface Subject { id: number; name: string; email: string; mobile: string }
let a: Subject; // short, reminded, later completes
let b: Subject; // short, opted out of e-mail
let d: Subject; // short on approved hours, but pending declarations cover it
let completedId: number;
let unitName: string;
let unitAdminEmail: string;
let uncappedForm: number;
const added: number[] = [];

async function declare(personId: number, subject: 'public' | 'professional', hours: number, status: 'approved' | 'pending') {
  const [row] = await q<{ id: number }>(`
    INSERT INTO hour_declarations (person_id, unit_id, org_path, year, subject_type, learning_form_id, channel, declared_hours, approved_hours, status, activity_name)
    SELECT p.id, p.unit_id, p.org_path, :y, :s, :f, 'unit', :h, ${status === 'approved' ? ':h' : 'NULL'}, :status, '年末提醒测试'
      FROM persons p WHERE p.id = :p RETURNING id`, { y: YEAR, s: subject, f: uncappedForm, h: hours, status, p: personId });
  added.push(row.id);
}

beforeAll(async () => {
  t = await startTestPlatform();
  await db().query(`UPDATE reminder_settings SET enabled = true, start_month = 10, start_day = 1, interval_days = 14,
    email_enabled = true, sms_enabled = true, digest_enabled = true`);
  [{ id: uncappedForm }] = await q<{ id: number }>('SELECT id FROM learning_forms ORDER BY cap_per_year DESC NULLS FIRST, id LIMIT 1');
  const short = new Set(await shortPersons());
  // a and b: two persons of one unit, each with an e-mail address and a mobile of its own; the
  // unit gets an admin with an e-mail address (the digest's recipient).
  const withContacts = await q<Subject & { unit: string }>(`
    SELECT p.id, p.name, p.email, p.mobile, o.name AS unit FROM persons p JOIN organisations o ON o.id = p.unit_id
     WHERE p.status = 'active' AND o.kind = 'unit' AND p.email IS NOT NULL AND p.mobile IS NOT NULL
       AND (SELECT count(*) FROM persons x WHERE x.email = p.email OR x.mobile = p.mobile) = 1
       AND (SELECT count(*) FROM organisations x WHERE x.name = o.name) = 1
     ORDER BY p.id`);
  const shortWith = withContacts.filter((c) => short.has(c.id));
  const perUnit = new Map<string, number>();
  for (const c of shortWith) perUnit.set(c.unit, (perUnit.get(c.unit) ?? 0) + 1);
  unitName = [...perUnit].sort((x, y) => y[1] - x[1])[0][0];
  [a, b] = shortWith.filter((c) => c.unit === unitName);
  unitAdminEmail = (await createAdminAccount(db(), unitName, 'Remind@2026x')).email;
  // d: anyone short with no pending declaration of the year.
  [d] = (await q<Subject>(`SELECT p.id, p.name, p.email, p.mobile FROM persons p WHERE p.status = 'active'
       AND NOT EXISTS (SELECT 1 FROM hour_declarations h WHERE h.person_id = p.id AND h.year = :y AND h.status IN ('pending', 'pending_unit'))
     ORDER BY p.id DESC LIMIT 200`, { y: YEAR })).filter((c) => short.has(c.id) && c.id !== a?.id && c.id !== b?.id);
  expect([a, b, d].every(Boolean)).toBe(true);
  [{ id: completedId }] = await q<{ id: number }>('SELECT person_id id FROM person_year_hours WHERE year = :y AND completed ORDER BY person_id LIMIT 1', { y: YEAR });
  await db().query('UPDATE persons SET remind_email = false WHERE id = :id', { replacements: { id: b.id } });
  // d's pending declarations cover the whole requirement: approved plus pending are enough.
  await declare(d.id, 'public', 90, 'pending');
  await declare(d.id, 'professional', 90, 'pending');
}, 120_000);

afterAll(async () => {
  if (added.length) await db().query('DELETE FROM hour_declarations WHERE id IN (:ids)', { replacements: { ids: added } });
  await db().query('UPDATE persons SET remind_email = true, remind_sms = true WHERE remind_email = false OR remind_sms = false');
  await db().query('UPDATE reminder_settings SET start_month = 10, start_day = 1, interval_days = 14, enabled = true');
  await t.close();
});

describe('the periodic task', () => {
  it('is registered with the worker\'s periodic tasks, daily in Asia/Shanghai', () => {
    expect(periodicTasks).toContain(yearEndRemindersTask);
    expect(yearEndRemindersTask.cron).toBe('0 9 * * *');
  });
});

/** Addresses that received this subject more often on one channel than there are active persons holding them. */
const repeatedRecipients = (mark: number) => q(`
  SELECT o.recipient, o.channel FROM notification_outbox o
   WHERE o.id > :mark AND o.subject = :s
   GROUP BY o.recipient, o.channel
  HAVING count(*) > (SELECT count(*) FROM persons p WHERE p.status = 'active'
                       AND (CASE o.channel WHEN 'email' THEN p.email ELSE p.mobile END) = o.recipient)`, { mark, s: SUBJECT });

describe('year-end reminders on a fixed clock', () => {
  let firstPeriod: number[];

  it('before the start date (30 September): no run, nobody reminded, nothing sent', async () => {
    const mark = await outboxMark();
    await run(`${YEAR}-09-30`);
    expect(await q('SELECT * FROM reminder_runs')).toEqual([]);
    expect(await q('SELECT * FROM reminders')).toEqual([]);
    expect(await outboxSince(mark)).toEqual([]);
  });

  it('from 1 October: every person short of the requirement is reminded once; completed and pending-covered persons are not', async () => {
    const expected = await shortPersons();
    const mark = await outboxMark();
    const started = Date.now();
    await run(`${YEAR}-10-01`);
    const ms = Date.now() - started;
    firstPeriod = await remindedIn(`${YEAR}-10-01`);
    expect(firstPeriod).toEqual(expected);
    expect(firstPeriod).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(firstPeriod).not.toContain(completedId);
    expect(firstPeriod).not.toContain(d.id);
    // What a reminded person receives: one e-mail and one SMS naming what is missing.
    const toA = await outboxSince(mark, 'recipient IN (:e, :m)', { e: a.email, m: a.mobile });
    expect(toA.map((m) => m.channel).sort()).toEqual(['email', 'mobile']);
    expect(toA.find((m) => m.channel === 'email')).toMatchObject({ subject: SUBJECT, body: expect.stringContaining(`${a.name}，您好`) });
    expect(toA.find((m) => m.channel === 'email')!.body).toMatch(/尚差.*学时/);
    expect(toA.find((m) => m.channel === 'mobile')!.body).toMatch(/^【山东继续教育】/);
    // Opted out of e-mail: the SMS only.
    expect(await outboxSince(mark, 'recipient = :e', { e: b.email })).toEqual([]);
    expect((await outboxSince(mark, 'recipient = :m', { m: b.mobile })).map((m) => m.channel)).toEqual(['mobile']);
    // Nobody got two reminders on one channel: no address received more than the persons it
    // belongs to (other test files give several persons one sandbox address; on PostgreSQL all
    // files share one database).
    expect(await repeatedRecipients(mark)).toEqual([]);
    const [runRow] = await q<{ status: string; at_risk: number; reminded: number; persons_checked: number }>('SELECT * FROM reminder_runs WHERE due_date = :d', { d: `${YEAR}-10-01` });
    expect(runRow).toMatchObject({ status: 'done', at_risk: expected.length });
    const [{ n: active }] = await q<{ n: string }>("SELECT count(*) n FROM persons WHERE status = 'active'");
    expect(runRow.persons_checked).toBe(Number(active));
    console.log(`年末提醒：演示数据 ${active} 名在册人员，未达标 ${expected.length} 人，已提醒 ${runRow.reminded} 人，用时 ${ms} 毫秒`);
  }, 180_000);

  it('sends each unit admin a digest listing the unit\'s persons at risk', async () => {
    const [digest] = await q<{ body: string; subject: string }>(
      "SELECT subject, body FROM notification_outbox WHERE recipient = :e AND subject LIKE '%未达标人员%' ORDER BY id DESC LIMIT 1", { e: unitAdminEmail });
    expect(digest.subject).toContain(unitName);
    const [{ n }] = await q<{ n: string }>('SELECT count(*) n FROM reminders r JOIN organisations o ON o.id = r.unit_id WHERE o.name = :u AND r.period_start = :ps',
      { u: unitName, ps: `${YEAR}-10-01` });
    expect(digest.subject).toContain(`（${n}人）`);
    for (const s of [a, b]) expect(digest.body).toMatch(new RegExp(`${s.name}：尚差.*学时（已提醒）`));
    const [{ digests }] = await q<{ digests: string }>('SELECT count(*) digests FROM reminder_digests WHERE period_start = :ps', { ps: `${YEAR}-10-01` });
    const [{ units }] = await q<{ units: string }>('SELECT count(DISTINCT unit_id) units FROM reminders WHERE period_start = :ps', { ps: `${YEAR}-10-01` });
    expect(Number(digests)).toBe(Number(units));
  });

  it('the same day again, or a day within the interval: nothing more is sent', async () => {
    const mark = await outboxMark();
    await run(`${YEAR}-10-01`);
    await run(`${YEAR}-10-08`);
    await run(`${YEAR}-10-14`);
    expect(await outboxSince(mark)).toEqual([]);
    expect(await q('SELECT person_id FROM reminders WHERE period_start <> :ps', { ps: `${YEAR}-10-01` })).toEqual([]);
    expect((await q('SELECT due_date FROM reminder_runs ORDER BY due_date')).length).toBe(3); // 10-01, 10-08, 10-14: one row each
  });

  it('the database refuses a second reminder of one person in one period', async () => {
    await expect(db().query(`INSERT INTO reminders (run_id, person_id, year, period_start, unit_id, org_path, missing_public, missing_professional, missing_total)
      SELECT run_id, person_id, year, period_start, unit_id, org_path, 0, 0, 0 FROM reminders WHERE person_id = :p`, { replacements: { p: a.id } }))
      .rejects.toMatchObject({ original: { code: '23505' } });
  });

  it('the province sees how many were reminded and how many completed since', async () => {
    const province = await loggedIn(t.base, PROVINCE.idNumber);
    const list = () => province.json<{ records: Array<{ params: Record<string, unknown> }> }>(
      '/admin/api/resources/reminder_figures/actions/list?filters.scope=province&sortBy=due_date&direction=asc');
    const before = (await list()).body.records[0].params;
    expect(before).toMatchObject({ due_date: `${YEAR}-10-01`, at_risk: firstPeriod.length, completed_since: 0 });
    // a completes the year after the reminder: its hours are approved.
    await declare(a.id, 'public', 90, 'approved');
    await declare(a.id, 'professional', 90, 'approved');
    expect((await q<{ completed: boolean }>('SELECT completed FROM person_year_hours WHERE person_id = :p AND year = :y', { p: a.id, y: YEAR }))[0].completed).toBe(true);
    const after = (await list()).body.records[0].params;
    expect(after).toMatchObject({ reminded: before.reminded, completed_since: 1 });
    // Per city: a's city counts it.
    const [{ city }] = await q<{ city: number }>("SELECT c.id city FROM persons p JOIN organisations c ON c.kind = 'city_hr' AND p.org_path LIKE c.path || '%' WHERE p.id = :p", { p: a.id });
    const cities = await province.json<{ records: Array<{ params: Record<string, unknown> }> }>(
      `/admin/api/resources/reminder_figures/actions/list?filters.scope=city&filters.city_id=${city}`);
    expect(cities.body.records.map((r) => r.params.completed_since)).toEqual([1]);
    // A county bureau does not see the province's figures.
    const county = await loggedIn(t.base, LIXIA_BUREAU.idNumber);
    const refused = await county.json<{ records?: unknown[] }>('/admin/api/resources/reminder_figures/actions/list');
    expect(refused.status === 403 || (refused.body.records ?? []).length === 0).toBe(true);
  });

  it('after the interval (15 October) the persons still short are reminded again; the one who completed is not', async () => {
    const expected = await shortPersons();
    const mark = await outboxMark();
    await run(`${YEAR}-10-15`);
    const second = await remindedIn(`${YEAR}-10-15`);
    expect(second).toEqual(expected);
    expect(second).not.toContain(a.id);
    expect(second).toContain(b.id);
    expect(await outboxSince(mark, 'recipient IN (:e, :m)', { e: a.email, m: a.mobile })).toEqual([]);
    expect((await outboxSince(mark, 'recipient = :m', { m: b.mobile })).length).toBe(1);
  }, 180_000);

  it('two runs racing in one period (29 and 30 October, at once) send one reminder per person', async () => {
    const expected = await shortPersons();
    const mark = await outboxMark();
    await Promise.all([run(`${YEAR}-10-29`), run(`${YEAR}-10-30`)]);
    expect(await remindedIn(`${YEAR}-10-29`)).toEqual(expected);
    const runs = await q<{ due_date: string; at_risk: number }>("SELECT due_date, at_risk FROM reminder_runs WHERE due_date IN ('2026-10-29', '2026-10-30')");
    expect(runs).toHaveLength(2);
    expect(runs.reduce((s, r) => s + r.at_risk, 0)).toBe(expected.length);
    expect(await repeatedRecipients(mark)).toEqual([]);
    const [{ n }] = await q<{ n: string }>('SELECT count(*) n FROM notification_outbox WHERE id > :mark AND recipient = :m', { mark, m: b.mobile });
    expect(Number(n)).toBe(1);
  }, 180_000);

  it('a failed send is recorded on the person\'s row and the run goes on', async () => {
    const expected = await shortPersons();
    const sent: string[] = [];
    const mailDown: Notifier = {
      async send(n) {
        if (n.channel === 'email') throw new Error('SMTP 服务器无响应');
        sent.push(n.recipient);
      },
    };
    const r = await runYearEndReminders(app(), at(`${YEAR}-11-12`), { notifier: mailDown, batchSize: 200 });
    expect(r).toMatchObject({ periodStart: `${YEAR}-11-12`, atRisk: expected.length });
    expect(await remindedIn(`${YEAR}-11-12`)).toEqual(expected);
    const rows = await q<{ person_id: number; status: string; channels: string[]; error: string | null }>(
      'SELECT person_id, status, channels, error FROM reminders WHERE period_start = :ps', { ps: `${YEAR}-11-12` });
    const withBoth = rows.find((x) => x.person_id === b.id)!;
    expect(withBoth).toMatchObject({ status: 'sent', channels: ['mobile'] });
    const emailOnly = rows.filter((x) => x.status === 'failed');
    expect(emailOnly.length).toBeGreaterThan(0);
    expect(emailOnly.every((x) => x.error?.includes('SMTP 服务器无响应'))).toBe(true);
    expect(r!.failed).toBe(emailOnly.length);
    expect((await q<{ status: string }>('SELECT status FROM reminder_runs WHERE id = :id', { id: r!.runId }))[0].status).toBe('done');
    // The unit digests went through the same failing mail: recorded as failed, nothing lost.
    const digests = await q<{ status: string; error: string | null }>("SELECT status, error FROM reminder_digests WHERE period_start = :ps AND status = 'failed'", { ps: `${YEAR}-11-12` });
    expect(digests.length).toBeGreaterThan(0);
  }, 180_000);
});

describe('settings in the panel (系统管理 → 年末提醒设置)', () => {
  const API = '/admin/api/resources/reminder_settings';
  const form = (fields: Record<string, string>) => ({
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(),
  });
  type Answer = { record?: { params?: Record<string, unknown>; errors?: Record<string, { message: string }> }; notice?: { message: string } };
  let province: Client;
  beforeAll(async () => { province = await loggedIn(t.base, PROVINCE.idNumber); });

  it('refuses a day the month does not have, with a Chinese message, and changes nothing', async () => {
    const before = await q('SELECT * FROM reminder_settings');
    const r = await province.json<Answer>(`${API}/records/1/edit`, form({ start_month: '2', start_day: '30', interval_days: '14' }));
    expect(r.body.record?.errors?.start_day?.message).toContain('2月的起始日不能晚于28日');
    const r2 = await province.json<Answer>(`${API}/records/1/edit`, form({ start_month: '10', start_day: '1', interval_days: '0' }));
    expect(r2.body.record?.errors?.interval_days?.message).toBe('提醒间隔天数应为1至366之间的整数');
    expect(await q('SELECT * FROM reminder_settings')).toEqual(before);
  });

  it('the province super admin moves the start to 1 November with a 7-day interval; a county admin cannot', async () => {
    const r = await province.json<Answer>(`${API}/records/1/edit`, form({ start_month: '11', start_day: '1', interval_days: '7', sms_enabled: 'false' }));
    expect(r.body.record?.errors ?? {}).toEqual({});
    expect((await q('SELECT start_month, start_day, interval_days, sms_enabled FROM reminder_settings'))[0])
      .toEqual({ start_month: 11, start_day: 1, interval_days: 7, sms_enabled: false });
    const county = await loggedIn(t.base, LIXIA_BUREAU.idNumber);
    const refused = await county.json(`${API}/records/1/edit`, form({ interval_days: '1' }));
    expect(refused.status).toBe(403);
    expect((await q<{ interval_days: number }>('SELECT interval_days FROM reminder_settings'))[0].interval_days).toBe(7);
    // The new settings govern the next run: 31 October is now before the start.
    const mark = await outboxMark();
    await run(`${YEAR}-10-31`);
    expect(await outboxSince(mark)).toEqual([]);
    await db().query('UPDATE reminder_settings SET start_month = 10, start_day = 1, interval_days = 14, sms_enabled = true');
  });
});

describe('a person\'s own opt-out (提醒设置)', () => {
  it('the person turns e-mail reminders off on its own page; the next period sends it no e-mail', async () => {
    const person = await loggedIn(t.base, PERSON.idNumber);
    const [me] = await q<{ id: number; email: string; mobile: string }>('SELECT p.id, p.email, p.mobile FROM persons p JOIN accounts ac ON ac.id = p.account_id WHERE ac.id_number = :n', { n: PERSON.idNumber });
    const API = `/admin/api/resources/persons/records/${me.id}/reminderOptions`;
    const shown = await person.json<{ options: { remind_email: boolean; remind_sms: boolean } }>(API);
    expect(shown.body.options).toMatchObject({ remind_email: true, remind_sms: true });
    const bad = await person.json<{ notice?: { message: string } }>(API, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'remind_email=maybe&remind_sms=true' });
    expect(JSON.stringify(bad.body)).toContain('提醒设置有误');
    const saved = await person.json<{ notice?: { message: string }; options: { remind_email: boolean } }>(API, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'remind_email=false&remind_sms=true' });
    expect(saved.body.notice?.message).toBe('提醒设置已保存');
    expect((await q('SELECT remind_email, remind_sms FROM persons WHERE id = :id', { id: me.id }))[0]).toEqual({ remind_email: false, remind_sms: true });
    // Another person's settings are not its to change.
    const other = await person.json(`/admin/api/resources/persons/records/${a.id}/reminderOptions`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'remind_email=false&remind_sms=false' });
    expect(other.status).toBe(403);
    expect((await q('SELECT remind_email, remind_sms FROM persons WHERE id = :id', { id: a.id }))[0]).toEqual({ remind_email: true, remind_sms: true });
    // The demo person has 40 approved hours of 2026 and pending declarations that would cover
    // the rest: withdrawn for this period (restored below), it is short.
    const pending = await q<{ id: number; status: string }>("SELECT id, status FROM hour_declarations WHERE person_id = :p AND year = :y AND status IN ('pending', 'pending_unit')", { p: me.id, y: YEAR });
    if (pending.length) await db().query("UPDATE hour_declarations SET status = 'withdrawn' WHERE id IN (:ids)", { replacements: { ids: pending.map((x) => x.id) } });
    const short = (await shortPersons()).includes(me.id);
    const mark = await outboxMark();
    await run(`${YEAR}-11-26`);
    expect(await outboxSince(mark, 'recipient = :e', { e: me.email })).toEqual([]);
    const [row] = await q<{ status: string; channels: string[] }>('SELECT status, channels FROM reminders WHERE person_id = :p AND period_start = :ps', { p: me.id, ps: `${YEAR}-11-26` });
    for (const x of pending) await db().query('UPDATE hour_declarations SET status = :s WHERE id = :id', { replacements: { s: x.status, id: x.id } });
    expect(short).toBe(true);
    expect(row).toEqual({ status: 'sent', channels: ['mobile'] });
  }, 180_000);
});
