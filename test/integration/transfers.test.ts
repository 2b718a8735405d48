/**
 * 人员调转 (4.1.6): a person of a 历下区 unit moves to a 市南区 (青岛) unit only when both the
 * sending and the receiving side approved; the hour history goes with the person.
 */
import { QueryTypes } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';

let t: TestPlatform;
let lixia: Client;
let shinan: Client;
beforeAll(async () => {
  t = await startTestPlatform();
  const admin = (org: string) => DEMO_ACCOUNTS.find((a) => a.organisationName === org && a.isSuper)!.idNumber;
  lixia = await loggedIn(t.base, admin('历下区人力资源和社会保障局'));
  shinan = await loggedIn(t.base, admin('市南区人力资源和社会保障局'));
});
afterAll(async () => { await t.close(); });

async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  return t.platform.db.owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
}
const post = (c: Client, path: string, data: Record<string, unknown> = {}) => c.json<{ notice?: { message: string; type: string }; redirectUrl?: string }>(path, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data),
});
const pathOf = async (name: string) => (await q<{ path: string }>('SELECT path FROM organisations WHERE name = :name', { name }))[0].path;

let used = 0;
/** A 历下 person with hours and no open transfer, and a 市南 unit. */
async function candidates() {
  const lx = await pathOf('历下区人力资源和社会保障局');
  const sn = await pathOf('市南区人力资源和社会保障局');
  const people = await q<{ id: number; name: string }>(`SELECT p.id, p.name FROM persons p WHERE p.org_path LIKE :p AND p.status = 'active'
      AND EXISTS (SELECT 1 FROM hour_declarations h WHERE h.person_id = p.id)
      AND NOT EXISTS (SELECT 1 FROM transfers x WHERE x.person_id = p.id) ORDER BY p.id LIMIT 5`, { p: `${lx}%` });
  const [unit] = await q<{ id: number; name: string; path: string }>("SELECT id, name, path FROM organisations WHERE kind = 'unit' AND status = 'active' AND path LIKE :p ORDER BY id LIMIT 1", { p: `${sn}%` });
  return { person: people[used++], unit, lx, sn };
}

async function requestTransfer(personId: number, unitId: number) {
  const r = await post(lixia, '/admin/api/resources/transfers/actions/transferOut', { personId, toUnitId: unitId, reason: '工作调动' });
  expect(r.body.notice?.type).toBe('success');
  const id = Number(r.body.redirectUrl!.match(/records\/(\d+)/)![1]);
  const tasks = await q<{ id: number; side: string }>("SELECT id, side FROM approval_tasks WHERE request_type = 'transfer' AND request_id = :id", { id });
  return { id, source: tasks.find((x) => x.side === 'source')!.id, target: tasks.find((x) => x.side === 'target')!.id };
}

describe('personnel transfer', () => {
  it('moves the person only after both sides approved, with the hour history', async () => {
    const { person, unit, lx, sn } = await candidates();
    // The destination picker searches units province-wide; the person picker only the own jurisdiction.
    const search = await lixia.json<{ units: Array<{ id: number }>; persons: Array<{ id: number }> }>(
      `/admin/api/resources/transfers/actions/transferOut?person=${encodeURIComponent(person.name)}&unit=${encodeURIComponent(unit.name)}`);
    expect(search.body.units.map((u) => u.id)).toContain(unit.id);
    expect(search.body.persons.map((x) => x.id)).toContain(person.id);
    const tr = await requestTransfer(person.id, unit.id);

    // The receiving side sees its task, not the sender's; the sender cannot decide the receiving task.
    expect((await shinan.json(`/admin/api/resources/transfer_out_reviews/records/${tr.source}/show`)).status).toBe(403);
    expect((await post(lixia, `/admin/api/resources/transfer_in_reviews/records/${tr.target}/approve`)).status).toBe(403);

    await post(lixia, `/admin/api/resources/transfer_out_reviews/records/${tr.source}/approve`);
    expect((await q<{ org_path: string }>('SELECT org_path FROM persons WHERE id = :id', { id: person.id }))[0].org_path.startsWith(lx)).toBe(true);
    const r = await post(shinan, `/admin/api/resources/transfer_in_reviews/records/${tr.target}/approve`);
    expect(r.body.notice?.type).toBe('success');

    const [moved] = await q<{ unit_id: number; org_path: string }>('SELECT unit_id, org_path FROM persons WHERE id = :id', { id: person.id });
    expect(moved).toEqual({ unit_id: unit.id, org_path: unit.path });
    expect((await q<{ status: string }>('SELECT status FROM transfers WHERE id = :id', { id: tr.id }))[0].status).toBe('approved');
    const history = await q<{ org_path: string }>('SELECT DISTINCT org_path FROM hour_declarations WHERE person_id = :id', { id: person.id });
    expect(history).toEqual([{ org_path: unit.path }]);
    // The receiving jurisdiction now sees the person; the sending one no longer does.
    expect((await shinan.json(`/admin/api/resources/persons/records/${person.id}/show`)).status).toBe(200);
    expect((await lixia.json(`/admin/api/resources/persons/records/${person.id}/show`)).status).toBe(403);
    // Both sides keep the transfer record.
    expect((await lixia.json(`/admin/api/resources/transfers/records/${tr.id}/show`)).status).toBe(200);
    expect((await shinan.json(`/admin/api/resources/transfers/records/${tr.id}/show`)).status).toBe(200);
    void sn;
  });

  it('a rejection by the receiving side ends the request; the person stays', async () => {
    const { person, unit } = await candidates();
    const before = (await q<{ unit_id: number }>('SELECT unit_id FROM persons WHERE id = :id', { id: person.id }))[0];
    const tr = await requestTransfer(person.id, unit.id);
    const r = await post(shinan, `/admin/api/resources/transfer_in_reviews/records/${tr.target}/reject`, { reason: '岗位已满' });
    expect(r.body.notice?.type).toBe('success');
    expect((await q<{ status: string }>('SELECT status FROM transfers WHERE id = :id', { id: tr.id }))[0].status).toBe('rejected');
    expect((await q<{ status: string }>('SELECT status FROM approval_tasks WHERE id = :id', { id: tr.source }))[0].status).toBe('withdrawn');
    expect((await q<{ unit_id: number }>('SELECT unit_id FROM persons WHERE id = :id', { id: person.id }))[0]).toEqual(before);
  });

  it('both sides approving at the same moment move the person exactly once', async () => {
    const { person, unit } = await candidates();
    const tr = await requestTransfer(person.id, unit.id);
    const results = await Promise.all([
      post(lixia, `/admin/api/resources/transfer_out_reviews/records/${tr.source}/approve`),
      post(shinan, `/admin/api/resources/transfer_in_reviews/records/${tr.target}/approve`),
    ]);
    expect(results.map((x) => x.body.notice?.type)).toEqual(['success', 'success']);
    expect((await q<{ status: string }>('SELECT status FROM transfers WHERE id = :id', { id: tr.id }))[0].status).toBe('approved');
    expect((await q<{ unit_id: number }>('SELECT unit_id FROM persons WHERE id = :id', { id: person.id }))[0].unit_id).toBe(unit.id);
    expect(await q("SELECT 1 FROM audit_log WHERE resource = 'transfers' AND record_id = :id AND action = 'complete'", { id: String(tr.id) })).toHaveLength(1);
  });

  it('refuses a person outside the jurisdiction, the same unit, and a second open transfer', async () => {
    const sn = await pathOf('市南区人力资源和社会保障局');
    const [foreign] = await q<{ id: number }>('SELECT id FROM persons WHERE org_path LIKE :p LIMIT 1', { p: `${sn}%` });
    const { person, unit } = await candidates();
    // Several at once for one person: one is filed, every other one is a 409 (the unique index decides), never a 500.
    const racer = (await candidates()).person;
    const raced = await Promise.all([1, 2, 3].map(() => post(lixia, '/admin/api/resources/transfers/actions/transferOut', { personId: racer.id, toUnitId: unit.id, reason: '同时提交' })));
    expect(raced.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect(raced.filter((r) => r.status === 409).every((r) => r.body.notice?.message === '该人员已有进行中的调转申请')).toBe(true);
    const outside = await post(lixia, '/admin/api/resources/transfers/actions/transferOut', { personId: foreign.id, toUnitId: unit.id, reason: '调动' });
    expect(outside.body.notice?.message).toBe('请选择本辖区内的专业技术人员');
    const [own] = await q<{ unit_id: number }>('SELECT unit_id FROM persons WHERE id = :id', { id: person.id });
    const same = await post(lixia, '/admin/api/resources/transfers/actions/transferOut', { personId: person.id, toUnitId: own.unit_id, reason: '调动' });
    expect(same.body.notice?.message).toBe('调入单位不能与原单位相同');
    await requestTransfer(person.id, unit.id);
    const twice = await post(lixia, '/admin/api/resources/transfers/actions/transferOut', { personId: person.id, toUnitId: unit.id, reason: '调动' });
    expect(twice.status).toBe(409);
    expect(twice.body.notice?.message).toBe('该人员已有进行中的调转申请');
  });
});
