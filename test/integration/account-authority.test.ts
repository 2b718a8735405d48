/**
 * Authority over accounts (issue 14, item 1): an account holds roles — admin seats, a person in
 * a unit — and acting on it needs authority over every one of them. The outside review took
 * over the province's super admin from a county: an import linked the super admin's account to
 * a new person of the county, and 重置密码 on that person returned a password for it. Every
 * path that touches an account is tried here with an account that also holds a role outside
 * (or above) the actor's jurisdiction: nothing is linked, no password changes, no seat is made,
 * no session ends — and the database itself refuses what a forgetful code path would try.
 */
import ExcelJS from 'exceljs';
import { QueryTypes, type Sequelize } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/db/demo-accounts.js';
import { generateIdNumber } from '../../src/domain/identifiers.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { loadPrincipal } from '../../src/access/principal.js';
import { runAs } from '../../src/access/context.js';
import { ACCOUNT_ELSEWHERE } from '../../src/access/accounts.js';

let t: TestPlatform;
let owner: Sequelize;
const q = <T extends object>(sql: string, r: Record<string, unknown> = {}) => owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
const demo = (org: string) => DEMO_ACCOUNTS.find((a) => a.organisationName === org && a.isSuper)!;
const PROVINCE = demo('山东省人力资源和社会保障厅');
const QINGDAO = demo('青岛市人力资源和社会保障局');
const JINAN = demo('济南市人力资源和社会保障局');
const LIXIA = demo('历下区人力资源和社会保障局');
const LIXIA_PATH = "(SELECT path FROM organisations WHERE name = '历下区人力资源和社会保障局')";
const SHINAN_PATH = "(SELECT path FROM organisations WHERE name = '市南区人力资源和社会保障局')";

let lixia: Client;
let n = 0;
async function freshId(): Promise<string> {
  for (;;) {
    const id = generateIdNumber('370102', `1979${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}`, (Date.now() + n++) % 1000);
    if (!(await q('SELECT 1 FROM accounts WHERE id_number = :id UNION ALL SELECT 1 FROM persons WHERE id_number = :id', { id })).length) return id;
  }
}
async function accountOf(idNumber: string) {
  const [a] = await q<{ id: number; password_hash: string; version: number }>('SELECT id, password_hash, version FROM accounts WHERE id_number = :n', { n: idNumber });
  return a;
}
async function unitIn(path: string) {
  const [u] = await q<{ id: number; path: string; credit_code: string }>(
    `SELECT id, path, credit_code FROM organisations WHERE kind = 'unit' AND status = 'active' AND credit_code IS NOT NULL AND path LIKE ${path} || '%' ORDER BY id LIMIT 1`);
  return u;
}
/** A person record in `unit`, linked to `accountId` (or unlinked), as the data may legitimately hold it. */
async function personIn(unit: { id: number; path: string }, idNumber: string, accountId: number | null, name = '双重身份') {
  const [p] = await q<{ id: number }>(
    `INSERT INTO persons (id_number, name, gender, birth_date, unit_id, org_path, account_id)
     VALUES (:idNumber, :name, 'M', '1979-01-01', :unit, :path, :accountId) RETURNING id`, { idNumber, name, unit: unit.id, path: unit.path, accountId });
  return p.id;
}
/** An account that is an admin of `organisation` (seat) — and maybe more, added by the caller. */
async function seatAt(organisation: string, password: string, isSuper = false) {
  const idNumber = await freshId();
  const [a] = await q<{ id: number }>(`INSERT INTO accounts (id_number, name, password_hash) VALUES (:idNumber, '双重身份', :hash) RETURNING id`,
    { idNumber, hash: await hashPassword(password) });
  await owner.query(`INSERT INTO admins (account_id, organisation_id, org_path, is_super) SELECT :a, id, path, :s FROM organisations WHERE name = :o`,
    { replacements: { a: a.id, o: organisation, s: isSuper } });
  return { idNumber, accountId: a.id };
}

beforeAll(async () => {
  t = await startTestPlatform();
  owner = t.platform.db.owner;
  lixia = await loggedIn(t.base, LIXIA.idNumber);
});
afterAll(async () => { await t.close(); });

describe('批量导入学员 never links an account the importer has no authority over', () => {
  async function importRows(rows: Array<[name: string, idNumber: string]>) {
    const unit = await unitIn(LIXIA_PATH);
    const template = new ExcelJS.Workbook();
    await template.xlsx.load(await (await lixia.request('/admin/files/templates/persons')).arrayBuffer());
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('学员');
    ws.addRow((template.worksheets[0].getRow(1).values as string[]).slice(1));
    for (const [name, idNumber] of rows) ws.addRow([name, idNumber, unit.credit_code, '工程技术', '中级', '工程师', '大学本科', '', '']);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(Buffer.from(await wb.xlsx.writeBuffer()))]), '学员.xlsx');
    const up = await lixia.json<{ jobId: number }>('/admin/api/resources/persons/actions/importPersons', { method: 'POST', body: form });
    for (;;) {
      const r = await lixia.json<{ job: { status: string; committed_rows: number; error_rows: number } }>(`/admin/api/resources/persons/actions/importPersons?jobId=${up.body.jobId}`);
      if (['succeeded', 'failed'].includes(r.body.job.status)) {
        const report = new ExcelJS.Workbook();
        const file = await lixia.request(`/admin/files/import-jobs/${up.body.jobId}`);
        const reasons = new Map<string, string>();
        if (file.status === 200) {
          await report.xlsx.load(await file.arrayBuffer());
          report.worksheets[0].eachRow((row, i) => { if (i > 1) reasons.set(String(row.getCell(3).value), String(row.getCell(11).value)); });
        }
        return { job: r.body.job, reasons };
      }
      await new Promise((res) => setTimeout(res, 50));
    }
  }

  it('the review’s reproduction: the province’s and Qingdao’s super admins, the Jinan admin — refused, neutrally; an admin below the county is linked', async () => {
    const before = await Promise.all([PROVINCE, QINGDAO, JINAN].map((a) => accountOf(a.idNumber)));
    // A unit admin inside 历下 may become one of its persons too: the county has authority over that seat.
    const inside = await seatAt((await q<{ name: string }>(`SELECT name FROM organisations WHERE kind = 'unit' AND path LIKE ${LIXIA_PATH} || '%' ORDER BY id LIMIT 1`))[0].name, 'Inside#2026x');
    const { job, reasons } = await importRows([['张伟', PROVINCE.idNumber], ['陈刚', QINGDAO.idNumber], ['李娜', JINAN.idNumber], ['单位管理员', inside.idNumber]]);
    expect(job).toMatchObject({ status: 'succeeded', committed_rows: 1, error_rows: 3 });
    for (const a of [PROVINCE, QINGDAO, JINAN]) expect(reasons.get(a.idNumber)).toBe(ACCOUNT_ELSEWHERE);
    for (const a of [PROVINCE, QINGDAO, JINAN]) expect(await q('SELECT 1 FROM persons WHERE id_number = :n', { n: a.idNumber })).toEqual([]);
    expect(await Promise.all([PROVINCE, QINGDAO, JINAN].map((a) => accountOf(a.idNumber)))).toEqual(before);
    const [linked] = await q<{ account_id: number }>('SELECT account_id FROM persons WHERE id_number = :n', { n: inside.idNumber });
    expect(linked.account_id).toBe(inside.accountId);
  });

  it('a person already registered elsewhere gets the same neutral answer as an account it may not touch', async () => {
    const [elsewhere] = await q<{ id_number: string }>(`SELECT id_number FROM persons WHERE org_path LIKE ${SHINAN_PATH} || '%' LIMIT 1`);
    const { reasons } = await importRows([['某人', elsewhere.id_number]]);
    expect(reasons.get(elsewhere.id_number)).toBe(ACCOUNT_ELSEWHERE);
  });
});

describe('重置密码', () => {
  const reset = (personId: number) => lixia.json<{ oneTimePassword?: string; notice?: { message: string } }>(
    `/admin/api/resources/persons/records/${personId}/resetPassword`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

  it('refuses a person whose account is also an admin above the county, and changes nothing', async () => {
    const city = await seatAt('济南市人力资源和社会保障局', 'City#Pass2026');
    const personId = await personIn(await unitIn(LIXIA_PATH), city.idNumber, city.accountId);
    const before = await accountOf(city.idNumber);
    const r = await reset(personId);
    expect(r.body.oneTimePassword).toBeUndefined();
    expect(r.body.notice?.message).toMatch(/管辖范围之外机构的管理员/);
    expect(await accountOf(city.idNumber)).toEqual(before);
    expect((await t.platform.db.owner.query("SELECT 1 FROM audit_log WHERE action = 'reset_password' AND record_id = :id", { replacements: { id: String(personId) }, type: QueryTypes.SELECT })).length).toBe(0);
  });

  it('refuses a person not yet linked whose ID number is the province super admin’s account (as the forged import left it)', async () => {
    const personId = await personIn(await unitIn(LIXIA_PATH), PROVINCE.idNumber, null, '张伟');
    try {
      const before = await accountOf(PROVINCE.idNumber);
      const r = await reset(personId);
      expect(r.body.oneTimePassword).toBeUndefined();
      expect(r.body.notice?.message).toMatch(/管理员/);
      expect(await accountOf(PROVINCE.idNumber)).toEqual(before);
      const [after] = await q<{ account_id: number | null }>('SELECT account_id FROM persons WHERE id = :id', { id: personId });
      expect(after.account_id).toBeNull();
    } finally {
      await owner.query('DELETE FROM persons WHERE id = :id', { replacements: { id: personId } });
    }
  });

  it('refuses a person whose account is also a person in another county', async () => {
    const idNumber = await freshId();
    const [a] = await q<{ id: number }>("INSERT INTO accounts (id_number, name, password_hash) VALUES (:n, '两地', 'x') RETURNING id", { n: idNumber });
    await personIn(await unitIn(SHINAN_PATH), idNumber, a.id);
    // The same account cannot be a second person (one person per ID number): a seat in 历下 stands in for the second role.
    const seatOrg = (await q<{ name: string }>(`SELECT name FROM organisations WHERE kind = 'unit' AND path LIKE ${LIXIA_PATH} || '%' ORDER BY id LIMIT 1`))[0].name;
    await owner.query('INSERT INTO admins (account_id, organisation_id, org_path) SELECT :a, id, path FROM organisations WHERE name = :o', { replacements: { a: a.id, o: seatOrg } });
    const lixiaPrincipal = (await loadPrincipal(owner, (await accountOf(LIXIA.idNumber)).id, 'admin'))!;
    const [{ why }] = await runAs(lixiaPrincipal, () => t.platform.db.sequelize.query<{ why: string }>('SELECT ce_account_refusal(:a) why', { replacements: { a: a.id }, type: QueryTypes.SELECT }));
    expect(why).toBe('person_outside');
  });
});

describe('新增管理员（添加成为管理员，已是本系统用户）', () => {
  it('with the right password, refuses an account that is a person of another county; no seat is made', async () => {
    const idNumber = await freshId();
    const [a] = await q<{ id: number }>("INSERT INTO accounts (id_number, name, password_hash) VALUES (:n, '外区人员', :h) RETURNING id", { n: idNumber, h: await hashPassword('Right#Pass2026') });
    await personIn(await unitIn(SHINAN_PATH), idNumber, a.id, '外区人员');
    const attach = (password: string) => lixia.json<{ errors?: Record<string, string>; adminId?: number }>('/admin/api/resources/admins/actions/addAdmin',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'attach', idNumber, password }) });
    const wrong = await attach('Wrong#Pass2026');
    expect(wrong.body.errors?.password).toBe('身份证号或密码不正确');
    const right = await attach('Right#Pass2026');
    expect(right.body.adminId).toBeUndefined();
    expect(right.body.errors?.idNumber).toMatch(/管辖范围之外的专业技术人员/);
    expect(await q('SELECT 1 FROM admins WHERE account_id = :a', { a: a.id })).toEqual([]);
  });

  it('cannot attach the province super admin with its password: it is an admin already, and above', async () => {
    const r = await lixia.json<{ errors?: Record<string, string>; adminId?: number }>('/admin/api/resources/admins/actions/addAdmin',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'attach', idNumber: PROVINCE.idNumber, password: DEMO_PASSWORD }) });
    expect(r.body.adminId).toBeUndefined();
    expect(Object.keys(r.body.errors ?? {})).not.toEqual([]);
  });
});

describe('设为超级管理员 and 在线会话', () => {
  it('a county super admin can neither hand its office to, nor end the session of, an admin who is also a person of another county', async () => {
    const clerk = await seatAt('历下区人力资源和社会保障局', 'Clerk#Pass2026');
    await personIn(await unitIn(SHINAN_PATH), clerk.idNumber, clerk.accountId);
    const [seat] = await q<{ id: number }>('SELECT id FROM admins WHERE account_id = :a', { a: clerk.accountId });
    const r = await lixia.json<{ notice?: { message: string } }>(`/admin/api/resources/admins/records/${seat.id}/setSuperAdmin`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(r.body.notice?.message).toMatch(/管辖范围之外的专业技术人员/);
    expect((await q<{ is_super: boolean }>('SELECT is_super FROM admins WHERE id = :id', { id: seat.id }))[0].is_super).toBe(false);

    const c = new Client(t.base);
    await c.login(clerk.idNumber, 'Clerk#Pass2026', 'hr_admin');
    expect((await c.json('/admin/api/dashboard')).status).toBe(200);
    const list = await lixia.json<{ records: Array<{ id: string; params: { account_id: number } }> }>('/admin/api/resources/sessions/actions/list?perPage=200');
    const session = list.body.records.find((x) => x.params.account_id === clerk.accountId);
    if (session) {
      const d = await lixia.json(`/admin/api/resources/sessions/records/${encodeURIComponent(session.id)}/delete`, { method: 'POST' });
      expect(d.status).not.toBe(500);
    }
    // Whatever the panel offered, the session is still there and still works.
    expect((await c.json('/admin/api/dashboard')).status).toBe(200);
  });
});

describe('the database refuses a link the code forgot to check', () => {
  it('in a county admin’s context, linking a county person to the province super admin’s account fails with 42501', async () => {
    const personId = await personIn(await unitIn(LIXIA_PATH), await freshId(), null);
    const lixiaPrincipal = (await loadPrincipal(owner, (await accountOf(LIXIA.idNumber)).id, 'admin'))!;
    const province = await accountOf(PROVINCE.idNumber);
    await expect(runAs(lixiaPrincipal, () => t.platform.db.sequelize.query('UPDATE persons SET account_id = :a WHERE id = :p',
      { replacements: { a: province.id, p: personId } }))).rejects.toMatchObject({ original: { code: '42501' } });
    await expect(runAs(lixiaPrincipal, () => t.platform.db.sequelize.query(
      'INSERT INTO admins (account_id, organisation_id, org_path) SELECT :a, id, path FROM organisations WHERE id = :o',
      { replacements: { a: province.id, o: lixiaPrincipal.organisationId } }))).rejects.toMatchObject({ original: { code: '42501' } });
    // And an UPDATE of that account's password in the county's context changes no row.
    const [, meta] = await runAs(lixiaPrincipal, () => t.platform.db.sequelize.query("UPDATE accounts SET password_hash = 'x' WHERE id = :a",
      { replacements: { a: province.id } })) as unknown as [unknown, { rowCount: number }];
    expect(meta.rowCount).toBe(0);
    expect((await accountOf(PROVINCE.idNumber)).password_hash).toBe(province.password_hash);
  });
});
