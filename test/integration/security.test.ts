/** 等保 practices: audit retention, 三员分立, personal data masking. */
import { QueryTypes } from 'sequelize';
import { loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { purgeAuditLog } from '../../src/jobs/audit-retention.js';
import { separationOfDuties } from '../../config/permissions.js';
import { createAdminAccount } from '../helpers/accounts.js';

let t: TestPlatform;
beforeAll(async () => { t = await startTestPlatform(); });
afterAll(async () => { await t.close(); });
async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  return t.platform.db.owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
}
const PROVINCE = DEMO_ACCOUNTS.find((a) => a.organisationName === '山东省人力资源和社会保障厅')!.idNumber;

describe('audit retention', () => {
  it('purges rows past the retention, never younger than 180 days', async () => {
    const marker = `retention-${Date.now()}`;
    await q(`INSERT INTO audit_log (at, action, reason) VALUES (now() - interval '400 days', 'login', :m), (now() - interval '100 days', 'login', :m)`, { m: marker });
    expect(await purgeAuditLog(t.platform.db.owner, 30)).toBeGreaterThanOrEqual(1);
    const left = await q<{ days: number }>("SELECT extract(day FROM now() - at)::int days FROM audit_log WHERE reason = :m", { m: marker });
    expect(left.map((x) => x.days)).toEqual([100]);
    await expect(t.platform.db.owner.query("DELETE FROM audit_log WHERE reason = :m", { replacements: { m: marker } })).rejects.toThrow(/append-only/);
  });
});

describe('三员分立', () => {
  it('three built-in provincial roles with disjoint rights; the super admin holds none of the audit role', async () => {
    const roles = await q<{ name: string; codes: string[] }>(`SELECT r.name, array_agg(rp.permission_code ORDER BY rp.permission_code) codes FROM roles r
      JOIN role_permissions rp ON rp.role_id = r.id JOIN organisations o ON o.id = r.organisation_id
      WHERE o.kind = 'province_hr' AND r.builtin GROUP BY r.name`);
    expect(roles.map((r) => r.name).sort()).toEqual(separationOfDuties.map((r) => r.name).sort());
    const all = roles.flatMap((r) => r.codes);
    expect(new Set(all).size).toBe(all.length);
    const c = await loggedIn(t.base, PROVINCE);
    // The super admin cannot read the audit log, edit a built-in role, or hand out the audit role.
    expect((await c.json<{ records?: unknown[] }>('/admin/api/resources/audit_log/actions/list')).body.records ?? []).toEqual([]);
    const [audit] = await q<{ id: number }>("SELECT r.id FROM roles r JOIN organisations o ON o.id = r.organisation_id WHERE o.kind = 'province_hr' AND r.name = '审计管理员'");
    const edit = await c.json(`/admin/api/resources/roles/records/${audit.id}/setPermissions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"codes":[]}' });
    expect(edit.status).toBe(403);
    const helper = await createAdminAccount(t.platform.db.owner, '山东省人力资源和社会保障厅', 'Helper#Pass2026');
    const [seat] = await q<{ id: number }>('SELECT id FROM admins WHERE account_id = :a', { a: helper.accountId });
    {
      const grant = await c.json<{ notice?: { message: string } }>(`/admin/api/resources/admins/records/${seat.id}/assignRoles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ roleIds: [audit.id] }) });
      expect(grant.body.notice?.message).toContain('角色权限不能超出您自身拥有的权限');
    }
  });
});

describe('personal data', () => {
  it('mobiles are masked in lists and shown whole on the detail view to those allowed', async () => {
    const c = await loggedIn(t.base, PROVINCE);
    const list = await c.json<{ records: Array<{ id: number; params: { mobile?: string } }> }>('/admin/api/resources/persons/actions/list?perPage=50');
    const withMobile = list.body.records.find((r) => r.params.mobile)!;
    expect(withMobile.params.mobile).toMatch(/^\d{3}\*{4}\d{4}$/);
    const shown = await c.json<{ record: { params: { mobile: string } } }>(`/admin/api/resources/persons/records/${withMobile.id}/show`);
    expect(shown.body.record.params.mobile).toMatch(/^1\d{10}$/);
  });
});

describe('在线会话', () => {
  it('an admin sees its organisation’s sessions only, and ending one logs that user out at once', async () => {
    const { createCountyBureau } = await import('../helpers/accounts.js');
    const { Client } = await import('../helpers/platform.js');
    const name = `会话测试区人力资源和社会保障局${Date.now() % 100000}`;
    await createCountyBureau(t.platform.db.owner, name);
    const boss = await createAdminAccount(t.platform.db.owner, name, 'Boss#Pass2026', { isSuper: true });
    const clerk = await createAdminAccount(t.platform.db.owner, name, 'Clerk#Pass2026');
    const other = await loggedIn(t.base, DEMO_ACCOUNTS.find((a) => a.organisationName === '市南区人力资源和社会保障局')!.idNumber);
    const c = new Client(t.base);
    await c.login(clerk.idNumber, 'Clerk#Pass2026');
    expect((await c.json('/admin/api/dashboard')).status).toBe(200);
    const b = await loggedIn(t.base, boss.idNumber, 'Boss#Pass2026');
    const list = await b.json<{ records: Array<{ id: string; params: Record<string, unknown> }> }>('/admin/api/resources/sessions/actions/list?perPage=100');
    const accounts = list.body.records.map((r) => r.params.account_id);
    expect(accounts).toEqual(expect.arrayContaining([boss.accountId, clerk.accountId]));
    expect(list.body.records.every((r) => !('sess' in r.params) && !('sid' in r.params))).toBe(true);
    // No session id (the cookie's secret) reaches the browser: records are addressed by a surrogate id.
    const sids = (await t.platform.db.owner.query<{ sid: string }>('SELECT sid FROM session WHERE account_id IN (:ids)',
      { replacements: { ids: [boss.accountId, clerk.accountId] }, type: QueryTypes.SELECT })).map((x) => x.sid);
    expect(sids.length).toBeGreaterThanOrEqual(2);
    const text = JSON.stringify(list.body);
    expect(sids.filter((sid) => text.includes(sid))).toEqual([]);
    expect(list.body.records.every((r) => /^[0-9]+$/.test(String(r.id)))).toBe(true);
    // Another county's admin does not see them.
    const theirs = await other.json<{ records: Array<{ params: { account_id: number } }> }>('/admin/api/resources/sessions/actions/list?perPage=100');
    expect(theirs.body.records.some((r) => [boss.accountId, clerk.accountId].includes(r.params.account_id))).toBe(false);
    const clerkSession = list.body.records.find((r) => r.params.account_id === clerk.accountId)!;
    const r = await b.json(`/admin/api/resources/sessions/records/${encodeURIComponent(clerkSession.id)}/delete`, { method: 'POST' });
    expect(r.status).toBe(200);
    expect((await c.json('/admin/api/dashboard')).status).toBe(401);
  });
});
