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
  it('a unit in the reader’s jurisdiction: its name, linked to its page, and no other action', async () => {
    const c = await loggedIn(t.base, COUNTY_ADMIN);
    const r = await c.json<ListBody>('/admin/api/resources/persons/actions/list?perPage=20&sortBy=name&direction=asc');
    expect(r.status).toBe(200);
    expect(r.body.records.length).toBeGreaterThan(0);
    for (const person of r.body.records) {
      const unit = person.populated.unit_id!;
      const [{ name }] = await t.platform.db.owner.query<{ name: string }>('SELECT name FROM organisations WHERE id = :id',
        { replacements: { id: person.params.unit_id }, type: QueryTypes.SELECT });
      expect(unit).toMatchObject({ title: name, populated: {}, bulkActions: [] });
      expect(unit.recordActions.map((a) => a.name)).toEqual(['show']);
      // The row itself keeps its own actions (查看, 编辑 …).
      expect(person.recordActions.map((a) => a.name)).toContain('show');
    }
    // The link leads to a page the reader may open.
    const unitId = r.body.records[0].params.unit_id;
    expect((await c.json(`/admin/api/resources/organisations/records/${unitId}/show`)).status).toBe(200);
  });

  it('a record the reader may not open (a decider’s account): its name, no link', async () => {
    const c = await loggedIn(t.base, COUNTY_ADMIN);
    const r = await c.json<ListBody>('/admin/api/resources/hour_declarations/actions/list?perPage=50&filters.status=approved');
    expect(r.status).toBe(200);
    const decided = r.body.records.filter((x) => x.populated.decided_by);
    expect(decided.length).toBeGreaterThan(0);
    for (const record of decided) {
      const decider = record.populated.decided_by!;
      expect(decider.title).not.toBe('');
      expect(decider.recordActions).toEqual([]);
    }
    const deciderId = decided[0].params.decided_by;
    expect((await c.json(`/admin/api/resources/accounts/records/${deciderId}/show`)).status).not.toBe(200);
  });
});
