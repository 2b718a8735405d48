/**
 * Paging a county's person list by name shows every person once, in order, across the page
 * from which the list reads its keys first (persons: OFFSET 100, page 6 of 20 — issue 16; the
 * rows of a page are then read by id, and must come back in the keys' order). Names repeat
 * (the id breaks the tie) and one person leaves the 在册 list, so neither the sort nor the
 * default filter may be lost on the way. Through the HTTP API, in a county of this file's own.
 */
import { QueryTypes } from 'sequelize';
const { startTestPlatform, loggedIn } = await import('../helpers/platform.js');
const { createSandbox } = await import('../helpers/adversarial.js');

type T = Awaited<ReturnType<typeof startTestPlatform>>;
let t: T;
const PASSWORD = 'Pg#Pass2026';

beforeAll(async () => { t = await startTestPlatform(); });
afterAll(async () => { await t.close(); });

it('pages 1–8 of 150 persons by name, both directions: each 在册 person once, in name and id order', async () => {
  const box = await createSandbox(t.platform.db.owner, '分页顺序测试', 150, PASSWORD);
  const owner = t.platform.db.owner;
  // Repeated names: 30 persons share each of 5 names, in an order unlike their ids.
  await owner.query("UPDATE persons SET name = '同名' || ((id * 7) % 5) WHERE unit_id = :unit", { replacements: { unit: box.unitId } });
  await owner.query("UPDATE persons SET status = 'disabled' WHERE id = :id", { replacements: { id: box.persons[77].id } });
  const c = await loggedIn(t.base, box.admin.idNumber, PASSWORD);
  for (const direction of ['asc', 'desc'] as const) {
    const expected = (await owner.query<{ id: number }>(
      `SELECT id FROM persons WHERE unit_id = :unit AND status = 'active' ORDER BY name ${direction}, id ${direction}`,
      { replacements: { unit: box.unitId }, type: QueryTypes.SELECT })).map((r) => String(r.id));
    expect(expected).toHaveLength(149);
    const seen: string[] = [];
    for (let page = 1; page <= 8; page++) {
      const r = await c.json<{ meta: { total: number }; records: Array<{ id: string | number }> }>(
        `/admin/api/resources/persons/actions/list?perPage=20&page=${page}&sortBy=name&direction=${direction}`);
      expect(r.status).toBe(200);
      expect(r.body.meta.total).toBe(149);
      seen.push(...r.body.records.map((x) => String(x.id)));
    }
    expect(seen).toEqual(expected);
  }
});
