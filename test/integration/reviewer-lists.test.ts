/**
 * Issue 17, the reviewer's lists, through the HTTP API as a reviewer uses them: 学时审验 as its
 * own step (5), text filters for 姓名 / 身份证号 / 工作单位 (3), registration review showing what
 * must be checked (4), the person list counting what statistics count (8), 新增管理员 from the
 * registered persons of an HR bureau (9), 新增角色 with its permissions (10), and imports reporting
 * every error of a row (11).
 */
import { QueryTypes } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';

let t: TestPlatform;
let lixia: Client;
beforeAll(async () => {
  t = await startTestPlatform();
  lixia = await loggedIn(t.base, admin('历下区人力资源和社会保障局'));
});
afterAll(async () => { await t.close(); });

function admin(org: string) { return DEMO_ACCOUNTS.find((a) => a.organisationName === org && a.isSuper && a.kind === 'admin')!.idNumber; }
async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  return t.platform.db.owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
}
type Answer = Record<string, unknown> & { notice?: { message: string; type: string }; records?: Array<{ id: string; params: Record<string, unknown>; title: string }>; meta?: { total: number } };
const post = (c: Client, path: string, data: Record<string, unknown> = {}) => c.json<Answer>(path, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data),
});
const LIXIA = "(SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局')";

describe('学时审验 is its own step (item 5)', () => {
  it('keeps the first decision and records who failed the verification, when and why', async () => {
    // A fresh declaration approved with an opinion by 历下, then failed at verification.
    const [decl] = await q<{ id: string }>(`INSERT INTO hour_declarations (person_id, unit_id, org_path, year, subject_type, learning_form_id, channel, activity_name, declared_hours)
      SELECT p.id, p.unit_id, p.org_path, 2026, 'professional', (SELECT id FROM learning_forms WHERE code = 'face_to_face'), 'hr', '审验测试', 6
        FROM persons p WHERE p.status = 'active' AND p.org_path LIKE ${LIXIA} ORDER BY p.id LIMIT 1 RETURNING id::text`);
    const approved = await post(lixia, `/admin/api/resources/hour_reviews/records/${decl.id}/approve`, { reason: '材料齐全，同意认定。' });
    expect(approved.body.notice?.message).toBe('已通过 1 条');
    const [first] = await q<{ reason: string; decided_by: number; decided_at: Date }>('SELECT reason, decided_by, decided_at FROM hour_declarations WHERE id = :id', { id: decl.id });

    const noReason = await post(lixia, `/admin/api/resources/hour_verifications/records/${decl.id}/verificationFail`, { reason: ' ' });
    expect(noReason.body.notice?.message).toBe('审验不通过时必须填写原因');
    const failed = await post(lixia, `/admin/api/resources/hour_verifications/records/${decl.id}/verificationFail`, { reason: '证书编号无法核实' });
    expect(failed.body.notice).toEqual({ message: '审验不通过 1 条', type: 'success' });

    const [after] = await q<Record<string, unknown>>(`SELECT status, reason, decided_by, decided_at, verification_reason, verified_by, verified_at IS NOT NULL AS verified
      FROM hour_declarations WHERE id = :id`, { id: decl.id });
    expect(after).toEqual({ ...first, status: 'verification_failed', verification_reason: '证书编号无法核实', verified_by: first.decided_by, verified: true });

    // The detail shows both steps, each under its own label.
    const show = await lixia.json<{ record: { params: Record<string, unknown> } }>(`/admin/api/resources/hour_verifications/records/${decl.id}/show`);
    expect(show.body.record.params).toMatchObject({ reason: '材料齐全，同意认定。', verification_reason: '证书编号无法核实', status: 'verification_failed' });
    // The audit log calls it a verification, not a rejection.
    const [log] = await q<{ action: string; reason: string }>("SELECT action, reason FROM audit_log WHERE resource = 'hour_verifications' AND record_id = :id ORDER BY id DESC LIMIT 1", { id: decl.id });
    expect(log).toEqual({ action: 'verification_fail', reason: '证书编号无法核实' });
  });

  it('the seeded failed verifications keep their first decision too', async () => {
    const [seeded] = await q<{ n: number; kept: number }>(`SELECT count(*)::int n, count(*) FILTER (WHERE decided_by IS NOT NULL AND verification_reason IS NOT NULL AND verified_at >= decided_at)::int kept
      FROM hour_declarations WHERE status = 'verification_failed'`);
    expect(seeded.n).toBeGreaterThan(0);
    expect(seeded.kept).toBe(seeded.n);
  });
});

describe('姓名 / 身份证号 / 工作单位 are text searches (item 3)', () => {
  type List = { records: Array<{ id: string; params: Record<string, unknown> }>; meta: { total: number } };
  const list = (filters: string) => lixia.json<List>(`/admin/api/resources/hour_reviews/actions/list?filters.status=pending,approved,rejected&perPage=500&${filters}`);

  it('a name fragment finds every declaration of every matching person of the jurisdiction, and no other', async () => {
    const [{ fragment }] = await q<{ fragment: string }>(`SELECT left(name, 1) fragment FROM persons WHERE org_path LIKE ${LIXIA} GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
    const expected = await q<{ id: string }>(`SELECT h.id::text FROM hour_declarations h JOIN persons p ON p.id = h.person_id
      WHERE h.org_path LIKE ${LIXIA} AND h.channel <> 'ce_base' AND h.status IN ('pending','approved','rejected') AND p.name LIKE :f`, { f: `%${fragment}%` });
    const r = await list(`filters.person_name=${encodeURIComponent(fragment)}`);
    expect(r.status).toBe(200);
    expect(r.body.meta.total).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(1);
    // Two persons of the same name are both found (a dropdown offered two identical entries to pick one).
    const names = await q<{ name: string }>('SELECT DISTINCT p.name FROM hour_declarations h JOIN persons p ON p.id = h.person_id WHERE h.id IN (:ids)', { ids: r.body.records.map((x) => Number(x.id)) });
    expect(names.every((n) => n.name.includes(fragment))).toBe(true);
  });

  it('an ID-number fragment and a unit-name fragment filter the same way; a name outside the jurisdiction finds nothing', async () => {
    const [one] = await q<{ id_number: string; unit: string; n: number }>(`SELECT p.id_number, o.name unit, (SELECT count(*)::int FROM hour_declarations h WHERE h.person_id = p.id AND h.channel <> 'ce_base' AND h.status IN ('pending','approved','rejected')) n
      FROM persons p JOIN organisations o ON o.id = p.unit_id WHERE p.org_path LIKE ${LIXIA}
       AND EXISTS (SELECT 1 FROM hour_declarations h WHERE h.person_id = p.id AND h.channel <> 'ce_base') ORDER BY p.id LIMIT 1`);
    const byId = await list(`filters.person_id_number=${one.id_number.slice(4, 14)}`);
    expect(byId.body.meta.total).toBeGreaterThanOrEqual(one.n);
    const whole = await list(`filters.person_id_number=${one.id_number}`);
    expect(whole.body.meta.total).toBe(one.n);
    const [units] = await q<{ n: number }>(`SELECT count(*)::int n FROM hour_declarations h JOIN organisations o ON o.id = h.unit_id
      WHERE h.org_path LIKE ${LIXIA} AND h.channel <> 'ce_base' AND h.status IN ('pending','approved','rejected') AND o.name LIKE :u`, { u: `%${one.unit.slice(2, 6)}%` });
    expect((await list(`filters.unit_name=${encodeURIComponent(one.unit.slice(2, 6))}`)).body.meta.total).toBe(units.n);
    // A person of 市中区 (outside 历下): the name search stays inside the reviewer's scope.
    const [outside] = await q<{ id_number: string }>("SELECT id_number FROM persons WHERE org_path NOT LIKE " + LIXIA + " ORDER BY id LIMIT 1");
    expect((await list(`filters.person_id_number=${outside.id_number}`)).body.meta.total).toBe(0);
  });

  it('the person list filters by unit name; a picker cut off at its limit says so', async () => {
    const [u] = await q<{ name: string; n: number }>(`SELECT o.name, count(*)::int n FROM persons p JOIN organisations o ON o.id = p.unit_id
      WHERE p.org_path LIKE ${LIXIA} GROUP BY o.name ORDER BY 2 DESC LIMIT 1`);
    const persons = await lixia.json<List>(`/admin/api/resources/persons/actions/list?filters.unit_name=${encodeURIComponent(u.name)}`);
    expect(persons.status).toBe(200);
    expect(persons.body.meta.total).toBeGreaterThan(0);
    expect(persons.body.meta.total).toBeLessThanOrEqual(u.n);
    const [{ fragment }] = await q<{ fragment: string }>(`SELECT left(name, 1) fragment FROM persons WHERE org_path LIKE ${LIXIA} GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
    const search = (perPage: number) => lixia.json<{ records: Array<{ id: string; title: string }> }>(`/admin/api/resources/persons/actions/search/${encodeURIComponent(fragment)}?perPage=${perPage}`);
    const cut = await search(3);
    expect(cut.status).toBe(200);
    expect(cut.body.records).toHaveLength(4);
    expect(cut.body.records[3]).toMatchObject({ id: '', title: '仅显示前 3 条，请输入更完整的名称缩小范围' });
    // A picker that shows everything says nothing more.
    expect((await search(500)).body.records.every((r) => r.id !== '')).toBe(true);
  });
});
