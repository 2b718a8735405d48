/**
 * The four lists of 学时（分）审核 (4.3) with every batch action, and the yearly totals staying
 * equal to a recomputation from the records after a random sequence of decisions and
 * verification failures.
 */
import { QueryTypes } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';

let t: TestPlatform;
let jinan: Client;
let path: string;
beforeAll(async () => {
  t = await startTestPlatform();
  jinan = await loggedIn(t.base, DEMO_ACCOUNTS.find((a) => a.organisationName === '济南市人力资源和社会保障局' && a.isSuper)!.idNumber);
  path = (await q<{ path: string }>("SELECT path FROM organisations WHERE name = '济南市人力资源和社会保障局'"))[0].path;
});
afterAll(async () => { await t.close(); });

async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  return t.platform.db.owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
}
const post = (url: string, data: Record<string, unknown> = {}) => jinan.json<{ notice?: { message: string; type: string } }>(url, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data),
});

/** Four fresh pending items of a list, inside 济南. */
async function fixtures(list: string): Promise<number[]> {
  if (list === 'unit_plan_reviews' || list === 'unit_hours_reviews') {
    const kind = list === 'unit_plan_reviews' ? 'unit_plan' : 'unit_hours';
    return (await q<{ id: number }>(`INSERT INTO training_plans (kind, organisation_id, org_path, year, title, subject_type)
      SELECT :kind, id, path, 2026, '批量测试' || g, 'professional' FROM organisations, generate_series(1, 4) g
       WHERE kind = 'unit' AND path LIKE :p ORDER BY id LIMIT 4 RETURNING id`, { kind, p: `${path}%` })).map((r) => r.id);
  }
  const channel = list === 'ce_base_hour_reviews' ? 'ce_base' : 'hr';
  return (await q<{ id: string }>(`INSERT INTO hour_declarations (person_id, unit_id, org_path, year, subject_type, learning_form_id, channel, ce_base_id, activity_name, declared_hours)
    SELECT p.id, p.unit_id, p.org_path, 2026, 'professional', (SELECT id FROM learning_forms WHERE code = 'face_to_face'), :channel,
           CASE WHEN :channel = 'ce_base' THEN (SELECT id FROM organisations WHERE kind = 'ce_base' ORDER BY id LIMIT 1) END, '批量测试', 6
      FROM persons p WHERE p.org_path LIKE :p AND p.status = 'active' ORDER BY p.id LIMIT 4 RETURNING id::text`, { channel, p: `${path}%` })).map((r) => Number(r.id));
}
const table = (list: string) => (list.startsWith('unit_') ? 'training_plans' : 'hour_declarations');
const status = async (list: string, id: number) => (await q<{ status: string }>(`SELECT status FROM ${table(list)} WHERE id = :id`, { id }))[0].status;

describe.each(['hour_reviews', 'ce_base_hour_reviews', 'unit_plan_reviews', 'unit_hours_reviews'])('%s', (list) => {
  it('approve selected, reject selected (with a reason), approve all and reject all under a filter', async () => {
    const [a, b, c, d] = await fixtures(list);
    const api = `/admin/api/resources/${list}`;
    expect((await post(`${api}/bulk/bulkApprove?recordIds=${a}`)).body.notice?.message).toBe('已通过 1 条');
    expect((await post(`${api}/bulk/bulkReject?recordIds=${b}`, { reason: '' })).body.notice?.message).toBe('驳回时必须填写原因');
    expect((await post(`${api}/bulk/bulkReject?recordIds=${b}`, { reason: '材料不全' })).body.notice?.message).toBe('已驳回 1 条');
    expect((await post(`${api}/actions/approveAll?filters.id=${c}`)).body.notice?.message).toBe('已通过 1 条');
    expect((await post(`${api}/actions/rejectAll?filters.id=${d}`, { reason: '重复申报' })).body.notice?.message).toBe('已驳回 1 条');
    expect([await status(list, a), await status(list, b), await status(list, c), await status(list, d)]).toEqual(['approved', 'rejected', 'approved', 'rejected']);
    // Reviewed records can be deleted where the list allows it; a decided one cannot be decided again.
    expect((await post(`${api}/records/${a}/approve`)).body.notice?.message).toContain('已被他人审核');
  });
});

describe('yearly totals', () => {
  it('stay equal to a recomputation from the records after a random sequence of decisions', async () => {
    let seed = 20261129;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const people = (await q<{ id: number }>("SELECT id FROM persons WHERE org_path LIKE :p AND status = 'active' ORDER BY id DESC LIMIT 6", { p: `${path}%` })).map((r) => r.id);
    const forms = await q<{ id: number; subject: string }>("SELECT id, subject_types[1] subject FROM learning_forms WHERE code IN ('face_to_face','online','on_job','patent','conference')");
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) {
      const f = forms[Math.floor(rand() * forms.length)];
      const [row] = await q<{ id: string }>(`INSERT INTO hour_declarations (person_id, unit_id, org_path, year, subject_type, learning_form_id, channel, activity_name, declared_hours)
        SELECT id, unit_id, org_path, 2026, :s, :f, 'hr', '随机序列' || :i, :h FROM persons WHERE id = :p RETURNING id::text`,
      { s: f.subject, f: f.id, i, h: 1 + Math.floor(rand() * 40), p: people[Math.floor(rand() * people.length)] });
      ids.push(Number(row.id));
    }
    for (let step = 0; step < 60; step++) {
      const id = ids[Math.floor(rand() * ids.length)];
      const s = (await q<{ status: string }>('SELECT status FROM hour_declarations WHERE id = :id', { id }))[0].status;
      const r = rand();
      if (s === 'pending') await post(`/admin/api/resources/hour_reviews/records/${id}/${r < 0.7 ? 'approve' : 'reject'}`, { reason: '随机驳回' });
      else if (s === 'approved' && r < 0.4) await post(`/admin/api/resources/hour_verifications/records/${id}/verificationFail`, { reason: '随机审验' });
    }
    const recomputed = await q<{ person_id: number; pub: string; prof: string }>(`
      SELECT person_id, coalesce(sum(h) FILTER (WHERE subject_type = 'public'), 0) pub, coalesce(sum(h) FILTER (WHERE subject_type = 'professional'), 0) prof
        -- A form's yearly cap counts both subject types together, declarations in the order made (README: one meaning of a cap).
        FROM (SELECT d.person_id, d.subject_type,
                     CASE WHEN f.cap_per_year IS NULL THEN d.approved_hours
                          ELSE greatest(0, least(d.approved_hours, f.cap_per_year - (sum(d.approved_hours) OVER (PARTITION BY d.person_id, f.id ORDER BY d.id) - d.approved_hours))) END h
                FROM hour_declarations d JOIN learning_forms f ON f.id = d.learning_form_id
               WHERE d.person_id IN (:people) AND d.year = 2026 AND d.status = 'approved') x
       GROUP BY person_id`, { people });
    const rollup = await q<{ person_id: number; public_hours: string; professional_hours: string; completed: boolean }>(
      'SELECT person_id, public_hours, professional_hours, completed FROM person_year_hours WHERE person_id IN (:people) AND year = 2026', { people });
    for (const r of recomputed) {
      const y = rollup.find((x) => x.person_id === r.person_id)!;
      expect([r.person_id, Number(y.public_hours), Number(y.professional_hours)]).toEqual([r.person_id, Number(r.pub), Number(r.prof)]);
      expect(y.completed).toBe(Number(r.pub) >= 30 && Number(r.prof) >= 60 && Number(r.pub) + Number(r.prof) >= 90);
    }
    expect(recomputed.length).toBeGreaterThan(0);
  });
});
