/**
 * Decisions through the workflow engine, as a reviewer makes them over the panel's API.
 */
import crypto from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { fieldsWithProof } from '../helpers/evidence.js';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { generateIdNumber, generateCreditCode } from '../../src/domain/identifiers.js';
import { hashPassword } from '../../src/auth/passwords.js';

let t: TestPlatform;
beforeAll(async () => { t = await startTestPlatform(); });
afterAll(async () => { await t.close(); });

const admin = (org: string) => DEMO_ACCOUNTS.find((a) => a.organisationName === org && a.isSuper)!;
const LIXIA = admin('历下区人力资源和社会保障局');
const SHIZHONG = admin('市中区人力资源和社会保障局');
const JINAN = admin('济南市人力资源和社会保障局');

async function q<T extends object>(sql: string, replacements: Record<string, unknown> = {}) {
  return t.platform.db.owner.query<T>(sql, { replacements, type: QueryTypes.SELECT });
}
const post = (c: Client, path: string, data: Record<string, unknown> = {}) => c.json<{ notice?: { message: string; type: string } }>(path, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data),
});

/** A unit that registered under 历下区 and waits, with its admin's pending account. */
async function pendingUnitRegistration(): Promise<{ registrationId: number; orgId: number; idNumber: string }> {
  const [bureau] = await q<{ id: number; path: string }>("SELECT id, path FROM organisations WHERE name = '历下区人力资源和社会保障局'");
  const n = crypto.randomInt(1e6);
  const [org] = await q<{ id: number }>(`INSERT INTO organisations (id, parent_id, kind, name, path, depth, status, credit_code)
    SELECT s.n, :pid, 'unit', :name, :ppath || s.n || '/', 3, 'pending', :cc FROM (SELECT nextval(pg_get_serial_sequence('organisations','id'))::int n) s RETURNING id`,
  { pid: bureau.id, ppath: bureau.path, name: `测试注册单位${n}`, cc: generateCreditCode(5_000_000 + n) });
  // An ID number no account holds yet: 1990-03-15 with n % 1000 alone collided with other suites' accounts on one database.
  let idNumber: string;
  do {
    const birth = `19${60 + crypto.randomInt(40)}${String(1 + crypto.randomInt(12)).padStart(2, '0')}${String(1 + crypto.randomInt(28)).padStart(2, '0')}`;
    idNumber = generateIdNumber('370102', birth, crypto.randomInt(1000));
  } while ((await q<{ n: number }>('SELECT count(*)::int n FROM accounts WHERE id_number = :idNumber', { idNumber }))[0].n > 0);
  const [acc] = await q<{ id: number }>(`INSERT INTO accounts (id_number, name, password_hash, status) VALUES (:idNumber, '注册人', :h, 'pending') RETURNING id`,
    { idNumber, h: await hashPassword('Unit#Pass2026') });
  const [path] = await q<{ path: string }>('SELECT path FROM organisations WHERE id = :id', { id: org.id });
  await q(`INSERT INTO admins (account_id, organisation_id, org_path, is_super) VALUES (:a, :o, :p, true) RETURNING id`, { a: acc.id, o: org.id, p: path.path });
  const [reg] = await q<{ id: number }>(`INSERT INTO registrations (kind, organisation_id, superior_id, org_path, applicant_name) VALUES ('unit', :o, :b, :p, :name) RETURNING id`,
    { o: org.id, b: bureau.id, p: path.path, name: `测试注册单位${n}` });
  return { registrationId: reg.id, orgId: org.id, idNumber };
}

describe('registration review (4.1.3)', () => {
  it('approval lets the unit’s admin log in; before it the login says it is pending', async () => {
    const r = await pendingUnitRegistration();
    const before = await (await new Client(t.base).login(r.idNumber, 'Unit#Pass2026')).text();
    expect(before).toContain('账号正在审核中');
    const c = await loggedIn(t.base, LIXIA.idNumber);
    // A GET shows the form and decides nothing.
    await c.json(`/admin/api/resources/registrations/records/${r.registrationId}/approve`);
    expect((await q<{ status: string }>('SELECT status FROM registrations WHERE id = :id', { id: r.registrationId }))[0].status).toBe('pending');
    const res = await post(c, `/admin/api/resources/registrations/records/${r.registrationId}/approve`);
    expect(res.body.notice).toEqual({ message: '已通过 1 条', type: 'success' });
    expect((await q<{ status: string }>('SELECT status FROM organisations WHERE id = :id', { id: r.orgId }))[0].status).toBe('active');
    expect((await new Client(t.base).login(r.idNumber, 'Unit#Pass2026')).status).toBe(302);
    const [audit] = await q<{ before: { status: string }; after: { status: string }; actor_name: string }>(
      "SELECT before, after, actor_name FROM audit_log WHERE resource = 'registrations' AND record_id = :id AND action = 'approve'", { id: String(r.registrationId) });
    expect(audit).toEqual({ before: { status: 'pending' }, after: { status: 'approved' }, actor_name: LIXIA.name });
  });

  it('a rejection needs a reason; with one the account is rejected and told so', async () => {
    const r = await pendingUnitRegistration();
    const c = await loggedIn(t.base, LIXIA.idNumber);
    const noReason = await post(c, `/admin/api/resources/registrations/records/${r.registrationId}/reject`, { reason: '  ' });
    expect(noReason.body.notice?.message).toBe('驳回时必须填写原因');
    expect((await q<{ status: string }>('SELECT status FROM registrations WHERE id = :id', { id: r.registrationId }))[0].status).toBe('pending');
    await post(c, `/admin/api/resources/registrations/records/${r.registrationId}/reject`, { reason: '营业执照不清晰' });
    expect((await q<{ status: string; reason: string }>('SELECT status, reason FROM registrations WHERE id = :id', { id: r.registrationId }))[0])
      .toEqual({ status: 'rejected', reason: '营业执照不清晰' });
    expect(await (await new Client(t.base).login(r.idNumber, 'Unit#Pass2026')).text()).toContain('注册申请未通过审核');
  });

  it('two admins deciding at once: exactly one decision wins', async () => {
    const r = await pendingUnitRegistration();
    const [a, b] = await Promise.all([loggedIn(t.base, LIXIA.idNumber), loggedIn(t.base, JINAN.idNumber)]);
    const results = await Promise.all([
      post(a, `/admin/api/resources/registrations/records/${r.registrationId}/approve`),
      post(b, `/admin/api/resources/registrations/records/${r.registrationId}/reject`, { reason: '重复注册' }),
    ]);
    const ok = results.filter((x) => x.body.notice?.type === 'success');
    expect(ok).toHaveLength(1);
    const loser = results.find((x) => x.body.notice?.type !== 'success')!;
    expect(loser.body.notice?.message).toContain('已被他人审核');
    expect(await q("SELECT 1 FROM audit_log WHERE resource = 'registrations' AND record_id = :id AND outcome = 'ok' AND action IN ('approve','reject')", { id: String(r.registrationId) })).toHaveLength(1);
  });

  it('a batch with one record of another county is refused whole', async () => {
    const mine = await pendingUnitRegistration();
    const [theirs] = await q<{ id: number }>(`SELECT r.id FROM registrations r WHERE r.status = 'pending' AND r.org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '市中区人力资源和社会保障局') LIMIT 1`);
    const foreign = theirs?.id ?? (await q<{ id: number }>("SELECT id FROM registrations WHERE org_path NOT LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局') LIMIT 1"))[0].id;
    const c = await loggedIn(t.base, LIXIA.idNumber);
    const res = await c.json(`/admin/api/resources/registrations/bulk/bulkApprove?recordIds=${mine.registrationId},${foreign}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(403);
    expect((await q<{ status: string }>('SELECT status FROM registrations WHERE id = :id', { id: mine.registrationId }))[0].status).toBe('pending');
  });
});

describe('hour review (4.3): approve all', () => {
  it('approves exactly what the filter matches inside the jurisdiction and refreshes the yearly totals', async () => {
    const [form] = await q<{ id: number }>("SELECT learning_form_id id FROM hour_declarations h WHERE status = 'pending' AND year = 2026 AND channel <> 'ce_base' AND org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局') GROUP BY learning_form_id ORDER BY count(*) DESC LIMIT 1");
    const lixia = (await q<{ path: string }>("SELECT path FROM organisations WHERE name = '历下区人力资源和社会保障局'"))[0].path;
    const pendingMatching = await q<{ id: string; person_id: number; year: number }>(
      "SELECT id::text, person_id, year FROM hour_declarations WHERE status = 'pending' AND channel <> 'ce_base' AND year = 2026 AND learning_form_id = :f AND org_path LIKE :p", { f: form.id, p: `${lixia}%` });
    const othersBefore = await q<{ n: string }>("SELECT count(*) n FROM hour_declarations WHERE status = 'pending' AND NOT (year = 2026 AND channel <> 'ce_base' AND learning_form_id = :f AND org_path LIKE :p)", { f: form.id, p: `${lixia}%` });
    const c = await loggedIn(t.base, LIXIA.idNumber);
    const query = `filters.year=2026&filters.learning_form_id=${form.id}`;
    const preview = await c.json<{ count: number }>(`/admin/api/resources/hour_reviews/actions/approveAll?${query}`);
    expect(preview.body.count).toBe(pendingMatching.length);
    const res = await post(c, `/admin/api/resources/hour_reviews/actions/approveAll?${query}`, { reason: '' });
    expect(res.body.notice?.message).toBe(`已通过 ${pendingMatching.length} 条`);
    const after = await q<{ status: string; approved_hours: string; declared_hours: string }>('SELECT status, approved_hours, declared_hours FROM hour_declarations WHERE id IN (:ids)', { ids: pendingMatching.map((x) => x.id) });
    expect(after.every((x) => x.status === 'approved' && x.approved_hours === x.declared_hours)).toBe(true);
    expect((await q<{ n: string }>("SELECT count(*) n FROM hour_declarations WHERE status = 'pending' AND NOT (year = 2026 AND channel <> 'ce_base' AND learning_form_id = :f AND org_path LIKE :p)", { f: form.id, p: `${lixia}%` }))[0].n).toBe(othersBefore[0].n);
    // The totals of a person touched now match the approved hours.
    const { person_id } = pendingMatching[0];
    // Each form up to its yearly cap, both subject types together (README: one meaning of a cap).
    const [sum] = await q<{ total: string }>(`SELECT coalesce(sum(least(s, coalesce(cap, s))), 0) total FROM (
      SELECT sum(h.approved_hours) s, f.cap_per_year cap FROM hour_declarations h JOIN learning_forms f ON f.id = h.learning_form_id
       WHERE h.person_id = :pid AND h.year = 2026 AND h.status = 'approved' GROUP BY f.id, f.cap_per_year) x`, { pid: person_id });
    const [rollup] = await q<{ total_hours: string }>('SELECT total_hours FROM person_year_hours WHERE person_id = :pid AND year = 2026', { pid: person_id });
    expect(Number(rollup.total_hours)).toBe(Number(sum.total));
  });
});

describe('change review (4.1.4)', () => {
  it('an approved title change is applied to the person in the same step', async () => {
    const [person] = await q<{ id: number; org_path: string; title: string }>("SELECT id, org_path, title FROM persons WHERE org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '市中区人力资源和社会保障局') ORDER BY id LIMIT 1");
    const [req] = await q<{ id: number }>(`INSERT INTO change_requests (kind, person_id, org_path, old_values, new_values)
      VALUES ('person_title', :pid, :path, :old, :new) RETURNING id`, {
      pid: person.id, path: person.org_path, old: JSON.stringify({ title: person.title }),
      new: JSON.stringify({ title_series: '工程技术', title_level: 'senior', title: '正高级工程师', status: 'disabled' }),
    });
    const c = await loggedIn(t.base, SHIZHONG.idNumber);
    const res = await post(c, `/admin/api/resources/change_requests/records/${req.id}/approve`);
    expect(res.body.notice?.type).toBe('success');
    const [after] = await q<{ title: string; title_level: string; status: string }>('SELECT title, title_level, status FROM persons WHERE id = :id', { id: person.id });
    // new_values may only touch the title fields; a smuggled status is ignored.
    expect(after).toEqual({ title: '正高级工程师', title_level: 'senior', status: 'active' });
  });
});

describe('change requests from the submitting side', () => {
  const PERSON = DEMO_ACCOUNTS.find((a) => a.kind === 'person')!;
  const UNIT = DEMO_ACCOUNTS.find((a) => a.role.includes('单位') && a.kind === 'admin')!;

  it('a person asks for a title change; the reviewer sees old vs. new and approves it', async () => {
    const me = await loggedIn(t.base, PERSON.idNumber);
    // Other files (evidence.test.ts, titles.test.ts) act on this demo person too: no request of theirs
    // left open (one at a time), and a title other than the one asked for here.
    await q(`UPDATE change_requests SET status = 'rejected', reason = '测试清理', decided_at = now() WHERE status = 'pending'
               AND person_id = (SELECT p.id FROM persons p JOIN accounts a ON a.id = p.account_id WHERE a.id_number = :n) RETURNING id`, { n: PERSON.idNumber });
    await q(`UPDATE persons SET title_series = '卫生技术', title_level = 'intermediate', title = '主治医师'
              WHERE title = '副主任医师' AND account_id = (SELECT id FROM accounts WHERE id_number = :n) RETURNING id`, { n: PERSON.idNumber });
    const [self] = await q<{ id: number; title: string; title_level: string }>('SELECT p.id, p.title, p.title_level FROM persons p JOIN accounts a ON a.id = p.account_id WHERE a.id_number = :n', { n: PERSON.idNumber });
    const bad = await post(me, `/admin/api/resources/persons/records/${self.id}/requestTitleChange`, { title_series: '不存在的系列', title_level: 'senior', title: '' });
    expect((bad.body as { errors?: Record<string, string> }).errors).toMatchObject({ title_series: '请选择专业技术职务系列', title: '请填写专业技术职务任职资格' });
    const r = await me.json<{ notice?: { message: string; type: string } }>(`/admin/api/resources/persons/records/${self.id}/requestTitleChange`,
      { method: 'POST', body: fieldsWithProof({ title_series: '卫生技术', title_level: 'vice_senior', title: '副主任医师', evidence: '聘任文件〔2026〕12号' }) });
    expect(r.body.notice?.type).toBe('success');
    const [req] = await q<{ id: number; old_values: Record<string, string>; new_values: Record<string, string> }>(
      "SELECT id, old_values, new_values FROM change_requests WHERE person_id = :id AND status = 'pending'", { id: self.id });
    expect(req.new_values.title).toBe('副主任医师');
    expect(req.old_values.title ?? null).toBe(self.title === '副主任医师' ? undefined : self.title);
    const reviewer = await loggedIn(t.base, SHIZHONG.idNumber);
    const shown = await reviewer.json<{ record: { params: Record<string, unknown> } }>(`/admin/api/resources/change_requests/records/${req.id}/show`);
    expect(shown.body.record.params['new_values.title']).toBe('副主任医师');
    await post(reviewer, `/admin/api/resources/change_requests/records/${req.id}/approve`);
    expect((await q<{ title: string }>('SELECT title FROM persons WHERE id = :id', { id: self.id }))[0].title).toBe('副主任医师');
  });

  it('a unit cannot edit its information directly; it asks, and a bad credit code is refused', async () => {
    const unit = await loggedIn(t.base, UNIT.idNumber);
    const [org] = await q<{ id: number }>('SELECT ad.organisation_id id FROM admins ad JOIN accounts a ON a.id = ad.account_id WHERE a.id_number = :n', { n: UNIT.idNumber });
    const direct = await unit.json(`/admin/api/resources/my_organisation/records/${org.id}/edit`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=%E7%AF%A1%E6%94%B9' });
    expect(direct.status).toBe(403);
    const bad = await post(unit, `/admin/api/resources/my_organisation/records/${org.id}/requestInfoChange`, { credit_code: '91370102MA3C000031' });
    expect((bad.body as { errors?: Record<string, string> }).errors?.credit_code).toBe('统一社会信用代码校验位不正确');
    const ok = await post(unit, `/admin/api/resources/my_organisation/records/${org.id}/requestInfoChange`, { address: '济南市历下区经十路100号' });
    expect(ok.body.notice).toEqual({ message: '变更申请已提交，待上级人社部门审核', type: 'success' });
    const [req] = await q<{ id: number; new_values: Record<string, string> }>("SELECT id, new_values FROM change_requests WHERE organisation_id = :id AND status = 'pending'", { id: org.id });
    expect(req.new_values).toEqual({ address: '济南市历下区经十路100号' });
    await post(await loggedIn(t.base, LIXIA.idNumber), `/admin/api/resources/change_requests/records/${req.id}/approve`);
    expect((await q<{ address: string }>('SELECT address FROM organisations WHERE id = :id', { id: org.id }))[0].address).toBe('济南市历下区经十路100号');
  });
});
