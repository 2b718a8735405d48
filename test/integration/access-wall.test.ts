/**
 * The database's own wall (migration 009, src/access/wall.ts): SQL that forgets its WHERE,
 * run inside a county admin's access context, still reads and writes only that county's rows.
 * The expectations are computed here from the organisation tree through the owner connection,
 * independently of the policies.
 */
import { QueryTypes, type Sequelize } from 'sequelize';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { loadPrincipal, type Principal } from '../../src/access/principal.js';
import { asPlatform, runAs } from '../../src/access/context.js';
import { MissingAccessContext } from '../../src/access/wall.js';

class Rollback { constructor(readonly rows: Array<{ org_path: string }>) {} }

let t: TestPlatform;
let app: Sequelize;
let owner: Sequelize;
let lixia: Principal;
let person: Principal;

const ownerCount = async (sql: string) => Number((await owner.query<{ n: string }>(sql, { type: QueryTypes.SELECT }))[0].n);
const as = <T extends object>(p: Principal, sql: string): Promise<T[]> => runAs(p, () => app.query<T>(sql, { type: QueryTypes.SELECT }));

async function principalOf(idNumber: string, as: 'admin' | 'person'): Promise<Principal> {
  const [{ id }] = await owner.query<{ id: number }>('SELECT id FROM accounts WHERE id_number = :n', { replacements: { n: idNumber }, type: QueryTypes.SELECT });
  return (await loadPrincipal(owner, id, as))!;
}

beforeAll(async () => {
  t = await startTestPlatform();
  app = t.platform.db.sequelize;
  owner = t.platform.db.owner;
  lixia = await principalOf(DEMO_ACCOUNTS.find((a) => a.organisationName === '历下区人力资源和社会保障局')!.idNumber, 'admin');
  person = await principalOf(DEMO_ACCOUNTS.find((a) => a.kind === 'person')!.idNumber, 'person');
});
afterAll(async () => { await t.close(); });

describe('SQL without a WHERE, in a county admin’s request context', () => {
  it('SELECT * FROM persons returns exactly the county’s persons', async () => {
    const rows = await as<{ org_path: string }>(lixia, 'SELECT * FROM persons');
    expect(rows.length).toBe(await ownerCount(`SELECT count(*) n FROM persons WHERE org_path LIKE '${lixia.orgPath}%'`));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.org_path.startsWith(lixia.orgPath))).toBe(true);
  });

  it('SELECT * FROM accounts returns the accounts of the county’s admins and persons and its own, and the platform reads them all', async () => {
    // Computed from the tables, not from the policy: own account, admins seated in the county, persons in it.
    const expected = (await owner.query<{ id: number }>(`SELECT id FROM accounts a WHERE a.id = ${lixia.accountId}
        OR EXISTS (SELECT 1 FROM admins ad WHERE ad.account_id = a.id AND ad.org_path LIKE '${lixia.orgPath}%')
        OR EXISTS (SELECT 1 FROM persons ps WHERE ps.account_id = a.id AND ps.org_path LIKE '${lixia.orgPath}%') ORDER BY id`, { type: QueryTypes.SELECT })).map((r) => r.id);
    const seen = (await as<{ id: number }>(lixia, 'SELECT id FROM accounts ORDER BY id')).map((r) => r.id);
    expect(seen).toEqual(expected);
    expect(seen.length).toBeLessThan(await ownerCount('SELECT count(*) n FROM accounts'));
    // A person reads its own account, and no other.
    expect((await as<{ id: number }>(person, 'SELECT id FROM accounts')).map((r) => r.id)).toEqual([person.accountId]);
    const all = await asPlatform('测试：平台读取全部账号', () => app.query<{ n: string }>('SELECT count(*) n FROM accounts', { type: QueryTypes.SELECT }));
    expect(Number(all[0].n)).toBe(await ownerCount('SELECT count(*) n FROM accounts'));
  });

  it('UPDATE persons without a WHERE touches only the county’s rows; the others stay as they were', async () => {
    const outsideBefore = await owner.query(`SELECT id, version FROM persons WHERE org_path NOT LIKE '${lixia.orgPath}%' ORDER BY id`, { type: QueryTypes.SELECT });
    // Nothing is kept: the transaction is rolled back, the test only counts what the statement reached.
    const touched = await runAs(lixia, () => app.transaction(async (transaction) => {
      const [rows] = await app.query('UPDATE persons SET version = version + 1 RETURNING org_path', { transaction }) as unknown as [Array<{ org_path: string }>];
      throw new Rollback(rows);
    })).catch((e) => { if (e instanceof Rollback) return e.rows; throw e; });
    expect(touched.every((r) => r.org_path.startsWith(lixia.orgPath))).toBe(true);
    expect(touched.length).toBe(await ownerCount(`SELECT count(*) n FROM persons WHERE org_path LIKE '${lixia.orgPath}%'`));
    const outsideAfter = await owner.query(`SELECT id, version FROM persons WHERE org_path NOT LIKE '${lixia.orgPath}%' ORDER BY id`, { type: QueryTypes.SELECT });
    expect(outsideAfter).toEqual(outsideBefore);
  });

  it('DELETE FROM audit_log and UPDATE accounts without a WHERE change nothing outside', async () => {
    const province = DEMO_ACCOUNTS.find((a) => a.organisationName === '山东省人力资源和社会保障厅')!;
    const before = await owner.query('SELECT password_hash, version FROM accounts WHERE id_number = :n', { replacements: { n: province.idNumber }, type: QueryTypes.SELECT });
    await runAs(lixia, () => app.query("UPDATE accounts SET password_hash = 'x' WHERE id_number = :n", { replacements: { n: province.idNumber } }));
    expect(await owner.query('SELECT password_hash, version FROM accounts WHERE id_number = :n', { replacements: { n: province.idNumber }, type: QueryTypes.SELECT })).toEqual(before);
  });

  it('an INSERT of a row outside the jurisdiction is refused by the database', async () => {
    const [unit] = await owner.query<{ id: number; path: string }>(
      `SELECT id, path FROM organisations WHERE kind = 'unit' AND path NOT LIKE '${lixia.orgPath}%' LIMIT 1`, { type: QueryTypes.SELECT });
    await expect(runAs(lixia, () => app.query(
      `INSERT INTO persons (id_number, name, gender, birth_date, unit_id, org_path) VALUES ('370102199901010015', '越界', 'M', '1999-01-01', :u, :p)`,
      { replacements: { u: unit.id, p: unit.path } }))).rejects.toMatchObject({ original: { code: '42501' } });
  });

  it('every table with a jurisdiction shows the county only its own rows', async () => {
    const tables: Array<[string, string]> = [
      ['hour_declarations', 'org_path'], ['person_year_hours', 'org_path'], ['registrations', 'org_path'], ['change_requests', 'org_path'],
      ['approval_tasks', 'org_path'], ['training_plans', 'org_path'], ['certificates', 'org_path'], ['export_jobs', 'org_path'],
      ['import_jobs', 'org_path'], ['roles', 'org_path'], ['audit_log', 'org_path'], ['stat_persons', 'org_path'], ['stat_series', 'org_path'],
      ['stat_completion', 'org_path'], ['stat_hours', 'org_path'], ['certificate_years', 'org_path'],
      ['api_clients', 'org_path'], ['hours_reads', 'org_path'], ['api_callbacks', 'org_path'], ['hour_proofs', 'org_path'], ['reminders', 'org_path'], ['reminder_digests', 'org_path'],
    ];
    for (const [table, col] of tables) {
      const [{ n }] = await as<{ n: string }>(lixia, `SELECT count(*) n FROM ${table}`);
      const expected = await ownerCount(`SELECT count(*) n FROM ${table} WHERE ${col} LIKE '${lixia.orgPath}%'`);
      expect([table, Number(n)]).toEqual([table, expected]);
    }
    const [{ n: transfers }] = await as<{ n: string }>(lixia, 'SELECT count(*) n FROM transfers');
    expect(Number(transfers)).toBe(await ownerCount(`SELECT count(*) n FROM transfers WHERE from_path LIKE '${lixia.orgPath}%' OR to_path LIKE '${lixia.orgPath}%'`));
    // Organisations: the jurisdiction, its ancestors, the public directory — never another county's departments or pending registrations.
    const orgs = await as<{ path: string; kind: string; status: string }>(lixia, 'SELECT path, kind, status FROM organisations');
    expect(orgs.every((o) => o.path.startsWith(lixia.orgPath) || lixia.orgPath.startsWith(o.path) || (o.status === 'active' && o.kind !== 'department'))).toBe(true);
  });

  it('a professional person sees its own rows only', async () => {
    const persons = await as<{ id: number }>(person, 'SELECT id FROM persons');
    expect(persons.map((p) => p.id)).toEqual([person.personId]);
    const years = await as<{ person_id: number }>(person, 'SELECT person_id FROM person_year_hours');
    expect(years.every((y) => y.person_id === person.personId)).toBe(true);
    expect(await as(person, 'SELECT * FROM audit_log')).toEqual([]);
    const hours = await as<{ person_id: number }>(person, 'SELECT person_id FROM hour_declarations');
    expect(hours.length).toBe(await ownerCount(`SELECT count(*) n FROM hour_declarations WHERE person_id = ${person.personId}`));
    expect(hours.every((h) => h.person_id === person.personId)).toBe(true);
  });

  it('a CE base sees exactly the hour records declared through it, wherever its trainees work, and may add no other (migration 025)', async () => {
    const [base] = await owner.query<{ id: number }>("SELECT id FROM organisations WHERE kind = 'ce_base' AND status = 'active' ORDER BY id LIMIT 1", { type: QueryTypes.SELECT });
    const [other] = await owner.query<{ id: number }>("SELECT id FROM organisations WHERE kind = 'ce_base' AND id <> :id ORDER BY id LIMIT 1", { replacements: { id: base.id }, type: QueryTypes.SELECT });
    // A trainee of another city's county (not 历下's), and that county.
    const [trainee] = await owner.query<{ id: number; unit_id: number; org_path: string; county: string }>(
      `SELECT p.id, p.unit_id, p.org_path, o.path county FROM persons p JOIN organisations o ON o.kind = 'county_hr' AND p.org_path LIKE o.path || '%'
        WHERE p.org_path NOT LIKE :lixia AND p.status = 'active' ORDER BY p.id LIMIT 1`, { replacements: { lixia: `${lixia.orgPath}%` }, type: QueryTypes.SELECT });
    const insert = (ceBase: number | null) => `INSERT INTO hour_declarations (person_id, unit_id, org_path, year, subject_type, learning_form_id, channel, ce_base_id, activity_name, declared_hours)
      VALUES (${trainee.id}, ${trainee.unit_id}, '${trainee.org_path}', 2026, 'professional', (SELECT id FROM learning_forms ORDER BY id LIMIT 1), 'ce_base', ${ceBase ?? 'NULL'}, '基地墙测试', 3) RETURNING id`;
    await owner.query(insert(base.id));
    await owner.query(insert(null));
    const { officePrincipal } = await import('../../src/access/principal.js');
    const ceBase = (await officePrincipal(owner, base.id, '墙测试'))!;
    expect(ceBase.kind).toBe('ce_base');
    const seen = await as<{ ce_base_id: number | null }>(ceBase, 'SELECT ce_base_id FROM hour_declarations');
    expect(seen.length).toBe(await ownerCount(`SELECT count(*) n FROM hour_declarations WHERE ce_base_id = ${base.id}`));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((h) => h.ce_base_id === base.id)).toBe(true);
    // Its own: accepted; another base's or none: refused by the database.
    await expect(runAs(ceBase, () => app.transaction(async (tx) => { await app.query(insert(base.id), { transaction: tx }); throw new Rollback([]); }))).rejects.toBeInstanceOf(Rollback);
    for (const wrong of [other?.id ?? 999_999, null]) {
      await expect(runAs(ceBase, () => app.transaction((tx) => app.query(insert(wrong), { transaction: tx })))).rejects.toThrow(/row-level security/);
    }
    // The county of the trainee sees both new records, the CE base's and the one without a base.
    const bureau = { ...lixia, orgPath: trainee.county };
    const mine = await as<{ n: number }>(bureau, "SELECT count(*)::int n FROM hour_declarations WHERE activity_name = '基地墙测试'");
    expect(mine[0].n).toBe(2);
    await owner.query("DELETE FROM hour_declarations WHERE activity_name = '基地墙测试'");
  });

  it('runs as the restricted role, and the settings end with the transaction', async () => {
    const [{ who, scope }] = await as<{ who: string; scope: string }>(lixia, "SELECT current_user who, current_setting('ce.scope', true) scope");
    expect(who).toBe('ce_app');
    expect(scope).toBe(lixia.orgPath);
    // The next transaction on whatever connection carries the next principal's settings, not these.
    const [{ scope: next }] = await as<{ scope: string }>(person, "SELECT coalesce(current_setting('ce.scope', true), '') scope");
    expect(next).toBe('');
    const [{ who: ownerIs }] = await owner.query<{ who: string }>('SELECT current_user who', { type: QueryTypes.SELECT });
    expect(ownerIs).not.toBe('ce_app');
  });

  it('a lone SELECT goes as one message with its role and settings, sees what a transaction sees, and leaves the connection as it found it', async () => {
    const sent: string[] = [];
    const logging = (sql: string) => { sent.push(sql); };
    const sql = 'SELECT count(*)::int n FROM hour_declarations';
    const [lone] = await runAs(lixia, () => app.query<{ n: number }>(sql, { type: QueryTypes.SELECT, logging }));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/SET LOCAL ROLE ce_app; SET LOCAL "ce.kind" TO 'county_hr'; .*SELECT count/);
    const [inTransaction] = await runAs(lixia, () => app.transaction((transaction) => app.query<{ n: number }>(sql, { type: QueryTypes.SELECT, transaction })));
    expect(lone).toEqual(inTransaction);
    expect(lone.n).toBe(await ownerCount(`SELECT count(*) n FROM hour_declarations WHERE org_path LIKE '${lixia.orgPath}%'`));
    // Every connection of the pool, asked with no wall at all, is back to the login role and no scope.
    const raw = (app as unknown as { __query: Sequelize['query'] }).__query;
    await Promise.all(Array.from({ length: 12 }, () => as(lixia, 'SELECT pg_sleep(0.01), 1 x')));
    const after = await Promise.all(Array.from({ length: 12 }, () => raw<{ who: string; scope: string }>(
      "SELECT current_user who, coalesce(current_setting('ce.scope', true), '') scope", { type: QueryTypes.SELECT })));
    expect(new Set(after.map(([r]) => `${r.who}|${r.scope}`)).size).toBe(1);
    expect(after[0][0].who).not.toBe('ce_app');
    expect(after[0][0].scope).toBe('');
    // A statement that fails ends its message: the next one on the pool runs clean.
    await expect(as(lixia, 'SELECT 1/0')).rejects.toThrow();
    expect((await as<{ who: string }>(person, 'SELECT current_user who'))[0].who).toBe('ce_app');
  });

  it('refuses a query outside any access context', async () => {
    await expect(app.query('SELECT 1')).rejects.toBeInstanceOf(MissingAccessContext);
    expect(await asPlatform('测试', () => app.query('SELECT 1', { type: QueryTypes.SELECT }))).toEqual([{ '?column?': 1 }]);
  });

  it('concurrent requests of two jurisdictions never see each other’s settings', async () => {
    const shinan = await principalOf(DEMO_ACCOUNTS.find((a) => a.organisationName === '市南区人力资源和社会保障局')!.idNumber, 'admin');
    const runs = await Promise.all(Array.from({ length: 20 }, (_, i) => {
      const p = i % 2 ? shinan : lixia;
      return as<{ scope: string; bad: string }>(p, `SELECT current_setting('ce.scope') scope,
        (SELECT count(*) FROM persons WHERE org_path NOT LIKE '${p.orgPath}%') bad`).then(([r]) => ({ p, r }));
    }));
    for (const { p, r } of runs) expect([r.scope, Number(r.bad)]).toEqual([p.orgPath, 0]);
  });
});
