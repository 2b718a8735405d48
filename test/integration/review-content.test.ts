/**
 * What a reviewer reads (issue 17, items 6 and 7), through the real HTTP API: a plan's content
 * (the summary the unit typed) reaches its reviewer, and a unit cannot file a CE base's plan
 * type; a transfer record carries the person's 证件号, 职务系列 and 任职资格, the direction as each
 * side sees it and each side's progress; live and seeded transfers name the same 调出方 reviewer —
 * the HR department in charge of the sending unit.
 */
import { QueryTypes } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS, DEMO_UNIT_LIXIA } from '../../src/db/demo-accounts.js';

let t: TestPlatform;
let lixia: Client;
let shinan: Client;
beforeAll(async () => {
  t = await startTestPlatform();
  lixia = await loggedIn(t.base, admin('历下区人力资源和社会保障局'));
  shinan = await loggedIn(t.base, admin('市南区人力资源和社会保障局'));
});
afterAll(async () => { await t.close(); });

function admin(org: string) { return DEMO_ACCOUNTS.find((a) => a.organisationName === org && a.isSuper)!.idNumber; }
async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  return t.platform.db.owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
}
const post = (c: Client, path: string, data: Record<string, unknown> = {}) => c.json<{ notice?: { type: string; message: string }; redirectUrl?: string; record?: { id: number; errors: Record<string, { message: string }> } }>(path, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data),
});
type Progress = Array<{ side: string; organisation: string; status: string }>;

describe('plans (item 6)', () => {
  it('a unit cannot file a CE base\'s plan type; its plan\'s summary reaches the reviewer', async () => {
    const unit = await loggedIn(t.base, DEMO_ACCOUNTS.find((a) => a.organisationName === DEMO_UNIT_LIXIA && a.kind === 'admin')!.idNumber);
    const form = (fields: Record<string, string>) => { const f = new FormData(); for (const [k, v] of Object.entries(fields)) f.append(k, v); return f; };
    const wrong = await unit.json<{ record: { errors: Record<string, { message: string }> } }>('/admin/api/resources/plan_filings/actions/new',
      { method: 'POST', body: form({ kind: 'annual_plan', year: '2026', title: '2026年度培训计划' }) });
    expect(wrong.body.record.errors.kind.message).toBe('请选择申报类型');
    const summary = `全年计划开展岗位培训 12 期，覆盖 420 人次${Date.now()}`;
    const ok = await unit.json<{ record: { id: number }; notice?: { type: string } }>('/admin/api/resources/plan_filings/actions/new',
      { method: 'POST', body: form({ kind: 'unit_plan', year: '2026', title: '2026年度单位培训计划', summary }) });
    expect(ok.body.notice?.type).toBe('success');
    const shown = await lixia.json<{ record: { params: Record<string, unknown> } }>(`/admin/api/resources/unit_plan_reviews/records/${ok.body.record.id}/show`);
    expect(shown.body.record.params['content.summary']).toBe(summary);
  });
});

describe('transfers (item 7)', () => {
  let id: number;
  let person: { id: number; id_number: string; title_series: string; title: string };
  beforeAll(async () => {
    [person] = await q<{ id: number; id_number: string; title_series: string; title: string }>(`SELECT p.id, p.id_number, p.title_series, p.title FROM persons p
      WHERE p.status = 'active' AND p.title IS NOT NULL AND p.org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局')
        AND NOT EXISTS (SELECT 1 FROM transfers x WHERE x.person_id = p.id) ORDER BY p.id DESC LIMIT 1`);
    const [unit] = await q<{ id: number }>(`SELECT id FROM organisations WHERE kind = 'unit' AND status = 'active'
      AND path LIKE (SELECT path || '%' FROM organisations WHERE name = '市南区人力资源和社会保障局') ORDER BY id LIMIT 1`);
    const r = await post(lixia, '/admin/api/resources/transfers/actions/transferOut', { personId: person.id, toUnitId: unit.id, reason: '工作调动' });
    expect(r.body.notice?.type).toBe('success');
    [{ id }] = await q<{ id: number }>("SELECT id FROM transfers WHERE person_id = :p AND status = 'pending'", { p: person.id });
  });

  it('live and seeded transfers are reviewed by the HR departments in charge of the two units', async () => {
    const tasks = await q<{ request_id: number; side: string; kind: string; name: string; seeded: boolean }>(`SELECT a.request_id, a.side, o.kind, o.name, a.request_id <> :id seeded
      FROM approval_tasks a JOIN organisations o ON o.id = a.organisation_id WHERE a.request_type = 'transfer' ORDER BY a.request_id, a.side`, { id });
    expect(tasks.filter((x) => x.seeded).length).toBeGreaterThan(0);
    for (const x of tasks) expect(['province_hr', 'city_hr', 'county_hr']).toContain(x.kind);
    expect(tasks.filter((x) => x.request_id === id).map((x) => [x.side, x.name])).toEqual([['source', '历下区人力资源和社会保障局'], ['target', '市南区人力资源和社会保障局']]);
  });

  it('each side reads the person\'s ID number, series and title, its own direction and both sides\' progress', async () => {
    type Rec = { id: string; params: Record<string, string> };
    const listOf = async (c: Client) => (await c.json<{ records: Rec[] }>('/admin/api/resources/transfers/actions/list?perPage=50')).body.records.find((r) => String(r.id) === String(id))!;
    const mine = await listOf(lixia);
    expect(mine.params).toMatchObject({ title_series: person.title_series, title: person.title, direction: '调出' });
    expect(mine.params.id_number).toMatch(new RegExp(`^${person.id_number.slice(0, 6)}\\*{8}${person.id_number.slice(-4)}$`));
    expect((JSON.parse(mine.params.progress) as Progress).map((s) => [s.side, s.organisation, s.status]))
      .toEqual([['source', '历下区人力资源和社会保障局', 'pending'], ['target', '市南区人力资源和社会保障局', 'pending']]);
    // The receiving side sees who is coming before the person is in its jurisdiction.
    const theirs = await listOf(shinan);
    expect(theirs.params).toMatchObject({ title_series: person.title_series, title: person.title, direction: '调入' });

    const [source] = await q<{ id: number }>("SELECT id FROM approval_tasks WHERE request_type = 'transfer' AND request_id = :id AND side = 'source'", { id });
    await post(lixia, `/admin/api/resources/transfer_out_reviews/records/${source.id}/approve`);
    const shown = await shinan.json<{ record: { params: Record<string, string> } }>(`/admin/api/resources/transfers/records/${id}/show`);
    expect((JSON.parse(shown.body.record.params.progress) as Progress).map((s) => s.status)).toEqual(['approved', 'pending']);
    const [target] = await q<{ id: number }>("SELECT id FROM approval_tasks WHERE request_type = 'transfer' AND request_id = :id AND side = 'target'", { id });
    const task = await shinan.json<{ record: { params: Record<string, string> } }>(`/admin/api/resources/transfer_in_reviews/records/${target.id}/show`);
    expect(task.body.record.params).toMatchObject({ title_series: person.title_series, title: person.title });
    // The receiving side's review list names who moves, though the person is not in its jurisdiction yet.
    const [{ name }] = await q<{ name: string }>('SELECT name FROM persons WHERE id = :id', { id: person.id });
    const tasks = await shinan.json<{ records: Array<{ id: string; populated: Record<string, { title: string } | null> }> }>('/admin/api/resources/transfer_in_reviews/actions/list?perPage=50');
    expect(tasks.body.records.find((r) => String(r.id) === String(target.id))?.populated.request_id?.title).toMatch(new RegExp(`^${name}（`));
  });

  it('a jurisdiction that is neither side reads nothing of it', async () => {
    const other = await loggedIn(t.base, admin('市中区人力资源和社会保障局'));
    expect((await other.json(`/admin/api/resources/transfers/records/${id}/show`)).status).toBe(403);
  });
});
