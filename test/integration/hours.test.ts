/**
 * Hours (4.2–4.4): declaration with the catalog's conversion, the unit's first-level review,
 * the HR review, verification failure — and the yearly totals after each step.
 */
import { QueryTypes } from 'sequelize';
import { declarationForm, pngOf } from '../helpers/evidence.js';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { hashPassword } from '../../src/auth/passwords.js';

let t: TestPlatform;
let lixia: Client;
beforeAll(async () => {
  t = await startTestPlatform();
  lixia = await loggedIn(t.base, admin('历下区人力资源和社会保障局'));
});
afterAll(async () => { await t.close(); });

function admin(org: string) { return DEMO_ACCOUNTS.find((a) => a.organisationName === org && a.isSuper)!.idNumber; }
async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  return t.platform.db.owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
}
const postJson = (c: Client, path: string, data: Record<string, unknown> = {}) => c.json<Record<string, unknown> & { notice?: { message: string; type: string }; errors?: Record<string, string>; preview?: { hours: number; keyReview: boolean } }>(path, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data),
});
/** A declaration that saves carries its proof, as the panel sends it (issue 17: the proof is a real upload). */
const post = (c: Client, path: string, data: Record<string, unknown> = {}) => (path.endsWith('/declareHours') && !data.dryRun
  ? c.json<Awaited<ReturnType<typeof postJson>>['body']>(path, { method: 'POST', body: declarationForm(data, { name: '结业证书.png', bytes: pngOf() }) })
  : postJson(c, path, data));
const formId = async (code: string) => (await q<{ id: number }>('SELECT id FROM learning_forms WHERE code = :code', { code }))[0].id;
const DECLARE = '/admin/api/resources/hour_declarations/actions/declareHours';
let seq = 0;
const activity = (extra: Record<string, unknown> = {}) => ({
  activity_name: `测试培训班${Date.now()}-${++seq}`, start_date: '2026-03-02', end_date: '2026-03-04', organiser: '山东省人社厅', days: '3', evidence: '结业证书 2026-001', ...extra,
});
async function lixiaPersons(n: number) {
  return q<{ id: number; name: string }>(`SELECT id, name FROM persons WHERE status = 'active' AND org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局') ORDER BY id DESC LIMIT :n`, { n });
}

describe('declaration (4.2.1)', () => {
  it('computes the hours from the catalog, shows them before saving, then declares for every applicant', async () => {
    const people = await lixiaPersons(2);
    const input = { subjectType: 'professional', learningFormId: await formId('face_to_face'), values: activity(), personIds: people.map((p) => p.id) };
    const preview = await post(lixia, DECLARE, { ...input, dryRun: true });
    expect(preview.body.preview).toMatchObject({ hours: 18, keyReview: false });
    expect(await q('SELECT 1 FROM hour_declarations WHERE activity_name = :a', { a: input.values.activity_name })).toHaveLength(0);
    const done = await post(lixia, DECLARE, input);
    expect(done.body.notice?.message).toBe('学时（分）申报成功：2 人，每人 18 学时');
    const rows = await q<{ declared_hours: string; status: string; channel: string; year: number }>('SELECT declared_hours, status, channel, year FROM hour_declarations WHERE activity_name = :a', { a: input.values.activity_name });
    expect(rows).toEqual([{ declared_hours: '18.0', status: 'pending', channel: 'hr', year: 2026 }, { declared_hours: '18.0', status: 'pending', channel: 'hr', year: 2026 }]);
  });

  it('names bad fields, refuses a form not meant for the subject type, outsiders and duplicates', async () => {
    const [p] = await lixiaPersons(1);
    const missing = await post(lixia, DECLARE, { subjectType: 'professional', learningFormId: await formId('face_to_face'), values: activity({ days: '', end_date: '2026-03-01' }), personIds: [p.id], dryRun: true });
    expect(missing.body.errors).toMatchObject({ days: '请填写培训天数', end_date: '结束日期不能早于开始日期' });
    const wrongSubject = await post(lixia, DECLARE, { subjectType: 'public', learningFormId: await formId('patent'), values: activity(), personIds: [p.id], dryRun: true });
    expect(wrongSubject.body.notice?.message).toBe('所选学习形式不适用于该计入科目');
    const [outsider] = await q<{ id: number }>("SELECT id FROM persons WHERE org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '市南区人力资源和社会保障局') LIMIT 1");
    const outside = await post(lixia, DECLARE, { subjectType: 'professional', learningFormId: await formId('face_to_face'), values: activity(), personIds: [outsider.id] });
    expect(outside.body.notice?.message).toBe('申请人须为本辖区内的在册专业技术人员');
    const values = activity();
    await post(lixia, DECLARE, { subjectType: 'professional', learningFormId: await formId('face_to_face'), values, personIds: [p.id] });
    const again = await post(lixia, DECLARE, { subjectType: 'professional', learningFormId: await formId('face_to_face'), values, personIds: [p.id] });
    expect(again.body.notice?.message).toContain('已申报过同一学习活动');
  });
});

describe('review chain', () => {
  it('a person’s own declaration goes to its unit first, then to the HR department, then counts', async () => {
    const unitAdmin = DEMO_ACCOUNTS.find((a) => a.role.includes('单位') && a.kind === 'admin')!;
    const [person] = await q<{ id: number; id_number: string; account_id: number | null }>(
      `SELECT p.id, p.id_number, p.account_id FROM persons p JOIN admins ad ON ad.organisation_id = p.unit_id JOIN accounts a ON a.id = ad.account_id
        WHERE a.id_number = :n AND p.status = 'active' AND p.account_id IS NULL ORDER BY p.id LIMIT 1`, { n: unitAdmin.idNumber });
    const [[acc]] = await t.platform.db.owner.query(`INSERT INTO accounts (id_number, name, password_hash) VALUES (:n, '自报人', :h) RETURNING id`,
      { replacements: { n: person.id_number, h: await hashPassword('Self#Pass2026') } }) as unknown as [[{ id: number }]];
    await q('UPDATE persons SET account_id = :a WHERE id = :p', { a: acc.id, p: person.id });
    const me = await loggedIn(t.base, person.id_number, 'Self#Pass2026');
    const values = activity();
    const r = await post(me, DECLARE, { subjectType: 'public', learningFormId: await formId('face_to_face'), compulsory: true, values, personIds: [person.id] });
    expect(r.body.notice?.type).toBe('success');
    const [decl] = await q<{ id: number; status: string; channel: string }>('SELECT id, status, channel FROM hour_declarations WHERE activity_name = :a', { a: values.activity_name });
    expect(decl).toMatchObject({ status: 'pending_unit', channel: 'person' });
    // The HR department does not see it yet; the unit does.
    expect((await lixia.json(`/admin/api/resources/hour_reviews/records/${decl.id}/show`)).status).toBe(403);
    const unit = await loggedIn(t.base, unitAdmin.idNumber);
    await post(unit, `/admin/api/resources/unit_first_reviews/records/${decl.id}/approve`);
    expect((await q<{ status: string }>('SELECT status FROM hour_declarations WHERE id = :id', { id: decl.id }))[0].status).toBe('pending');
    const before = Number((await q<{ h: string }>('SELECT coalesce(sum(public_hours), 0) h FROM person_year_hours WHERE person_id = :p AND year = 2026', { p: person.id }))[0].h);
    await post(lixia, `/admin/api/resources/hour_reviews/records/${decl.id}/approve`);
    const after = Number((await q<{ h: string }>('SELECT public_hours h FROM person_year_hours WHERE person_id = :p AND year = 2026', { p: person.id }))[0].h);
    expect(after).toBe(before + 18);
  });

  it('verification failure withdraws the hours from the totals and keeps the record', async () => {
    const [decl] = await q<{ id: number; person_id: number; year: number; approved_hours: string; subject_type: string; learning_form_id: number }>(
      `SELECT h.id, h.person_id, h.year, h.approved_hours, h.subject_type, h.learning_form_id FROM hour_declarations h JOIN learning_forms f ON f.id = h.learning_form_id
        WHERE h.status = 'approved' AND f.cap_per_year IS NULL AND h.org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局')
        ORDER BY h.id LIMIT 1`);
    const column = decl.subject_type === 'public' ? 'public_hours' : 'professional_hours';
    const total = async () => Number((await q<{ h: string }>(`SELECT ${column} h FROM person_year_hours WHERE person_id = :p AND year = :y`, { p: decl.person_id, y: decl.year }))[0].h);
    const before = await total();
    const noReason = await post(lixia, `/admin/api/resources/hour_verifications/records/${decl.id}/verificationFail`, {});
    expect(noReason.body.notice?.message).toBe('审验不通过时必须填写原因');
    const r = await post(lixia, `/admin/api/resources/hour_verifications/records/${decl.id}/verificationFail`, { reason: '证书编号无法核实' });
    expect(r.body.notice?.type).toBe('success');
    const [after] = await q<{ status: string; approved_hours: string; verification_reason: string }>('SELECT status, approved_hours, verification_reason FROM hour_declarations WHERE id = :id', { id: decl.id });
    expect(after).toEqual({ status: 'verification_failed', approved_hours: decl.approved_hours, verification_reason: '证书编号无法核实' });
    expect(await total()).toBe(before - Number(decl.approved_hours));
  });

  it('CE bases’ declarations on behalf of trainees are reviewed in their own list', async () => {
    const [ce] = await q<{ id: string }>("SELECT id::text FROM hour_declarations WHERE channel = 'ce_base' AND status = 'pending' AND org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局') LIMIT 1");
    expect(ce).toBeDefined();
    expect((await lixia.json(`/admin/api/resources/hour_reviews/records/${ce.id}/show`)).status).toBe(403);
    expect((await lixia.json(`/admin/api/resources/ce_base_hour_reviews/records/${ce.id}/show`)).status).toBe(200);
  });
});
