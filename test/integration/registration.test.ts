/**
 * 注册 → 注册审核 (4.1.3): a unit and a person register on the public page, wait, and can log
 * in once the superior HR department approved them.
 */
import crypto from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { pngOf, registrationForm } from '../helpers/evidence.js';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { generateCreditCode, generateIdNumber } from '../../src/domain/identifiers.js';

let t: TestPlatform;
beforeAll(async () => { t = await startTestPlatform(); });
afterAll(async () => { await t.close(); });

const adminOf = (org: string) => DEMO_ACCOUNTS.find((a) => a.organisationName === org && a.isSuper)!.idNumber;
async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  return t.platform.db.owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
}
const idOf = async (name: string) => (await q<{ id: number }>('SELECT id FROM organisations WHERE name = :name', { name }))[0].id;
const freshId = () => generateIdNumber('370103', `1991${String(crypto.randomInt(1, 13)).padStart(2, '0')}0${crypto.randomInt(1, 10)}`, crypto.randomInt(0, 1000));

describe('public registration', () => {
  it('is a Chinese page outside the login, listing the HR departments to register under', async () => {
    const html = await (await new Client(t.base).get('/register')).text();
    expect(html).toContain('注册类型');
    expect(html).toContain('历下区人力资源和社会保障局');
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
  });

  it('names every bad field and creates nothing', async () => {
    const before = (await q<{ n: string }>('SELECT count(*) n FROM registrations'))[0].n;
    const html = await (await new Client(t.base).postForm('/register', {
      kind: 'unit', superiorId: '', orgName: 'x', creditCode: '91370100MA3C000000', idNumber: '370102199001011013', name: '', mobile: '123', email: 'a@', password: 'abc', confirm: 'abc',
    })).text();
    for (const k of ['superiorId', 'orgName', 'creditCode', 'idNumber', 'name', 'mobile', 'email', 'password']) expect(html).toContain(`data-error="${k}"`);
    expect((await q<{ n: string }>('SELECT count(*) n FROM registrations'))[0].n).toBe(before);
  });

  it('a unit registers under 历下区, waits, and its admin logs in after the approval', async () => {
    const idNumber = freshId();
    const n = crypto.randomInt(1e6);
    const html = await (await new Client(t.base).request('/register', { method: 'POST', body: registrationForm({
      kind: 'unit', superiorId: String(await idOf('历下区人力资源和社会保障局')), orgName: `济南测试科技有限公司${n}`, creditCode: generateCreditCode(8_000_000 + n),
      idNumber, name: '周注册', mobile: '13700001111', email: 'zhou@example.com', password: 'Reg#Pass2026', confirm: 'Reg#Pass2026',
    }, { name: '营业执照.png', bytes: pngOf() }) })).text();
    expect(html).toContain('注册信息已提交');
    expect(await (await new Client(t.base).login(idNumber, 'Reg#Pass2026')).text()).toContain('账号正在审核中');
    const [reg] = await q<{ id: number }>("SELECT r.id FROM registrations r JOIN organisations o ON o.id = r.organisation_id WHERE o.name = :name", { name: `济南测试科技有限公司${n}` });
    // 市中区 does not see it; 历下区 does and approves it.
    expect((await (await loggedIn(t.base, adminOf('市中区人力资源和社会保障局'))).json(`/admin/api/resources/registrations/records/${reg.id}/show`)).status).toBe(403);
    const lixia = await loggedIn(t.base, adminOf('历下区人力资源和社会保障局'));
    await lixia.json(`/admin/api/resources/registrations/records/${reg.id}/approve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const r = await new Client(t.base).login(idNumber, 'Reg#Pass2026', 'unit_admin');
    expect(r.status).toBe(302);
  });

  it('a person registers with a unit and logs in as a professional person after the approval', async () => {
    const idNumber = freshId();
    const [unit] = await q<{ id: number; parent: string }>(`SELECT u.id, s.name parent FROM organisations u JOIN organisations s ON s.id = u.parent_id
      WHERE u.kind = 'unit' AND u.status = 'active' AND s.name = '市中区人力资源和社会保障局' LIMIT 1`);
    await new Client(t.base).postForm('/register', {
      kind: 'person', unitId: String(unit.id), idNumber, name: '吴个人', mobile: '13700002222', email: 'wu@example.com', password: 'Person#2026', confirm: 'Person#2026',
    });
    const [reg] = await q<{ id: number; gender: string }>('SELECT r.id, p.gender FROM registrations r JOIN persons p ON p.id = r.person_id WHERE p.id_number = :idNumber', { idNumber });
    expect(reg.gender).toBe(Number(idNumber[16]) % 2 ? 'M' : 'F');
    const sz = await loggedIn(t.base, adminOf('市中区人力资源和社会保障局'));
    await sz.json(`/admin/api/resources/registrations/records/${reg.id}/approve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const c = new Client(t.base);
    expect((await c.login(idNumber, 'Person#2026', 'person')).status).toBe(302);
    // A person sees only itself.
    const list = await c.json<{ meta: { total: number } }>('/admin/api/resources/persons/actions/list');
    expect(list.body.meta.total).toBe(1);
  });

  it('does not tell whether an ID number is registered: the same answer, nothing created, the owner told', async () => {
    const [unit] = await q<{ id: number }>("SELECT id FROM organisations WHERE kind = 'unit' AND status = 'active' ORDER BY id LIMIT 1");
    const taken = DEMO_ACCOUNTS[0].idNumber;
    const [before] = await q<{ n: string }>('SELECT (SELECT count(*) FROM accounts) + (SELECT count(*) FROM persons) + (SELECT count(*) FROM registrations) n');
    const sentBefore = t.sent.length;
    const form = (idNumber: string) => ({ kind: 'person', unitId: String(unit.id), idNumber, name: '重复', mobile: '13700003333', email: 'dup@example.com', password: 'Person#2026', confirm: 'Person#2026' });
    const answer = async (idNumber: string) => (await (await new Client(t.base).postForm('/register', form(idNumber))).text()).match(/role="status">([^<]*)</)?.[1];
    const forTaken = await answer(taken);
    const [after] = await q<{ n: string }>('SELECT (SELECT count(*) FROM accounts) + (SELECT count(*) FROM persons) + (SELECT count(*) FROM registrations) n');
    expect(after.n).toBe(before.n);
    expect(t.sent.slice(sentBefore).map((n) => n.subject)).toEqual(['注册提醒']);
    // A person of the seed without an account (imported): the same again.
    const [seedPerson] = await q<{ id_number: string }>('SELECT id_number FROM persons WHERE account_id IS NULL LIMIT 1');
    const forPerson = seedPerson ? await answer(seedPerson.id_number) : forTaken;
    const fresh = freshId();
    const forFresh = await answer(fresh);
    expect(forTaken).toBeTruthy();
    expect(forTaken).toBe(forFresh);
    expect(forPerson).toBe(forFresh);
  });
});
