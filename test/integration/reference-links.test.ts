/**
 * A reference in a list (a person's unit, a record's decider) reads as the referenced record's
 * title, and links to its page only when the reader may open it (AdminJS's ReferenceValue links
 * when the reference carries a `show` action). Since issue 16 the reference carries that one
 * action and nothing else of its resource: every action of the referenced resource used to be
 * decided and sent with each reference, ~600 of the ~2,500 bytes of each row of a person list.
 * Through the HTTP API, as 历下区's admin, on the run's database.
 */
import { QueryTypes } from 'sequelize';
import { startTestPlatform, loggedIn } from '../helpers/platform.js';

type T = Awaited<ReturnType<typeof startTestPlatform>>;
let t: T;
const COUNTY_ADMIN = '370102198506200033'; // 历下区人社局超级管理员

interface Reference { id: unknown; title: string; params: Record<string, unknown>; populated: object; recordActions: Array<{ name: string }>; bulkActions: unknown[] }
interface ListBody { records: Array<{ params: Record<string, unknown>; populated: Record<string, Reference | null>; recordActions: Array<{ name: string }> }> }

beforeAll(async () => { t = await startTestPlatform(); });
afterAll(async () => { await t.close(); });

describe('references in a list', () => {
  it('a person’s unit: its name, linked exactly when the reader may open its page, and no other action', async () => {
    const c = await loggedIn(t.base, COUNTY_ADMIN);
    const r = await c.json<ListBody>('/admin/api/resources/persons/actions/list?perPage=20&sortBy=name&direction=asc');
    expect(r.status).toBe(200);
    expect(r.body.records.length).toBeGreaterThan(0);
    let linked = 0;
    for (const person of r.body.records) {
      const unit = person.populated.unit_id!;
      const [{ name }] = await t.platform.db.owner.query<{ name: string }>('SELECT name FROM organisations WHERE id = :id',
        { replacements: { id: person.params.unit_id }, type: QueryTypes.SELECT });
      expect(unit).toMatchObject({ title: name, populated: {}, bulkActions: [] });
      const names = unit.recordActions.map((a) => a.name);
      expect([['show'], []]).toContainEqual(names);
      // The link leads to a page the reader may open, and only such a page has one.
      const page = await c.json(`/admin/api/resources/organisations/records/${person.params.unit_id}/show`);
      expect(page.status === 200).toBe(names.length === 1);
      linked += names.length;
      // The row itself keeps its own actions (查看, 编辑 …).
      expect(person.recordActions.map((a) => a.name)).toContain('show');
    }
    expect(linked).toBeGreaterThan(0);
  });

  it('a record the reader may not open (a decider’s account): its name, no link; one it may not read: 「（无权查看）」, not a bare id', async () => {
    const c = await loggedIn(t.base, COUNTY_ADMIN);
    const owner = t.platform.db.owner;
    const [county] = await owner.query<{ path: string }>(
      "SELECT o.path FROM organisations o JOIN admins ad ON ad.organisation_id = o.id JOIN accounts a ON a.id = ad.account_id WHERE a.id_number = :n",
      { replacements: { n: COUNTY_ADMIN }, type: QueryTypes.SELECT });
    // Two approved records of the county: one decided by the county's own admin, one by the province's.
    const deciders = await owner.query<{ id: number; id_number: string; name: string }>(
      "SELECT id, id_number, name FROM accounts WHERE id_number IN (:a, '370000198001010017') ORDER BY id_number DESC", { replacements: { a: COUNTY_ADMIN }, type: QueryTypes.SELECT });
    const marked: number[] = [];
    for (const decider of deciders) {
      const [row] = await owner.query<{ id: string }>(`UPDATE hour_declarations SET decided_by = :by, activity_name = '引用测试' || :by
        WHERE id = (SELECT id FROM hour_declarations WHERE org_path LIKE :p AND status = 'approved' AND activity_name NOT LIKE '引用测试%' ORDER BY id LIMIT 1) RETURNING id::text`,
      { replacements: { by: decider.id, p: `${county.path}%` }, type: QueryTypes.SELECT });
      marked.push(Number(row.id));
    }
    const r = await c.json<ListBody>(`/admin/api/resources/hour_declarations/actions/list?perPage=20&filters.activity_name=${encodeURIComponent('引用测试')}`);
    expect(r.status).toBe(200);
    const byDecider = new Map(r.body.records.map((x) => [String(x.params.decided_by), x.populated.decided_by!]));
    expect(byDecider.size).toBe(2);
    const [own, province] = deciders;
    // The county's own admin: readable, not linkable (accounts have no page for a county admin).
    expect(byDecider.get(String(own.id))).toMatchObject({ title: own.name, recordActions: [] });
    // The province's admin: not readable by the county — neither its name nor a number.
    expect(byDecider.get(String(province.id))).toMatchObject({ title: '（无权查看）', recordActions: [], params: {} });
    expect(JSON.stringify(byDecider.get(String(province.id)))).not.toContain(province.name);
    expect((await c.json(`/admin/api/resources/accounts/records/${own.id}/show`)).status).not.toBe(200);
    await owner.query("UPDATE hour_declarations SET activity_name = '引用还原' WHERE id IN (:ids)", { replacements: { ids: marked } });
  });
});
