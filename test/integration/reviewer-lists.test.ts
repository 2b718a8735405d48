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
