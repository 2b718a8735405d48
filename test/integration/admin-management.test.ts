/**
 * Admin management (manual 4.1.1.3): roles from the permission catalog, never beyond what
 * their author holds; adding an admin in the three ways; handing over the super admin.
 */
import crypto from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { createAdminAccount, createCountyBureau } from '../helpers/accounts.js';
import { generateIdNumber } from '../../src/domain/identifiers.js';

let t: TestPlatform;
let bureau: { id: number; path: string };
let superAdmin: { idNumber: string; accountId: number };
let c: Client;
const PW = 'Super#Pass2026';

beforeAll(async () => {
  t = await startTestPlatform();
  bureau = await createCountyBureau(t.platform.db.owner, `测试区人力资源和社会保障局${crypto.randomInt(1e6)}`);
  const name = (await q<{ name: string }>('SELECT name FROM organisations WHERE id = :id', { id: bureau.id }))[0].name;
  superAdmin = await createAdminAccount(t.platform.db.owner, name, PW, { isSuper: true });
  c = await loggedIn(t.base, superAdmin.idNumber, PW);
});
afterAll(async () => { await t.close(); });

function q<T extends object>(sql: string, replacements: Record<string, unknown> = {}) {
  return t.platform.db.owner.query<T>(sql, { replacements, type: QueryTypes.SELECT });
}
const post = (client: Client, path: string, data: Record<string, unknown>) =>
  client.json<Record<string, unknown> & { notice?: { message: string; type: string }; errors?: Record<string, string> }>(path, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data),
  });
const freshId = () => generateIdNumber('370102', `1988${String(crypto.randomInt(1, 13)).padStart(2, '0')}1${crypto.randomInt(0, 10)}`, crypto.randomInt(0, 1000));

async function newRole(name: string): Promise<number> {
  const r = await c.json<{ record: { id: number } }>('/admin/api/resources/roles/actions/new', {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ name }).toString(),
  });
  expect(r.body.record.id).toBeGreaterThan(0);
  return r.body.record.id;
}

describe('roles', () => {
  it('saves permissions the author holds, shown as the manual’s menu tree', async () => {
    const roleId = await newRole('学时审核员');
    const tree = await c.json<{ catalog: Array<{ label: string }> }>(`/admin/api/resources/roles/records/${roleId}/setPermissions`);
    expect(tree.body.catalog.map((m) => m.label)).toEqual(['账户管理', '学时（分）申报', '学时（分）审核', '学时审验', '查询统计']);
    const r = await post(c, `/admin/api/resources/roles/records/${roleId}/setPermissions`, { codes: ['hours_review.review:view', 'hours_review.review:decide'] });
    expect(r.body.notice?.type).toBe('success');
    const codes = (await q<{ permission_code: string }>('SELECT permission_code FROM role_permissions WHERE role_id = :roleId ORDER BY 1', { roleId })).map((x) => x.permission_code);
    expect(codes).toEqual(['hours_review.review:decide', 'hours_review.review:view']);
  });

  it('refuses a permission the author does not hold, changes nothing and records the attempt', async () => {
    const roleId = await newRole('越权角色');
    const r = await post(c, `/admin/api/resources/roles/records/${roleId}/setPermissions`, { codes: ['hours_review.review:view', 'system.audit:view'] });
    expect(r.body.notice?.message).toContain('角色权限不能超出您自身拥有的权限');
    expect(await q('SELECT 1 FROM role_permissions WHERE role_id = :roleId', { roleId })).toEqual([]);
    const [audit] = await q<{ outcome: string }>("SELECT outcome FROM audit_log WHERE action = 'set_permissions' AND record_id = :id ORDER BY id DESC LIMIT 1", { id: String(roleId) });
    expect(audit.outcome).toBe('refused');
  });

  it('does not let an admin with a lesser role grant beyond it', async () => {
    const roleId = await newRole('角色管理员');
    await post(c, `/admin/api/resources/roles/records/${roleId}/setPermissions`, { codes: ['account.roles:view', 'account.roles:edit', 'account.roles:create'] });
    const name = (await q<{ name: string }>('SELECT name FROM organisations WHERE id = :id', { id: bureau.id }))[0].name;
    const lesser = await createAdminAccount(t.platform.db.owner, name, 'Lesser#Pass2026');
    await t.platform.db.owner.query('INSERT INTO admin_roles (admin_id, role_id) SELECT id, :roleId FROM admins WHERE account_id = :a', { replacements: { roleId, a: lesser.accountId } });
    const lc = await loggedIn(t.base, lesser.idNumber, 'Lesser#Pass2026');
    const target = await newRole('被提权角色');
    const r = await post(lc, `/admin/api/resources/roles/records/${target}/setPermissions`, { codes: ['stats.persons:view'] });
    expect(r.body.notice?.message).toContain('角色权限不能超出您自身拥有的权限');
    expect(await q('SELECT 1 FROM role_permissions WHERE role_id = :target', { target })).toEqual([]);
  });
});

describe('adding an admin', () => {
  it('registers a new user: bad fields are named, then the account is created and can log in', async () => {
    const bad = await post(c, '/admin/api/resources/admins/actions/addAdmin', { mode: 'register', idNumber: '370102198801011234', password: 'weak', confirm: 'weak', name: '', mobile: '123', email: 'x' });
    expect(bad.body.errors).toMatchObject({ idNumber: expect.stringContaining('身份证号码'), password: expect.any(String), name: '此项为必填项', mobile: '手机号码格式不正确', email: '电子邮箱格式不正确' });
    const idNumber = freshId();
    const data = { mode: 'register', idNumber, password: 'Newbie#2026', confirm: 'Newbie#2026', name: '赵新', mobile: '13912345678', email: 'zhaoxin@example.com' };
    const dry = await post(c, '/admin/api/resources/admins/actions/addAdmin', { ...data, dryRun: true });
    expect(dry.body.summary).toMatchObject({ name: '赵新' });
    expect(await q('SELECT 1 FROM accounts WHERE id_number = :idNumber', { idNumber })).toEqual([]);
    const done = await post(c, '/admin/api/resources/admins/actions/addAdmin', data);
    expect(done.body.notice?.type).toBe('success');
    const [seat] = await q<{ organisation_id: number; is_super: boolean }>('SELECT ad.organisation_id, ad.is_super FROM admins ad JOIN accounts a ON a.id = ad.account_id WHERE a.id_number = :idNumber', { idNumber });
    expect(seat).toEqual({ organisation_id: bureau.id, is_super: false });
    expect((await new Client(t.base).login(idNumber, 'Newbie#2026')).status).toBe(302);
  });

  it('attaches an existing user only with that user’s password', async () => {
    const idNumber = freshId();
    const [[acc]] = await t.platform.db.owner.query(`INSERT INTO accounts (id_number, name, password_hash) VALUES (:idNumber, '钱进', :h) RETURNING id`, {
      replacements: { idNumber, h: await (await import('../../src/auth/passwords.js')).hashPassword('Owner#Pass2026') },
    }) as unknown as [[{ id: number }]];
    const wrong = await post(c, '/admin/api/resources/admins/actions/addAdmin', { mode: 'attach', idNumber, password: 'Guess#Pass2026' });
    expect(wrong.body.errors?.password).toBe('身份证号或密码不正确');
    expect(await q('SELECT 1 FROM admins WHERE account_id = :id', { id: acc.id })).toEqual([]);
    const ok = await post(c, '/admin/api/resources/admins/actions/addAdmin', { mode: 'attach', idNumber, password: 'Owner#Pass2026' });
    expect(ok.body.notice?.type).toBe('success');
    expect((await q<{ organisation_id: number }>('SELECT organisation_id FROM admins WHERE account_id = :id', { id: acc.id }))[0].organisation_id).toBe(bureau.id);
  });

  it('picks a registered person of this organisation', async () => {
    const idNumber = freshId();
    const [[acc]] = await t.platform.db.owner.query(`INSERT INTO accounts (id_number, name, password_hash) VALUES (:idNumber, '孙选', 'x') RETURNING id`, { replacements: { idNumber } }) as unknown as [[{ id: number }]];
    await t.platform.db.owner.query(`INSERT INTO persons (account_id, id_number, name, gender, birth_date, unit_id, org_path) VALUES (:a, :idNumber, '孙选', 'M', '1988-01-01', :unit, :path)`,
      { replacements: { a: acc.id, idNumber, unit: bureau.id, path: bureau.path } });
    const options = await c.json<{ candidates: Array<{ accountId: number; label: string }> }>('/admin/api/resources/admins/actions/addAdmin');
    expect(options.body.candidates.map((x) => x.accountId)).toContain(acc.id);
    const ok = await post(c, '/admin/api/resources/admins/actions/addAdmin', { mode: 'pick', accountId: String(acc.id) });
    expect(ok.body.notice?.type).toBe('success');
    // A person of another organisation cannot be picked.
    const other = await q<{ account_id: number }>("SELECT account_id FROM persons WHERE account_id IS NOT NULL AND unit_id <> :b LIMIT 1", { b: bureau.id });
    if (other.length) {
      const r = await post(c, '/admin/api/resources/admins/actions/addAdmin', { mode: 'pick', accountId: String(other[0].account_id) });
      expect(r.body.errors?.accountId).toBeDefined();
    }
  });
});

describe('set as super admin', () => {
  it('hands the office over in one step: exactly one super admin, the previous one loses it', async () => {
    const [other] = await q<{ id: number }>('SELECT id FROM admins WHERE organisation_id = :org AND NOT is_super ORDER BY id LIMIT 1', { org: bureau.id });
    // A GET shows the confirmation and changes nothing.
    await c.json(`/admin/api/resources/admins/records/${other.id}/setSuperAdmin`);
    expect((await q<{ id: number }>('SELECT id FROM admins WHERE organisation_id = :org AND is_super', { org: bureau.id }))).toHaveLength(1);
    expect((await q<{ is_super: boolean }>('SELECT is_super FROM admins WHERE id = :id', { id: other.id }))[0].is_super).toBe(false);
    const r = await post(c, `/admin/api/resources/admins/records/${other.id}/setSuperAdmin`, {});
    expect(r.body.notice?.type).toBe('success');
    const supers = await q<{ id: number }>('SELECT id FROM admins WHERE organisation_id = :org AND is_super', { org: bureau.id });
    expect(supers).toEqual([{ id: other.id }]);
    // The former super admin is now refused.
    const again = await c.json(`/admin/api/resources/admins/records/${other.id}/setSuperAdmin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(again.status).toBe(403);
  });
});
