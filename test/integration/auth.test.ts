/** Login, logout, change password and forgotten password, over HTTP as a browser does them. */
import { QueryTypes } from 'sequelize';
import { Client, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { createAdminAccount, createCountyBureau } from '../helpers/accounts.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/db/demo-accounts.js';

let t: TestPlatform;
beforeAll(async () => { t = await startTestPlatform(); });
afterAll(async () => { await t.close(); });

const JINAN = '济南市人力资源和社会保障局';
const q = <T extends object>(sql: string, replacements: Record<string, unknown>) =>
  t.platform.db.owner.query<T>(sql, { replacements, type: QueryTypes.SELECT });

describe('login page', () => {
  it('is in Chinese, asks for the user type, and loads nothing from another host', async () => {
    const html = await (await new Client(t.base).get('/admin/login')).text();
    expect(html).toContain('登录账号（身份证号）');
    expect(html).toContain('市、区（县）系统管理员');
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
  });
});

describe('login and logout', () => {
  it('lets the 济南 demo admin in and shows the panel with its organisation', async () => {
    const c = new Client(t.base);
    const r = await c.login(DEMO_ACCOUNTS[1].idNumber, DEMO_PASSWORD);
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('/admin');
    const html = await (await c.get('/admin')).text();
    expect(html).toContain('济南市人力资源和社会保障局');
    expect(html).not.toContain('fonts.googleapis.com');
    expect(html).not.toContain('password_hash');
  });

  it('gives the same message for a wrong password and an unknown ID number', async () => {
    const wrong = await (await new Client(t.base).login(DEMO_ACCOUNTS[1].idNumber, 'Wrong#Pass1')).text();
    const unknown = await (await new Client(t.base).login('11010519491231002X', 'Wrong#Pass1')).text();
    for (const html of [wrong, unknown]) expect(html).toContain('账号或密码错误');
  });

  it('refuses a user type that does not match the account', async () => {
    const r = await new Client(t.base).login(DEMO_ACCOUNTS[1].idNumber, DEMO_PASSWORD, 'person');
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('所选用户类型与该账号不符');
  });

  it('regenerates the session id at login and ends the session at logout', async () => {
    const c = new Client(t.base);
    await c.get('/admin/login');
    const before = await c.get('/admin/forgot-password');
    expect(before.status).toBe(200);
    const login = await c.login(DEMO_ACCOUNTS[2].idNumber);
    const cookie = login.headers.getSetCookie().join(';');
    expect(cookie).toMatch(/adminjs=/);
    expect((await c.get('/admin/api/dashboard')).status).toBe(200);
    const out = await c.get('/admin/logout');
    expect(out.headers.get('location')).toBe('/admin/login');
    expect((await c.get('/admin/api/dashboard')).status).toBe(401);
    expect((await c.get('/admin')).headers.get('location')).toBe('/admin/login');
  });

  it('locks an account for 15 minutes after five wrong passwords', async () => {
    const a = await createAdminAccount(t.platform.db.owner, JINAN, 'Right#Pass1');
    for (let i = 0; i < 5; i++) await new Client(t.base).login(a.idNumber, `Wrong#Pass${i}`);
    const r = await new Client(t.base).login(a.idNumber, 'Right#Pass1');
    // Locked, with the same answer an unknown ID number gets (no account-existence oracle).
    expect(await r.text()).toContain('账号或密码错误（连续失败5次将锁定15分钟）');
    const [row] = await q<{ locked: boolean }>("SELECT locked_until > now() + interval '14 minutes' locked FROM accounts WHERE id = :id", { id: a.accountId });
    expect(row?.locked).toBe(true);
  });

  it('records logins, failures and logouts in the audit log', async () => {
    const a = await createAdminAccount(t.platform.db.owner, JINAN, 'Right#Pass1');
    await new Client(t.base).login(a.idNumber, 'Wrong#Pass1');
    const c = new Client(t.base);
    await c.login(a.idNumber, 'Right#Pass1');
    await c.get('/admin/logout');
    const rows = await q<{ action: string; outcome: string }>('SELECT action, outcome FROM audit_log WHERE actor_id = :id ORDER BY id', { id: a.accountId });
    expect(rows).toEqual([
      { action: 'login', outcome: 'refused' }, { action: 'login', outcome: 'ok' }, { action: 'logout', outcome: 'ok' },
    ]);
  });
});

describe('change password', () => {
  it('requires the old password and the policy, then ends the session', async () => {
    const a = await createAdminAccount(t.platform.db.owner, JINAN, 'Old#Pass2026');
    const c = new Client(t.base);
    await c.login(a.idNumber, 'Old#Pass2026');
    let html = await (await c.postForm('/admin/password', { oldPassword: 'Not#TheOld1', password: 'New#Pass2027', confirm: 'New#Pass2027' })).text();
    expect(html).toContain('原密码不正确');
    html = await (await c.postForm('/admin/password', { oldPassword: 'Old#Pass2026', password: 'short', confirm: 'short' })).text();
    expect(html).toContain('密码至少8位');
    html = await (await c.postForm('/admin/password', { oldPassword: 'Old#Pass2026', password: 'New#Pass2027', confirm: 'New#Pass2027' })).text();
    expect(html).toContain('密码已修改');
    expect((await c.get('/admin/api/dashboard')).status).toBe(401);
    expect((await new Client(t.base).login(a.idNumber, 'Old#Pass2026')).status).toBe(200);
    expect((await new Client(t.base).login(a.idNumber, 'New#Pass2027')).status).toBe(302);
  });

  it('ends the other sessions of the account when the password changes', async () => {
    const a = await createAdminAccount(t.platform.db.owner, JINAN, 'Old#Pass2026');
    const other = new Client(t.base);
    await other.login(a.idNumber, 'Old#Pass2026');
    expect((await other.get('/admin/api/dashboard')).status).toBe(200);
    const c = new Client(t.base);
    await c.login(a.idNumber, 'Old#Pass2026');
    await c.postForm('/admin/password', { oldPassword: 'Old#Pass2026', password: 'New#Pass2027', confirm: 'New#Pass2027' });
    expect((await other.get('/admin/api/dashboard')).status).toBe(401);
  });

  it('forces a change at first login when the password was set by someone else', async () => {
    const a = await createAdminAccount(t.platform.db.owner, JINAN, 'Init#Pass2026', { mustChange: true });
    const c = new Client(t.base);
    const r = await c.login(a.idNumber, 'Init#Pass2026');
    expect(r.headers.get('location')).toBe('/admin/password');
    expect((await c.get('/admin')).headers.get('location')).toBe('/admin/password');
    expect((await c.get('/admin/api/dashboard')).status).toBe(403);
  });
});

describe('forgotten password', () => {
  it('sends a code to the registered contact, then sets the new password with it', async () => {
    const a = await createAdminAccount(t.platform.db.owner, JINAN, 'Lost#Pass2026');
    const c = new Client(t.base);
    const html = await (await c.postForm('/admin/forgot-password', { idNumber: a.idNumber, contact: a.email })).text();
    expect(html).toContain('验证码已发送');
    const message = t.sent.find((n) => n.recipient === a.email);
    const code = message?.body.match(/验证码为 (\d{6})/)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    const done = await (await c.postForm('/admin/forgot-password/confirm', { idNumber: a.idNumber, code: code!, password: 'Found#Pass2027', confirm: 'Found#Pass2027' })).text();
    expect(done).toContain('密码已重置');
    expect((await new Client(t.base).login(a.idNumber, 'Found#Pass2027')).status).toBe(302);
    // A code works once.
    const again = await (await c.postForm('/admin/forgot-password/confirm', { idNumber: a.idNumber, code: code!, password: 'Again#Pass2028', confirm: 'Again#Pass2028' })).text();
    expect(again).toContain('验证码错误或已失效');
  });

  it('answers the same whether or not the account and contact match, and sends nothing for a mismatch', async () => {
    const a = await createAdminAccount(t.platform.db.owner, JINAN, 'Lost#Pass2026');
    const before = t.sent.length;
    const wrongContact = await (await new Client(t.base).postForm('/admin/forgot-password', { idNumber: a.idNumber, contact: 'someone@else.example.com' })).text();
    const unknownId = await (await new Client(t.base).postForm('/admin/forgot-password', { idNumber: '11010519491231002X', contact: a.email })).text();
    expect(wrongContact).toContain('验证码已发送');
    expect(unknownId).toContain('验证码已发送');
    expect(t.sent.length).toBe(before);
  });

  it('refuses a forged code and leaves the password unchanged', async () => {
    const a = await createAdminAccount(t.platform.db.owner, JINAN, 'Kept#Pass2026');
    await new Client(t.base).postForm('/admin/forgot-password', { idNumber: a.idNumber, contact: a.mobile });
    const sent = t.sent.find((n) => n.recipient === a.mobile)!;
    const real = sent.body.match(/验证码为 (\d{6})/)![1];
    const forged = real === '000000' ? '000001' : '000000';
    const html = await (await new Client(t.base).postForm('/admin/forgot-password/confirm', { idNumber: a.idNumber, code: forged, password: 'Stolen#Pass1', confirm: 'Stolen#Pass1' })).text();
    expect(html).toContain('验证码错误或已失效');
    expect((await new Client(t.base).login(a.idNumber, 'Stolen#Pass1')).status).toBe(200);
    expect((await new Client(t.base).login(a.idNumber, 'Kept#Pass2026')).status).toBe(302);
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request without the session’s token, and changes nothing', async () => {
    const bureau = `CSRF测试区人力资源和社会保障局${Date.now() % 100000}`;
    await createCountyBureau(t.platform.db.owner, bureau);
    const a = await createAdminAccount(t.platform.db.owner, bureau, 'Csrf#Pass2026', { isSuper: true });
    const c = new Client(t.base);
    await c.login(a.idNumber, 'Csrf#Pass2026');
    c.withoutCsrf = true;
    const api = await c.json<{ notice?: { message: string } }>('/admin/api/resources/roles/actions/new', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=%E4%BC%AA%E9%80%A0%E8%A7%92%E8%89%B2' });
    expect(api.status).toBe(403);
    expect(api.body.notice?.message).toContain('CSRF');
    expect(await q("SELECT 1 FROM roles WHERE name = '伪造角色'", {})).toEqual([]);
    const form = await c.postForm('/admin/password', { oldPassword: 'Csrf#Pass2026', password: 'Forged#Pass1', confirm: 'Forged#Pass1' });
    expect(form.status).toBe(403);
    expect((await new Client(t.base).login(a.idNumber, 'Csrf#Pass2026')).status).toBe(302);
    // With the token (as the panel sends it) the same request goes through.
    c.withoutCsrf = false;
    const ok = await c.json<{ record?: { id: number } }>('/admin/api/resources/roles/actions/new', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `name=${encodeURIComponent(`真实角色${a.accountId}`)}` });
    expect(ok.status).toBe(200);
    expect(ok.body.record?.id).toBeGreaterThan(0);
  });
});

describe('session lifetime', () => {
  async function sessionOf(accountId: number) {
    return (await q<{ sid: string }>('SELECT sid FROM session WHERE account_id = :a ORDER BY login_at DESC LIMIT 1', { a: accountId }))[0].sid;
  }
  it('ends a session idle past its lifetime (the store’s expiry)', async () => {
    const a = await createAdminAccount(t.platform.db.owner, JINAN, 'Idle#Pass2026');
    const c = new Client(t.base);
    await c.login(a.idNumber, 'Idle#Pass2026');
    expect((await c.json('/admin/api/dashboard')).status).toBe(200);
    await t.platform.db.owner.query("UPDATE session SET expire = now() - interval '1 second' WHERE sid = :sid", { replacements: { sid: await sessionOf(a.accountId) } });
    expect((await c.json('/admin/api/dashboard')).status).toBe(401);
  });

  it('ends a session older than the absolute lifetime even while in use', async () => {
    const a = await createAdminAccount(t.platform.db.owner, JINAN, 'Abs#Pass2026');
    const c = new Client(t.base);
    await c.login(a.idNumber, 'Abs#Pass2026');
    const thirteenHoursAgo = Date.now() - 13 * 3_600_000;
    // The password is older than the session, so only the 12-hour rule can end it.
    await t.platform.db.owner.query("UPDATE accounts SET password_changed_at = now() - interval '14 hours' WHERE id = :id", { replacements: { id: a.accountId } });
    await t.platform.db.owner.query(
      `UPDATE session SET sess = json_build_object('cookie', sess->'cookie', 'adminUser', sess->'adminUser', 'as', sess->'as', 'csrf', sess->'csrf', 'loginAt', :at::bigint) WHERE sid = :sid`,
      { replacements: { sid: await sessionOf(a.accountId), at: thirteenHoursAgo } });
    expect((await c.json('/admin/api/dashboard')).status).toBe(401);
  });
});
