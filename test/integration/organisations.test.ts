/**
 * 本级机构 / 下属机构: change of superior department (both superiors approve, the subtree moves)
 * and disabling a subordinate organisation (its admins are out at once).
 */
import crypto from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { createAdminAccount } from '../helpers/accounts.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { generateIdNumber, generateCreditCode } from '../../src/domain/identifiers.js';

let t: TestPlatform;
beforeAll(async () => { t = await startTestPlatform(); });
afterAll(async () => { await t.close(); });

const adminOf = (org: string) => DEMO_ACCOUNTS.find((a) => a.organisationName === org && a.isSuper)!.idNumber;
async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  return t.platform.db.owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
}
const post = (c: Client, path: string, data: Record<string, unknown> = {}) => c.json<{ notice?: { message: string; type: string } }>(path, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data),
});

/** A unit of its own under 历下区 with an admin and two persons. */
async function lixiaUnit() {
  const n = crypto.randomInt(1e6);
  const [bureau] = await q<{ id: number; path: string }>("SELECT id, path FROM organisations WHERE name = '历下区人力资源和社会保障局'");
  const [unit] = await q<{ id: number; path: string; name: string }>(`INSERT INTO organisations (id, parent_id, kind, name, path, depth, credit_code)
    SELECT s.n, :pid, 'unit', :name, :ppath || s.n || '/', 3, :cc FROM (SELECT nextval(pg_get_serial_sequence('organisations','id'))::int n) s RETURNING id, path, name`,
  { pid: bureau.id, ppath: bureau.path, name: `测试搬迁单位${n}`, cc: generateCreditCode(7_000_000 + n) });
  for (const k of [1, 2]) {
    await q(`INSERT INTO persons (id_number, name, gender, birth_date, unit_id, org_path) VALUES (:id, '测试人员', 'F', '1990-02-02', :u, :p)`,
      { id: generateIdNumber('370102', '19900202', (n + k * 7) % 1000), u: unit.id, p: unit.path });
  }
  const a = await createAdminAccount(t.platform.db.owner, unit.name, 'Unit#Pass2026', { isSuper: true });
  return { unit, admin: a };
}

describe('change of superior department (4.1.1.1)', () => {
  it('moves the unit and its persons only when the old and the new superior both approved', async () => {
    const { unit, admin } = await lixiaUnit();
    const u = await loggedIn(t.base, admin.idNumber, 'Unit#Pass2026');
    const cand = await u.json<{ candidates: Array<{ id: number; name: string }> }>(`/admin/api/resources/my_organisation/records/${unit.id}/changeSuperior?q=${encodeURIComponent('市中区')}`);
    const shizhong = cand.body.candidates.find((c) => c.name === '市中区人力资源和社会保障局')!;
    expect(shizhong).toBeDefined();
    const r = await post(u, `/admin/api/resources/my_organisation/records/${unit.id}/changeSuperior`, { toSuperiorId: shizhong.id, reason: '隶属关系调整' });
    expect(r.body.notice?.type).toBe('success');
    const [change] = await q<{ id: number }>("SELECT id FROM superior_changes WHERE organisation_id = :id AND status = 'pending'", { id: unit.id });
    const tasks = await q<{ id: number; side: string }>("SELECT id, side FROM approval_tasks WHERE request_type = 'superior_change' AND request_id = :id", { id: change.id });
    const lixia = await loggedIn(t.base, adminOf('历下区人力资源和社会保障局'));
    const sz = await loggedIn(t.base, adminOf('市中区人力资源和社会保障局'));
    const source = tasks.find((x) => x.side === 'source')!.id;
    const target = tasks.find((x) => x.side === 'target')!.id;
    // Each superior decides only its own side.
    expect((await post(sz, `/admin/api/resources/superior_change_reviews/records/${source}/approve`)).status).toBe(403);
    await post(lixia, `/admin/api/resources/superior_change_reviews/records/${source}/approve`);
    expect((await q<{ path: string }>('SELECT path FROM organisations WHERE id = :id', { id: unit.id }))[0].path).toBe(unit.path);
    await post(sz, `/admin/api/resources/superior_change_reviews/records/${target}/approve`);
    const [moved] = await q<{ path: string; parent_id: number; depth: number }>('SELECT path, parent_id, depth FROM organisations WHERE id = :id', { id: unit.id });
    const [szOrg] = await q<{ path: string }>('SELECT path FROM organisations WHERE id = :id', { id: shizhong.id });
    expect(moved).toEqual({ path: `${szOrg.path}${unit.id}/`, parent_id: shizhong.id, depth: 3 });
    const persons = await q<{ org_path: string }>('SELECT org_path FROM persons WHERE unit_id = :id', { id: unit.id });
    expect(persons.every((x) => x.org_path === moved.path)).toBe(true);
    const [admin2] = await q<{ org_path: string }>('SELECT org_path FROM admins WHERE account_id = :id', { id: admin.accountId });
    expect(admin2.org_path).toBe(moved.path);
    // The old superior no longer sees the unit; the new one does.
    expect((await lixia.json(`/admin/api/resources/organisations/records/${unit.id}/show`)).status).toBe(403);
    expect((await sz.json(`/admin/api/resources/organisations/records/${unit.id}/show`)).status).toBe(200);
  });

  it('refuses its own subtree or the same superior as the new one', async () => {
    const { unit, admin } = await lixiaUnit();
    const u = await loggedIn(t.base, admin.idNumber, 'Unit#Pass2026');
    const [bureau] = await q<{ id: number }>("SELECT id FROM organisations WHERE name = '历下区人力资源和社会保障局'");
    const r = await post(u, `/admin/api/resources/my_organisation/records/${unit.id}/changeSuperior`, { toSuperiorId: bureau.id });
    expect(r.body.notice?.message).toBe('新上级部门不能与原上级部门相同');
    const units = await post(u, `/admin/api/resources/my_organisation/records/${unit.id}/changeSuperior`, { toSuperiorId: unit.id });
    expect(units.body.notice?.message).toBe('请选择可作为上级的人社部门');
  });
});

describe('disabling a subordinate organisation (4.1.2)', () => {
  it('ends its admins’ sessions at once and lets them in again when enabled', async () => {
    const { unit, admin } = await lixiaUnit();
    const u = await loggedIn(t.base, admin.idNumber, 'Unit#Pass2026');
    const lixia = await loggedIn(t.base, adminOf('历下区人力资源和社会保障局'));
    const noReason = await post(lixia, `/admin/api/resources/organisations/records/${unit.id}/disable`, {});
    expect(noReason.body.notice?.message).toBe('停用时必须填写原因');
    await post(lixia, `/admin/api/resources/organisations/records/${unit.id}/disable`, { reason: '单位已注销' });
    expect((await u.json('/admin/api/dashboard')).status).toBe(401);
    expect(await (await new Client(t.base).login(admin.idNumber, 'Unit#Pass2026')).text()).toContain('尚未审核通过或已停用');
    await post(lixia, `/admin/api/resources/organisations/records/${unit.id}/enable`, {});
    expect((await new Client(t.base).login(admin.idNumber, 'Unit#Pass2026')).status).toBe(302);
  });
});
