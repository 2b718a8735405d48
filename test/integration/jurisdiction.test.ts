/**
 * The product's core promise, as the people who use it would notice it: the 历下区 admin sees
 * nothing of 市中区 anywhere, the 济南市 admin sees both, the 青岛市 admin neither; forged
 * payloads, stale edits and bad fields change nothing; a custom role sees only its module.
 */
import { QueryTypes } from 'sequelize';
import { loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { createAdminAccount } from '../helpers/accounts.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';

let t: TestPlatform;
beforeAll(async () => { t = await startTestPlatform(); });
afterAll(async () => { await t.close(); });

const byRole = (org: string) => DEMO_ACCOUNTS.find((a) => a.organisationName === org && a.kind === 'admin' && a.isSuper)!;
const LIXIA = byRole('历下区人力资源和社会保障局');
const JINAN = byRole('济南市人力资源和社会保障局');
const QINGDAO = byRole('青岛市人力资源和社会保障局');

async function one<T extends object>(sql: string, replacements: Record<string, unknown> = {}): Promise<T> {
  return (await t.platform.db.owner.query<T>(sql, { replacements, type: QueryTypes.SELECT }))[0];
}
const pathOf = async (name: string) => (await one<{ path: string }>('SELECT path FROM organisations WHERE name = :name', { name })).path;
const countUnder = async (table: string, path: string) => Number((await one<{ n: string }>(`SELECT count(*) n FROM ${table} WHERE org_path LIKE :p`, { p: `${path}%` })).n);

type ListBody = { meta: { total: number }; records: Array<{ id: number; params: Record<string, unknown> }> };

describe('who sees what', () => {
  it('counts only the persons of the own jurisdiction: 历下 < 济南, 青岛 sees no 济南 person', async () => {
    const lixia = await pathOf('历下区人力资源和社会保障局');
    const shizhong = await pathOf('市中区人力资源和社会保障局');
    const jinan = await pathOf('济南市人力资源和社会保障局');
    const list = async (who: string) => (await (await loggedIn(t.base, who)).json<ListBody>('/admin/api/resources/persons/actions/list')).body.meta.total;
    // The list opens on 在册 (active) persons, whom the statistics count (issue 17 item 8); 全部状态 shows everyone.
    const active = async (path: string) => Number((await one<{ n: string }>("SELECT count(*) n FROM persons WHERE status = 'active' AND org_path LIKE :p", { p: `${path}%` })).n);
    expect(await list(LIXIA.idNumber)).toBe(await active(lixia));
    expect(await list(JINAN.idNumber)).toBe(await active(jinan));
    const everyone = async (who: string) => (await (await loggedIn(t.base, who)).json<ListBody>('/admin/api/resources/persons/actions/list?filters.status=any')).body.meta.total;
    expect(await everyone(LIXIA.idNumber)).toBe(await countUnder('persons', lixia));
    expect(await countUnder('persons', shizhong)).toBeGreaterThan(0);
    expect(await everyone(JINAN.idNumber)).toBeGreaterThanOrEqual(await countUnder('persons', lixia) + await countUnder('persons', shizhong));
    // Judged by where the persons are now (an ID number's region is the birthplace, not the jurisdiction).
    const qingdao = await (await loggedIn(t.base, QINGDAO.idNumber)).json<ListBody>(`/admin/api/resources/persons/actions/list?perPage=500`);
    const ids = qingdao.body.records.map((r) => r.id);
    const paths = await t.platform.db.owner.query<{ org_path: string }>('SELECT org_path FROM persons WHERE id IN (:ids)', { replacements: { ids }, type: QueryTypes.SELECT });
    const qingdaoPath = await pathOf('青岛市人力资源和社会保障局');
    expect(paths.length).toBe(ids.length);
    expect(paths.every((x) => x.org_path.startsWith(qingdaoPath))).toBe(true);
  });

  it('never offers a 市中区 person in the 历下区 admin’s pickers, even searched by name', async () => {
    const shizhong = await pathOf('市中区人力资源和社会保障局');
    const victim = await one<{ name: string }>('SELECT name FROM persons WHERE org_path LIKE :p ORDER BY id LIMIT 1', { p: `${shizhong}%` });
    const c = await loggedIn(t.base, LIXIA.idNumber);
    const r = await c.json<{ records: Array<{ params: { org_path?: string; id: number } }> }>(`/admin/api/resources/persons/actions/search/${encodeURIComponent(victim.name)}`);
    const ids = r.body.records.map((x) => x.params.id);
    if (ids.length) {
      const rows = await t.platform.db.owner.query<{ org_path: string }>('SELECT org_path FROM persons WHERE id IN (:ids)', { replacements: { ids }, type: QueryTypes.SELECT });
      expect(rows.every((x) => x.org_path.startsWith(shizhong))).toBe(false);
      expect(rows.some((x) => x.org_path.startsWith(shizhong))).toBe(false);
    }
  });

  it('refuses a forged filter on a column the role may not filter by', async () => {
    const c = await loggedIn(t.base, LIXIA.idNumber);
    const r = await c.json<{ records: unknown[]; notice?: { message: string } }>('/admin/api/resources/persons/actions/list?filters.org_path=/1/');
    expect(r.body.records).toEqual([]);
    expect(r.body.notice?.message).toContain('不允许按');
  });

  it('masks ID numbers in lists and shows them whole on the detail view', async () => {
    const c = await loggedIn(t.base, LIXIA.idNumber);
    const list = await c.json<ListBody>('/admin/api/resources/persons/actions/list?perPage=5');
    for (const r of list.body.records) {
      expect(String(r.params.id_number)).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      if (r.params.mobile) expect(String(r.params.mobile)).toMatch(/^\d{3}\*{4}\d{4}$/);
    }
    const shown = await c.json<{ record: { params: { id_number: string } } }>(`/admin/api/resources/persons/records/${list.body.records[0].id}/show`);
    expect(shown.body.record.params.id_number).toMatch(/^\d{17}[\dX]$/);
  });

  it('records refused attempts in the audit log', async () => {
    const shizhong = await pathOf('市中区人力资源和社会保障局');
    const victim = await one<{ id: number }>('SELECT id FROM persons WHERE org_path LIKE :p ORDER BY id LIMIT 1', { p: `${shizhong}%` });
    const c = await loggedIn(t.base, LIXIA.idNumber);
    expect((await c.json(`/admin/api/resources/persons/records/${victim.id}/show`)).status).toBe(403);
    const row = await one<{ outcome: string; actor_name: string }>(
      "SELECT outcome, actor_name FROM audit_log WHERE resource = 'persons' AND record_id = :id AND action = 'show' ORDER BY id DESC LIMIT 1", { id: String(victim.id) });
    expect(row).toEqual({ outcome: 'refused', actor_name: LIXIA.name });
  });
});

describe('edits', () => {
  async function insidePerson() {
    const lixia = await pathOf('历下区人力资源和社会保障局');
    return one<{ id: number; version: number; status: string; org_path: string; unit_id: number; mobile: string | null }>(
      'SELECT id, version, status, org_path, unit_id, mobile FROM persons WHERE org_path LIKE :p ORDER BY id DESC LIMIT 1', { p: `${lixia}%` });
  }
  const edit = (c: Awaited<ReturnType<typeof loggedIn>>, id: number, fields: Record<string, string>) =>
    c.json<{ record: { errors: Record<string, { message: string }>; params: Record<string, unknown> }; notice?: { message: string; type: string } }>(
      `/admin/api/resources/persons/records/${id}/edit`,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

  it('ignores forged fields (status, organisation, path) and saves the permitted ones', async () => {
    const before = await insidePerson();
    const c = await loggedIn(t.base, LIXIA.idNumber);
    const r = await edit(c, before.id, { mobile: '13800138000', status: 'disabled', org_path: '/1/', unit_id: '1', version: String(before.version) });
    expect(r.status).toBe(200);
    const after = await one<typeof before>('SELECT id, version, status, org_path, unit_id, mobile FROM persons WHERE id = :id', { id: before.id });
    expect(after).toEqual({ ...before, mobile: '13800138000', version: before.version + 1 });
  });

  it('refuses an invalid mobile with a Chinese message on the field and saves nothing', async () => {
    const before = await insidePerson();
    const c = await loggedIn(t.base, LIXIA.idNumber);
    const r = await edit(c, before.id, { mobile: '12345', version: String(before.version) });
    expect(r.body.record.errors.mobile.message).toBe('手机号码格式不正确');
    expect(await insidePerson()).toEqual(before);
  });

  it('refuses a stale edit: "modified by someone else", nothing overwritten', async () => {
    const before = await insidePerson();
    const c = await loggedIn(t.base, LIXIA.idNumber);
    await edit(c, before.id, { mobile: '13900139000', version: String(before.version) });
    const r = await edit(c, before.id, { mobile: '13700137000', version: String(before.version) });
    expect(r.body.notice?.message ?? JSON.stringify(r.body)).toContain('已被他人修改');
    expect((await insidePerson()).mobile).toBe('13900139000');
  });

  it('never deletes the organisation’s super admin', async () => {
    const c = await loggedIn(t.base, JINAN.idNumber);
    const admin = await one<{ id: number }>(`SELECT ad.id FROM admins ad JOIN accounts a ON a.id = ad.account_id WHERE a.id_number = :n`, { n: JINAN.idNumber });
    const r = await c.json<{ notice?: { message: string } }>(`/admin/api/resources/admins/records/${admin.id}/delete`, { method: 'POST' });
    expect(r.body.notice?.message).toContain('不能删除机构的超级管理员');
    expect(await one('SELECT id FROM admins WHERE id = :id', { id: admin.id })).toBeDefined();
  });
});

describe('a custom role limited to 学时审核', () => {
  it('opens only the hour review module', async () => {
    const sequelize = t.platform.db.owner;
    const a = await createAdminAccount(sequelize, '济南市人力资源和社会保障局', 'Review#Pass2026');
    const role = await one<{ id: number }>(`INSERT INTO roles (organisation_id, org_path, name)
      SELECT id, path, '学时审核员' || :n FROM organisations WHERE name = '济南市人力资源和社会保障局' RETURNING id`, { n: a.accountId });
    await sequelize.query(`INSERT INTO role_permissions (role_id, permission_code) VALUES (:r, 'hours_review.review:view'), (:r, 'hours_review.review:decide')`, { replacements: { r: role.id } });
    await sequelize.query('INSERT INTO admin_roles (admin_id, role_id) SELECT id, :r FROM admins WHERE account_id = :a', { replacements: { r: role.id, a: a.accountId } });
    const c = await loggedIn(t.base, a.idNumber, 'Review#Pass2026');
    const html = await (await c.get('/admin')).text();
    const state = JSON.parse(html.match(/window\.REDUX_STATE = (\{.*?\});\n/s)![1]) as { resources: Array<{ id: string; href: string | null; navigation: { show: boolean } | null }> };
    const offered = state.resources.filter((r) => r.href && r.navigation?.show !== false).map((r) => r.id);
    // The lists of the 学时（分）审核 module (manual 4.3), and what every admin has: the reports its
    // organisation saved and its own export notices.
    expect(offered.sort()).toEqual(['hour_reviews', 'ce_base_hour_reviews', 'unit_plan_reviews', 'unit_hours_reviews', 'saved_reports', 'export_notices'].sort());
    expect((await c.json('/admin/api/resources/persons/actions/list')).body).toMatchObject({ records: [] });
    expect((await c.json<ListBody>('/admin/api/resources/hour_reviews/actions/list')).body.meta.total).toBeGreaterThan(0);
  });
});

describe('basic information of the own organisation (4.1.1.1)', () => {
  it('refuses an invalid credit code and saves a valid one', async () => {
    const c = await loggedIn(t.base, LIXIA.idNumber);
    const org = await one<{ id: number; credit_code: string; version: number }>("SELECT id, credit_code, version FROM organisations WHERE name = '历下区人力资源和社会保障局'");
    const post = (fields: Record<string, string>) => c.json<{ record: { errors: Record<string, { message: string }> } }>(
      `/admin/api/resources/my_organisation/records/${org.id}/edit`,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    const bad = await post({ credit_code: '91370102MA3C000031', version: String(org.version) });
    expect(bad.body.record.errors.credit_code.message).toBe('统一社会信用代码校验位不正确');
    expect((await one<{ credit_code: string }>('SELECT credit_code FROM organisations WHERE id = :id', { id: org.id })).credit_code).toBe(org.credit_code);
    const { generateCreditCode } = await import('../../src/domain/identifiers.js');
    const good = generateCreditCode(9_000_000 + org.id);
    await post({ credit_code: good.toLowerCase(), version: String(org.version) });
    expect((await one<{ credit_code: string }>('SELECT credit_code FROM organisations WHERE id = :id', { id: org.id })).credit_code).toBe(good);
  });
});

describe('the to-do panel', () => {
  it('counts pending items of the own jurisdiction only', async () => {
    const dashboard = async (who: string) => (await (await loggedIn(t.base, who)).json<{ todos: Array<{ resourceId: string; count: number }> }>('/admin/api/dashboard')).body.todos;
    const pendingHours = async (path: string) => Number((await one<{ n: string }>(
      "SELECT count(*) n FROM hour_declarations WHERE status = 'pending' AND channel <> 'ce_base' AND org_path LIKE :p", { p: `${path}%` })).n);
    for (const [who, org] of [[LIXIA, '历下区人力资源和社会保障局'], [JINAN, '济南市人力资源和社会保障局'], [QINGDAO, '青岛市人力资源和社会保障局']] as const) {
      const todos = await dashboard(who.idNumber);
      expect(todos.find((x) => x.resourceId === 'hour_reviews')?.count).toBe(await pendingHours(await pathOf(org)));
    }
  });
});

describe('masked values in an edit form', () => {
  it('a mobile sent back masked is left unchanged, not refused', async () => {
    const lixia = await pathOf('历下区人力资源和社会保障局');
    const p = await one<{ id: number; version: number; mobile: string }>("SELECT id, version, mobile FROM persons WHERE org_path LIKE :p AND mobile IS NOT NULL ORDER BY id LIMIT 1", { p: `${lixia}%` });
    const c = await loggedIn(t.base, LIXIA.idNumber);
    const r = await c.json<{ record: { errors: Record<string, unknown> } }>(`/admin/api/resources/persons/records/${p.id}/edit`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ mobile: `${p.mobile.slice(0, 3)}****${p.mobile.slice(7)}`, email: 'masked@example.com', version: String(p.version) }).toString() });
    expect(r.body.record.errors).toEqual({});
    expect(await one('SELECT mobile, email FROM persons WHERE id = :id', { id: p.id })).toEqual({ mobile: p.mobile, email: 'masked@example.com' });
  });
});
