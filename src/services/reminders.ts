/**
 * 年末提醒 (issue 19.5): from the day of the year the province sets, persons whose approved plus
 * pending hours of the year fall short of its requirement are reminded (e-mail and/or SMS, as
 * they allow), and each unit's admins get a digest of the unit's persons at risk.
 *
 * - Once per due day: a run is a row of reminder_runs, UNIQUE (due_date); a process that loses
 *   the insert does nothing.
 * - At most one reminder per person per interval, by the database: a person is claimed by
 *   INSERT … ON CONFLICT (person_id, year, period_start) DO NOTHING before anything is sent, and
 *   only the claimant sends. Two runs racing (two due days of one period, two workers) send one.
 * - The requirement is the year rules' (`ce_requirement`, migration 016, through
 *   src/services/requirements.ts); approved hours come from the yearly totals (person_year_hours,
 *   the capped rule); pending ones are the declarations awaiting a review (待单位审核, 待审核),
 *   counted as declared; the comparison is `isCompleted` of config/yearly-requirements.ts.
 * - Persons in pages of BATCH by id (keyset: `id > last`), so memory stays flat at any size; a
 *   failed send is recorded on the person's row (status failed, the error) and the run goes on.
 * - Runs as the platform (the province's job, every jurisdiction); the rows it writes carry the
 *   person's path, so the row-level security of reminders shows each admin its own.
 */
import { QueryTypes, type Sequelize } from 'sequelize';
import { asPlatform } from '../access/context.js';
import { isCompleted } from '../../config/yearly-requirements.js';
import { REQUIREMENT_COLUMNS, requirementFromRow } from './requirements.js';
import { notifierFromEnv, type Notification, type Notifier } from './notifier.js';
import {
  periodOf, personReminderText, shortfallOf, unitDigestText, type ReminderPeriod, type ReminderSettings, type Shortfall,
} from '../domain/reminders.js';

export const REMINDER_BATCH = 1000;
const DIGEST_LIST = 200;

export interface ReminderRunResult {
  runId: number; year: number; dueDate: string; periodStart: string;
  checked: number; atRisk: number; reminded: number; failed: number; notSent: number; digests: number; ms: number;
}

export interface ReminderRunOptions {
  notifier?: Notifier;
  log?: (s: string) => void;
  batchSize?: number;
  /** Sends in flight at once (an SMTP server or SMS gateway answers slowly; the outbox does not care). */
  concurrency?: number;
}

let boundNotifier: Notifier | null = null;
/** The notifier reminders go through (bound by the app or the worker at start; from the environment by default). */
export function bindReminderNotifier(n: Notifier | null): void { boundNotifier = n; }

export async function reminderSettings(sequelize: Sequelize): Promise<ReminderSettings> {
  const [s] = await sequelize.query<ReminderSettings>('SELECT * FROM reminder_settings WHERE id = 1', { type: QueryTypes.SELECT });
  return s;
}

interface PageRow {
  id: number; status: string; name: string; unit_id: number; org_path: string; email: string | null; mobile: string | null;
  remind_email: boolean; remind_sms: boolean; completed: boolean;
  approved_public: string; approved_professional: string; pending_public: string; pending_professional: string;
  required_total: string | null; required_public: string | null; required_professional: string | null;
}

/**
 * The next page's last id: keyset on the primary key, alone in its query so the LIMIT comes first.
 */
const PAGE_END_SQL = 'SELECT max(id) AS last FROM (SELECT id FROM persons WHERE id > :after ORDER BY id LIMIT :batch) k';

/**
 * The persons of one page (ids in (after, last]) with the year's approved and pending hours and
 * its requirement. Every table is bounded by the id range itself, not only by a join to the
 * page: an earlier form (keyset LIMIT over the joins, then a page CTE joined to the tables) was
 * planned on a fresh database's estimates as scans of all persons and all of the year's totals
 * for every page — each page costing the whole table. Inactive persons are skipped by the caller.
 */
const PAGE_SQL = `
SELECT p.id, p.status, p.name, p.unit_id, p.org_path, p.email, p.mobile, p.remind_email, p.remind_sms,
       coalesce(y.completed, false) AS completed,
       coalesce(y.public_hours, 0) AS approved_public, coalesce(y.professional_hours, 0) AS approved_professional,
       coalesce(pd.pub, 0) AS pending_public, coalesce(pd.prof, 0) AS pending_professional,
       ${REQUIREMENT_COLUMNS}
  FROM persons p JOIN organisations o ON o.id = p.unit_id
  LEFT JOIN person_year_hours y ON y.person_id = p.id AND y.year = :year AND y.person_id > :after AND y.person_id <= :last
  LEFT JOIN (
    SELECT h.person_id, sum(h.declared_hours) FILTER (WHERE h.subject_type = 'public') AS pub,
           sum(h.declared_hours) FILTER (WHERE h.subject_type = 'professional') AS prof
      FROM hour_declarations h
     WHERE h.person_id > :after AND h.person_id <= :last AND h.year = :year AND h.status IN ('pending_unit', 'pending')
     GROUP BY h.person_id) pd ON pd.person_id = p.id
  LEFT JOIN LATERAL ce_requirement(CAST(:year AS smallint), o.region_code) r ON true
 WHERE p.id > :after AND p.id <= :last
 ORDER BY p.id`;

interface Claim {
  person_id: number; unit_id: number; org_path: string; status: 'sending' | 'opted_out' | 'no_contact';
  missing_public: number; missing_professional: number; missing_total: number;
}

interface Outcome { person_id: number; status: 'sent' | 'failed'; channels: string; error: string | null }

/** Runs `fn` over `items` with at most `n` in flight. */
async function pool<T>(items: T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

const why = (e: unknown) => String(e instanceof Error ? e.message : e).slice(0, 500);

/** One run, due at `dueAt`. Null when nothing is due (disabled, before the start date) or another process has this day's run. */
export async function runYearEndReminders(sequelize: Sequelize, dueAt: Date, opts: ReminderRunOptions = {}): Promise<ReminderRunResult | null> {
  const log = opts.log ?? (() => {});
  const notifier = opts.notifier ?? boundNotifier ?? notifierFromEnv(sequelize, process.env, { log });
  const batch = Math.max(1, opts.batchSize ?? REMINDER_BATCH);
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  return asPlatform('年末提醒', async () => {
    const started = Date.now();
    const s = await reminderSettings(sequelize);
    if (!s?.enabled) return null;
    const period = periodOf(s, dueAt);
    if (!period) return null;
    const [run] = await sequelize.query<{ id: number }>(
      `INSERT INTO reminder_runs (due_date, year, period_start, interval_days) VALUES (:due, :year, :ps, :interval)
       ON CONFLICT (due_date) DO NOTHING RETURNING id`,
      { replacements: { due: period.dueDate, year: period.year, ps: period.periodStart, interval: s.interval_days }, type: QueryTypes.SELECT });
    if (!run) return null;
    const result: ReminderRunResult = {
      runId: run.id, year: period.year, dueDate: period.dueDate, periodStart: period.periodStart,
      checked: 0, atRisk: 0, reminded: 0, failed: 0, notSent: 0, digests: 0, ms: 0,
    };
    try {
      let after = 0;
      for (;;) {
        const [{ last }] = await sequelize.query<{ last: number | null }>(PAGE_END_SQL, { replacements: { after, batch }, type: QueryTypes.SELECT });
        if (last === null) break;
        const page = await sequelize.query<PageRow>(PAGE_SQL, { replacements: { year: period.year, after, last }, type: QueryTypes.SELECT });
        after = last;
        const active = page.filter((r) => r.status === 'active');
        result.checked += active.length;
        await remindPage(sequelize, notifier, s, period, run.id, active, concurrency, result);
      }
      if (s.digest_enabled) result.digests = await sendDigests(sequelize, notifier, period, run.id, batch, concurrency);
      result.ms = Date.now() - started;
      await sequelize.query(
        `UPDATE reminder_runs SET status = 'done', persons_checked = :checked, at_risk = :atRisk, reminded = :reminded, failed = :failed,
           digests = :digests, finished_at = now() WHERE id = :id`, { replacements: { ...result, id: run.id } });
      log(`年末提醒（${period.dueDate}）：检查 ${result.checked} 人，未达标 ${result.atRisk} 人，已提醒 ${result.reminded} 人，发送失败 ${result.failed} 人，单位汇总 ${result.digests} 份，用时 ${result.ms} 毫秒`);
      return result;
    } catch (e) {
      await sequelize.query("UPDATE reminder_runs SET status = 'failed', error = :error, finished_at = now() WHERE id = :id",
        { replacements: { error: why(e), id: run.id } }).catch(() => {});
      throw e;
    }
  });
}

async function remindPage(
  sequelize: Sequelize, notifier: Notifier, s: ReminderSettings, period: ReminderPeriod, runId: number,
  page: PageRow[], concurrency: number, result: ReminderRunResult,
): Promise<void> {
  const facts = new Map<number, { row: PageRow; missing: Shortfall; messages: Notification[] }>();
  const claims: Claim[] = [];
  for (const row of page) {
    if (row.completed) continue;
    const req = requirementFromRow(row);
    const pub = Number(row.approved_public) + Number(row.pending_public);
    const prof = Number(row.approved_professional) + Number(row.pending_professional);
    if (isCompleted(req, pub, prof)) continue;
    const missing = shortfallOf(req, pub, prof);
    const text = personReminderText({
      name: row.name, year: period.year, dueDate: period.dueDate, requirement: req, missing,
      approvedPublic: Number(row.approved_public), approvedProfessional: Number(row.approved_professional),
      pendingPublic: Number(row.pending_public), pendingProfessional: Number(row.pending_professional),
    });
    const messages: Notification[] = [];
    if (s.email_enabled && row.remind_email && row.email) messages.push({ channel: 'email', recipient: row.email, subject: text.subject, body: text.body });
    if (s.sms_enabled && row.remind_sms && row.mobile) messages.push({ channel: 'mobile', recipient: row.mobile, subject: text.subject, body: text.sms });
    const optedOut = (row.email && !row.remind_email) || (row.mobile && !row.remind_sms);
    facts.set(row.id, { row, missing, messages });
    claims.push({
      person_id: row.id, unit_id: row.unit_id, org_path: row.org_path,
      status: messages.length ? 'sending' : optedOut ? 'opted_out' : 'no_contact',
      missing_public: missing.public, missing_professional: missing.professional, missing_total: missing.total,
    });
  }
  if (!claims.length) return;
  // The claim: the unique (person, year, period) row. What another run holds already is not ours to send.
  const claimed = await sequelize.query<{ person_id: number; status: string }>(
    `INSERT INTO reminders (run_id, person_id, year, period_start, unit_id, org_path, city_id, missing_public, missing_professional, missing_total, status)
     SELECT :run, x.person_id, :year, :ps, x.unit_id, x.org_path, c.id, x.missing_public, x.missing_professional, x.missing_total, x.status
       FROM json_to_recordset(:rows) AS x(person_id integer, unit_id integer, org_path text, missing_public numeric, missing_professional numeric, missing_total numeric, status text)
       LEFT JOIN organisations c ON c.kind = 'city_hr' AND c.id = CAST(nullif(split_part(x.org_path, '/', 3), '') AS integer)
      ORDER BY x.person_id
     ON CONFLICT (person_id, year, period_start) DO NOTHING
     RETURNING person_id, status`,
    { replacements: { run: runId, year: period.year, ps: period.periodStart, rows: JSON.stringify(claims) }, type: QueryTypes.SELECT });
  result.atRisk += claimed.length;
  result.notSent += claimed.filter((c) => c.status !== 'sending').length;
  const outcomes: Outcome[] = [];
  await pool(claimed.filter((c) => c.status === 'sending'), concurrency, async (c) => {
    const f = facts.get(c.person_id)!;
    const sent: string[] = [];
    const errors: string[] = [];
    for (const m of f.messages) {
      try { await notifier.send(m); sent.push(m.channel); } catch (e) { errors.push(`${m.channel === 'email' ? '邮件' : '短信'}：${why(e)}`); }
    }
    outcomes.push({ person_id: c.person_id, status: sent.length ? 'sent' : 'failed', channels: sent.join(','), error: errors.length ? errors.join('；') : null });
  });
  result.reminded += outcomes.filter((o) => o.status === 'sent').length;
  result.failed += outcomes.filter((o) => o.status === 'failed').length;
  if (!outcomes.length) return;
  await sequelize.query(
    `UPDATE reminders r SET status = x.status, channels = CASE WHEN x.channels = '' THEN '{}'::text[] ELSE string_to_array(x.channels, ',') END,
       error = x.error, sent_at = CASE WHEN x.status = 'sent' THEN now() END
       FROM json_to_recordset(:rows) AS x(person_id integer, status text, channels text, error text)
      WHERE r.person_id = x.person_id AND r.year = :year AND r.period_start = :ps AND r.run_id = :run`,
    { replacements: { run: runId, year: period.year, ps: period.periodStart, rows: JSON.stringify(outcomes) } });
}

/** One digest per unit and period (UNIQUE (unit_id, year, period_start)), to the unit's admins with an e-mail address. */
async function sendDigests(sequelize: Sequelize, notifier: Notifier, period: ReminderPeriod, runId: number, batch: number, concurrency: number): Promise<number> {
  let after = 0;
  let sent = 0;
  for (;;) {
    const digests = await sequelize.query<{ id: number; unit_id: number; persons: number; unit_name: string }>(
      `WITH units AS (
         SELECT DISTINCT r.unit_id FROM reminders r WHERE r.run_id = :run AND r.unit_id > :after ORDER BY r.unit_id LIMIT :batch),
       claimed AS (
         INSERT INTO reminder_digests (run_id, unit_id, org_path, year, period_start, persons)
         SELECT :run, u.unit_id, o.path, :year, :ps,
                (SELECT count(*) FROM reminders r WHERE r.unit_id = u.unit_id AND r.year = :year AND r.period_start = :ps)
           FROM units u JOIN organisations o ON o.id = u.unit_id
          ORDER BY u.unit_id
         ON CONFLICT (unit_id, year, period_start) DO NOTHING
         RETURNING id, unit_id, persons)
       SELECT c.id, c.unit_id, c.persons, o.name AS unit_name
         FROM claimed c JOIN organisations o ON o.id = c.unit_id ORDER BY c.unit_id`,
      { replacements: { run: runId, year: period.year, ps: period.periodStart, after, batch }, type: QueryTypes.SELECT });
    const [{ last }] = await sequelize.query<{ last: number | null }>(
      'SELECT max(unit_id) AS last FROM (SELECT DISTINCT unit_id FROM reminders WHERE run_id = :run AND unit_id > :after ORDER BY unit_id LIMIT :batch) u',
      { replacements: { run: runId, after, batch }, type: QueryTypes.SELECT });
    await pool(digests, concurrency, async (d) => {
      const rows = await sequelize.query<{ name: string; missing_public: string; missing_professional: string; missing_total: string; status: string }>(
        `SELECT p.name, r.missing_public, r.missing_professional, r.missing_total, r.status
           FROM reminders r JOIN persons p ON p.id = r.person_id
          WHERE r.unit_id = :unit AND r.year = :year AND r.period_start = :ps ORDER BY r.missing_total DESC, p.name, p.id LIMIT :limit`,
        { replacements: { unit: d.unit_id, year: period.year, ps: period.periodStart, limit: DIGEST_LIST }, type: QueryTypes.SELECT });
      const admins = await sequelize.query<{ email: string }>(
        `SELECT DISTINCT a.email FROM admins ad JOIN accounts a ON a.id = ad.account_id
          WHERE ad.organisation_id = :unit AND a.status = 'active' AND a.email IS NOT NULL AND a.email <> '' ORDER BY a.email`,
        { replacements: { unit: d.unit_id }, type: QueryTypes.SELECT });
      const text = unitDigestText(d.unit_name, period.year, period.dueDate, Number(d.persons), rows.map((r) => ({
        name: r.name, status: r.status,
        missing: { public: Number(r.missing_public), professional: Number(r.missing_professional), total: Number(r.missing_total) },
      })));
      const errors: string[] = [];
      let delivered = 0;
      for (const a of admins) {
        try { await notifier.send({ channel: 'email', recipient: a.email, subject: text.subject, body: text.body }); delivered++; } catch (e) { errors.push(`${a.email}：${why(e)}`); }
      }
      if (delivered) sent++;
      await sequelize.query('UPDATE reminder_digests SET status = :status, recipients = :n, error = :error WHERE id = :id', {
        replacements: { id: d.id, n: delivered, status: !admins.length ? 'no_contact' : delivered ? 'sent' : 'failed', error: errors.length ? errors.join('；').slice(0, 2000) : null },
      });
    });
    if (last === null) break;
    after = last;
  }
  return sent;
}

/** 提醒设置 of a person, for its own page. */
export async function reminderOptionsOf(sequelize: Sequelize, personId: number): Promise<{ remind_email: boolean; remind_sms: boolean; email: string | null; mobile: string | null } | null> {
  const [r] = await sequelize.query<{ remind_email: boolean; remind_sms: boolean; email: string | null; mobile: string | null }>(
    'SELECT remind_email, remind_sms, email, mobile FROM persons WHERE id = :id', { replacements: { id: personId }, type: QueryTypes.SELECT });
  return r ?? null;
}

/** A person's own choice: only its own row (the caller's principal is the person; row-level security agrees). */
export async function setReminderOptions(sequelize: Sequelize, personId: number, v: { remind_email: boolean; remind_sms: boolean }): Promise<boolean> {
  const [, meta] = await sequelize.query(
    'UPDATE persons SET remind_email = :e, remind_sms = :s, updated_at = now() WHERE id = :id AND id = ce_person()',
    { replacements: { id: personId, e: v.remind_email, s: v.remind_sms } }) as unknown as [unknown, { rowCount?: number }];
  return (meta?.rowCount ?? 0) === 1;
}
