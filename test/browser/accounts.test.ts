/**
 * Journeys of accounts (manual 1, 2, 4.1.1.3): logging in as each user type, changing and
 * recovering a password, adding admins in the wizard's three ways, and a custom role whose
 * admin sees only the menus it was granted. Each ends in what the page shows, with a
 * screenshot, no request to another host and no console error.
 */
import crypto from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { type TestPlatform } from '../helpers/platform.js';
import { createAdminAccount } from '../helpers/accounts.js';
import { DEMO_ACCOUNTS, DEMO_UNIT_LIXIA } from '../../src/db/demo-accounts.js';
import { generateIdNumber } from '../../src/domain/identifiers.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { choose, login, menu, newPage, shot, openSuite, closeSuite, queryOf, clean } from './browser.js';

let t: TestPlatform;
let browser: Browser;
beforeAll(async () => { ({ t, browser } = await openSuite()); });
afterAll(() => closeSuite(t, browser));

const account = (role: string) => DEMO_ACCOUNTS.find((a) => a.role.startsWith(role))!;
const q = queryOf(() => t);
async function freshId(): Promise<string> {
  for (;;) {
    const id = generateIdNumber('370102', `1987${String(crypto.randomInt(1, 13)).padStart(2, '0')}1${crypto.randomInt(0, 10)}`, crypto.randomInt(0, 1000));
    if (!(await q('SELECT 1 FROM accounts WHERE id_number = :id', { id })).length) return id;
  }
}
async function topBar(page: Page): Promise<string> {
  return (await page.textContent('[data-testid=user-menu]')) ?? '';
}

describe('log in as each user type', () => {
  it('an HR admin sees the to-do panel and every module of the manual', async () => {
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, account('历下区人社局').idNumber, undefined, 'hr_admin');
    await w.page.waitForSelector('[data-testid=pending-registrations]');
    const m = await menu(w.page);
    expect(Object.keys(m)).toEqual(['本级机构管理', '账户管理', '人员调转', '学时（分）申报', '学时（分）审核', '学时审验', '查询统计', '系统管理']);
    expect(m['人员调转']).toEqual(expect.arrayContaining(['人员调出审核', '人员调入审核']));
    expect(await topBar(w.page)).toContain('历下区人力资源和社会保障局');
    await shot(w.page, 'login-hr-admin');
    clean(w);
    await w.page.close();
  });

  it('a unit admin sees its unit’s menus, not the HR department’s', async () => {
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, account('用人单位').idNumber, undefined, 'unit_admin');
    await w.page.waitForSelector('[data-testid=dashboard]');
    const m = await menu(w.page);
    expect(Object.keys(m)).toEqual(expect.arrayContaining(['本级机构管理', '学时（分）申报', '学时（分）审核']));
    expect(Object.keys(m)).not.toContain('学时审验');
    expect(Object.keys(m)).not.toContain('人员调转');
    // Its own filings are reviewed by the HR department, not by the unit.
    expect(m['学时（分）审核']).toEqual(['学时（分）初审']);
    expect(await topBar(w.page)).toContain(DEMO_UNIT_LIXIA);
    await shot(w.page, 'login-unit-admin');
    clean(w);
    await w.page.close();
  });

  it('a CE base admin sees declaration and plan filing, and no review of others', async () => {
    const [base] = await q<{ name: string }>("SELECT name FROM organisations WHERE kind = 'ce_base' AND status = 'active' ORDER BY id LIMIT 1");
    const a = await createAdminAccount(t.platform.db.owner, base.name, 'Base#Pass2026', { isSuper: true });
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, a.idNumber, 'Base#Pass2026', 'ce_base_admin');
    await w.page.waitForSelector('[data-testid=dashboard]');
    const m = await menu(w.page);
    expect(Object.keys(m)).toContain('学时（分）申报');
    expect(Object.keys(m)).not.toContain('学时审验');
    expect(Object.keys(m)).not.toContain('学时（分）审核');
    expect(await topBar(w.page)).toContain(base.name);
    await shot(w.page, 'login-ce-base-admin');
    clean(w);
    await w.page.close();
  });

  it('a professional person sees its own declarations and information only', async () => {
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, account('专业技术人员').idNumber, undefined, 'person');
    await w.page.waitForSelector('[data-testid=dashboard]');
    const m = await menu(w.page);
    expect(Object.keys(m)).toEqual(['学时（分）申报', '查询统计']);
    expect(await w.page.textContent('[data-testid=dashboard]')).toContain('孙悦，您好！');
    await shot(w.page, 'login-person');
    clean(w);
    await w.page.close();
  });

  it('a wrong user type is refused on the login page, in Chinese', async () => {
    const w = await newPage(browser, t.base);
    await w.page.goto(`${t.base}/admin/login`);
    await w.page.selectOption('#userType', 'person');
    await w.page.fill('#email', account('历下区人社局').idNumber);
    await w.page.fill('#password', 'Demo@2026');
    await w.page.click('button[type=submit]');
    await w.page.waitForSelector('[role=alert]');
    expect(await w.page.textContent('[role=alert]')).toContain('所选用户类型与该账号不符');
    await shot(w.page, 'login-wrong-type');
    clean(w);
    await w.page.close();
  });
});

describe('passwords', () => {
  it('changes the password from the user menu and logs in with the new one', async () => {
    const a = await createAdminAccount(t.platform.db.owner, '济南市人力资源和社会保障局', 'Old#Pass2026');
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, a.idNumber, 'Old#Pass2026');
    await w.page.click('[data-testid=user-menu]');
    await w.page.click('text=修改密码');
    await w.page.waitForURL(`${t.base}/admin/password`);
    await w.page.fill('#oldPassword', 'Old#Pass2026');
    await w.page.fill('#password', 'New#Pass2027');
    await w.page.fill('#confirm', 'New#Pass2027');
    await shot(w.page, 'password-change');
    await w.page.click('button[type=submit]');
    await w.page.waitForSelector('[role=status]');
    expect(await w.page.textContent('[role=status]')).toBe('密码已修改，请使用新密码重新登录');
    await login(w.page, t.base, a.idNumber, 'New#Pass2027');
    await w.page.waitForSelector('[data-testid=dashboard]');
    expect(await topBar(w.page)).toContain('测试管理员');
    clean(w);
    await w.page.close();
  });

  it('recovers a forgotten password with the code from the outbox', async () => {
    const a = await createAdminAccount(t.platform.db.owner, '济南市人力资源和社会保障局', 'Lost#Pass2026');
    const w = await newPage(browser, t.base);
    await w.page.goto(`${t.base}/admin/login`);
    await w.page.click('text=忘记密码？');
    await w.page.fill('#idNumber', a.idNumber);
    await w.page.fill('#contact', a.email);
    await w.page.click('button[type=submit]');
    await w.page.waitForSelector('#code');
    expect(await w.page.textContent('[role=status]')).toContain('验证码已发送');
    const message = t.sent.filter((n) => n.recipient === a.email).at(-1)!;
    const code = /(\d{6})/.exec(message.body)![1];
    await w.page.fill('#code', code);
    await w.page.fill('#password', 'Found#Pass2027');
    await w.page.fill('#confirm', 'Found#Pass2027');
    await shot(w.page, 'password-reset');
    await w.page.click('button[type=submit]');
    await w.page.waitForSelector('[role=status]');
    expect(await w.page.textContent('[role=status]')).toBe('密码已重置，请使用新密码登录');
    expect(await w.page.inputValue('#email')).toBe(a.idNumber);
    await w.page.fill('#password', 'Found#Pass2027');
    await w.page.click('button[type=submit]');
    await w.page.waitForURL(`${t.base}/admin`);
    await w.page.waitForSelector('[data-testid=dashboard]');
    clean(w);
    await w.page.close();
  });
});

describe('admins and roles (unit admin of 历下区第一人民医院)', () => {
  const UNIT_ADMIN = account('用人单位').idNumber;
  const ROLE = `学时初审员${Date.now() % 100000}`;

  async function wizard(page: Page) {
    await page.goto(`${t.base}/admin/resources/admins/actions/addAdmin`);
    await page.waitForSelector('[data-testid=add-admin-wizard]');
  }

  it('creates a role and grants it permissions in the tree', async () => {
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, UNIT_ADMIN, undefined, 'unit_admin');
    // One form (issue 17 item 10): name, description and the permission tree together.
    await w.page.goto(`${t.base}/admin/resources/roles/actions/new`);
    await w.page.waitForSelector('[data-testid=role-form] [data-testid=permission-checklist]');
    await w.page.fill('#role-name', ROLE);
    await w.page.fill('#role-description', '只审核本单位人员的学时（单位初审）');
    await w.page.click('label[for="hours_review.review:view"]');
    await w.page.click('label[for="hours_review.review:decide"]');
    await shot(w.page, 'role-permission-tree');
    await w.page.click('[data-testid=save-role]');
    await w.page.waitForSelector('[data-testid=role-permissions] [data-testid=permission-list]');
    const granted = await q<{ code: string }>('SELECT rp.permission_code code FROM role_permissions rp JOIN roles r ON r.id = rp.role_id WHERE r.name = :n ORDER BY 1', { n: ROLE });
    expect(granted.map((g) => g.code)).toEqual(['hours_review.review:decide', 'hours_review.review:view']);
    clean(w);
    await w.page.close();
  });

  it('adds an admin chosen from the unit’s registered persons (选择成为管理员)', async () => {
    // A person of the unit who has registered an account (the demo persons have none).
    const [c] = await q<{ id: number; name: string; id_number: string }>(
      `SELECT ps.id, ps.name, ps.id_number FROM persons ps JOIN organisations o ON o.id = ps.unit_id
        WHERE o.name = :u AND ps.status = 'active' AND ps.account_id IS NULL ORDER BY ps.id LIMIT 1`, { u: DEMO_UNIT_LIXIA });
    await t.platform.db.owner.query(
      `WITH a AS (INSERT INTO accounts (id_number, name, password_hash) VALUES (:idn, :name, :hash) RETURNING id)
       UPDATE persons SET account_id = (SELECT id FROM a) WHERE id = :id`,
      { replacements: { idn: c.id_number, name: c.name, hash: await hashPassword('Pers#Pass2026'), id: c.id } });
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, UNIT_ADMIN, undefined, 'unit_admin');
    await wizard(w.page);
    await choose(w.page, 'accountId', c.name);
    await shot(w.page, 'admin-wizard-pick');
    await w.page.click('[data-testid=wizard-next]');
    await w.page.waitForSelector('[data-testid=wizard-create]');
    expect(await w.page.textContent('[data-testid=add-admin-wizard]')).toContain(`管理员：${c.name}`);
    await w.page.click('[data-testid=wizard-create]');
    await w.page.waitForSelector('[data-testid=wizard-done]');
    await w.page.click('text=返回管理员列表');
    await w.page.waitForSelector(`table >> text=${c.name}`);
    clean(w);
    await w.page.close();
  });

  it('registers a new admin with the custom role, who then sees only the granted menus (注册成为管理员)', async () => {
    const id = await freshId();
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, UNIT_ADMIN, undefined, 'unit_admin');
    await wizard(w.page);
    await w.page.click('[data-testid=mode-register]');
    await w.page.fill('#idNumber', id);
    await w.page.fill('#password', 'Reg#Pass2026');
    await w.page.fill('#confirm', 'Reg#Pass2026');
    await w.page.fill('#name', '钱晓燕');
    await w.page.fill('#mobile', '13905310077');
    await w.page.fill('#email', `qxy${id.slice(-6)}@example.com`);
    await shot(w.page, 'admin-wizard-register');
    await w.page.click('[data-testid=wizard-next]');
    await w.page.waitForSelector('[data-testid=wizard-create]');
    await w.page.click(`label:has-text("${ROLE}")`);
    await shot(w.page, 'admin-wizard-roles');
    await w.page.click('[data-testid=wizard-create]');
    await w.page.waitForSelector('[data-testid=wizard-done]');
    clean(w);
    await w.page.close();

    const v = await newPage(browser, t.base);
    await login(v.page, t.base, id, 'Reg#Pass2026', 'unit_admin');
    await v.page.waitForSelector('[data-testid=dashboard]');
    const m = await menu(v.page);
    // The granted module, and what every admin has: its organisation's saved reports and its own export notices.
    expect(m).toEqual({ '学时（分）审核': ['学时（分）初审'], '查询统计': ['保存的报表', '导出通知'] });
    expect(await v.page.textContent('[data-testid=dashboard]')).not.toContain('注册审核');
    await shot(v.page, 'admin-custom-role-menu');
    clean(v);
    await v.page.close();
  });

  it('adds an already registered user after checking its password, then assigns the role (添加成为管理员)', async () => {
    const id = await freshId();
    await t.platform.db.owner.query(
      "INSERT INTO accounts (id_number, name, password_hash, email, mobile) VALUES (:id, '孔德明', :hash, :email, '13605310088')",
      { replacements: { id, hash: await hashPassword('Kong#Pass2026'), email: `kdm${id.slice(-6)}@example.com` } });
    const w = await newPage(browser, t.base);
    await login(w.page, t.base, UNIT_ADMIN, undefined, 'unit_admin');
    await wizard(w.page);
    await w.page.click('[data-testid=mode-attach]');
    await w.page.fill('#idNumber', id);
    await w.page.fill('#password', 'Wrong#Pass1');
    await w.page.click('[data-testid=wizard-next]');
    await w.page.waitForSelector('[data-testid=error-password]');
    expect(await w.page.textContent('[data-testid=error-password]')).toBe('身份证号或密码不正确');
    await w.page.fill('#password', 'Kong#Pass2026');
    await w.page.click('[data-testid=wizard-next]');
    await w.page.waitForSelector('[data-testid=wizard-create]');
    await w.page.click('[data-testid=wizard-create]');
    await w.page.waitForSelector('[data-testid=wizard-done]');
    await w.page.click('text=返回管理员列表');
    await w.page.waitForSelector('table >> text=孔德明');
    await shot(w.page, 'admin-list');
    const [{ adminId }] = await q<{ adminId: number }>('SELECT ad.id "adminId" FROM admins ad JOIN accounts a ON a.id = ad.account_id WHERE a.id_number = :id', { id });
    await w.page.goto(`${t.base}/admin/resources/admins/records/${adminId}/assignRoles`);
    await w.page.waitForSelector('[data-testid=assign-roles]');
    expect(await w.page.textContent('[data-testid=assign-roles] h4')).toBe('分配角色：孔德明');
    await w.page.click(`label:has-text("${ROLE}")`);
    await w.page.click('[data-testid=assign-roles] button:has-text("保存")');
    await w.page.waitForSelector('text=角色已保存');
    await shot(w.page, 'admin-assign-roles');
    expect(await q('SELECT 1 FROM admin_roles ar JOIN roles r ON r.id = ar.role_id WHERE ar.admin_id = :adminId AND r.name = :role', { adminId, role: ROLE })).toHaveLength(1);
    clean(w);
    await w.page.close();
  });
});
