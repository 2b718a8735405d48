/**
 * 学时证明 (issue 19, item 6) through the real HTTP API: printed from a person's record by the
 * person itself, its unit and the HR department in scope; the PDF's text layer states each
 * year's hours as the person's yearly totals; the public verification page shows what it
 * claims and says when a later 学时审验 changed a year; another county is refused and nothing is
 * stored; wrong spans are refused in Chinese; a completed transfer carries one that both sides
 * may download.
 */
import { QueryTypes } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { pdfOf, textOf } from '../helpers/pdf.js';
import { DEMO_ACCOUNTS, DEMO_UNIT_LIXIA } from '../../src/db/demo-accounts.js';
import { maskIdNumber } from '../../src/domain/identifiers.js';
import { currentYear, issueHourProof, PERSON_OUTSIDE } from '../../src/services/certificates/proof.js';
import { loadPrincipal } from '../../src/access/principal.js';
import { runAs } from '../../src/access/context.js';

let t: TestPlatform;
let lixia: Client;
let shizhong: Client;
let shinan: Client;
let lixiaUnit: Client;
beforeAll(async () => {
  t = await startTestPlatform();
  lixia = await loggedIn(t.base, admin('历下区人力资源和社会保障局'));
  shizhong = await loggedIn(t.base, admin('市中区人力资源和社会保障局'));
  shinan = await loggedIn(t.base, admin('市南区人力资源和社会保障局'));
  lixiaUnit = await loggedIn(t.base, admin(DEMO_UNIT_LIXIA));
});
afterAll(async () => { await t.close(); });

function admin(org: string) { return DEMO_ACCOUNTS.find((a) => a.organisationName === org && a.isSuper && a.kind === 'admin')!.idNumber; }
async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  return t.platform.db.owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
}
type Answer = { notice?: { message: string; type: string }; number?: string; downloadUrl?: string; redirectUrl?: string; record?: { params: Record<string, string> } };
const post = (c: Client, path: string, data: Record<string, unknown> = {}) => c.json<Answer>(path, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data),
});
const print = (c: Client, personId: number, from: number | string, to: number | string) =>
  post(c, `/admin/api/resources/persons/records/${personId}/printHourProof`, { from: String(from), to: String(to) });
const proofCount = async () => Number((await q<{ n: string }>('SELECT count(*) n FROM hour_proofs'))[0].n);
const h = (n: number | string) => (Number.isInteger(Number(n)) ? String(Number(n)) : Number(n).toFixed(1));
/** A row of the proof's table as its text layer reads (cells apart by spaces or not). */
const rowOf = (cells: Array<string | number>) => new RegExp(cells.map(String).join('\\s*'));

interface Person { id: number; name: string; id_number: string; unit_id: number; first: number; last: number }
/** A person of the 历下 unit with yearly totals in several years (no transfer, so it stays there). */
async function lixiaPerson(offset = 0): Promise<Person> {
  const [p] = await q<Person>(`SELECT p.id, p.name, p.id_number, p.unit_id, min(y.year)::int first, max(y.year)::int last
      FROM persons p JOIN person_year_hours y ON y.person_id = p.id
     WHERE p.unit_id = (SELECT id FROM organisations WHERE name = :unit) AND p.status = 'active'
       AND NOT EXISTS (SELECT 1 FROM transfers x WHERE x.person_id = p.id)
     GROUP BY p.id HAVING count(*) >= 2 ORDER BY p.id OFFSET :offset LIMIT 1`, { unit: DEMO_UNIT_LIXIA, offset });
  return p;
}
async function totalsOf(personId: number, from: number, to: number) {
  return q<{ year: number; public_hours: string; professional_hours: string; total_hours: string; completed: boolean }>(
    'SELECT year, public_hours, professional_hours, total_hours, completed FROM person_year_hours WHERE person_id = :personId AND year BETWEEN :from AND :to ORDER BY year',
    { personId, from, to });
}

describe('printing a proof of hours', () => {
  let person: Person;
  let number: string;
  let from: number;
  let to: number;

  it('the unit admin prints it: the PDF states each year as the person\'s yearly totals, the issuing bureau and the verification address', async () => {
    person = await lixiaPerson();
    to = Math.min(person.last, currentYear());
    from = Math.max(person.first, to - 9);
    const r = await print(lixiaUnit, person.id, from, to);
    expect(r.status).toBe(200);
    expect(r.body.notice?.type).toBe('success');
    number = r.body.number!;
    expect(number).toMatch(new RegExp(`^SDZM${currentYear()}\\d{6}\\d{7}[0-9A-Z]{4}$`));
    expect(r.body.downloadUrl).toBe(`/admin/hour-proofs/${number}.pdf`);

    const started = Date.now();
    const pdf = await pdfOf(lixiaUnit, r.body.downloadUrl!);
    const ms = Date.now() - started;
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    const [text] = await textOf(pdf.bytes);
    expect(text).toContain('专业技术人员继续教育学时证明');
    expect(text).toContain(number);
    expect(text).toContain(person.name);
    expect(text).toContain('历下区人力资源和社会保障局');
    // Each year's row: 年度, 公需科目, 专业科目, 合计, 是否达标 — the person's yearly totals.
    const totals = await totalsOf(person.id, from, to);
    expect(totals.length).toBeGreaterThanOrEqual(2);
    for (const y of totals) {
      expect(text).toMatch(rowOf([y.year, h(y.public_hours), h(y.professional_hours), h(y.total_hours), y.completed ? '达标' : '未达标']));
    }
    // The QR code's address, printed beside it.
    expect(text).toContain(`/verify/${number}`);
    console.log(`学时证明 PDF: ${to - from + 1} 个年度, ${pdf.bytes.length} 字节, 下载 ${ms} ms`);

    const [stored] = await q<{ person_id: number; from_year: number; to_year: number; issued_by: number | null; issuer_name: string }>(
      'SELECT person_id, from_year, to_year, issued_by, issuer_name FROM hour_proofs WHERE number = :number', { number });
    expect(stored).toMatchObject({ person_id: person.id, from_year: from, to_year: to, issuer_name: '历下区人力资源和社会保障局' });
    expect(stored.issued_by).not.toBeNull();
  });

  it('the public verification page shows what the proof states, and whether the record still says the same', async () => {
    const anonymous = new Client(t.base);
    const r = await anonymous.get(`/verify/${number}`);
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('学时证明核验');
    expect(html).toContain('该学时证明真实有效');
    expect(html).toContain(person.name);
    expect(html).toContain(maskIdNumber(person.id_number));
    expect(html).not.toContain(person.id_number);
    expect(html).toContain(`${from}年度至${to}年度`);
    for (const y of await totalsOf(person.id, from, to)) expect(html).toContain(`${y.year}年度</th><td>${h(y.total_hours)} 学时`);

    // A later 学时审验 withdraws an approved declaration of a year of the span.
    const [decl] = await q<{ id: number; year: number }>(
      "SELECT id, year FROM hour_declarations WHERE person_id = :id AND status = 'approved' AND year BETWEEN :from AND :to ORDER BY id LIMIT 1",
      { id: person.id, from, to });
    const failed = await post(lixia, `/admin/api/resources/hour_verifications/records/${decl.id}/verificationFail`, { reason: '证明材料不符' });
    expect(failed.body.notice?.type).toBe('success');
    try {
      const changed = await (await anonymous.get(`/verify/${number}`)).text();
      expect(changed).toContain('该学时证明已失效');
      expect(changed).toContain(`${decl.year}年度的学时与当前记录不一致`);
      expect(changed).toContain('证明所载：');
      expect(changed).toContain('当前记录：');
      expect(changed).toContain('审验不通过');
      expect(changed).not.toContain('真实有效');
    } finally {
      await t.platform.db.owner.query("UPDATE hour_declarations SET status = 'approved', verification_reason = NULL, verified_at = NULL, verified_by = NULL WHERE id = :id",
        { replacements: { id: decl.id } });
    }
    expect(await (await anonymous.get(`/verify/${number}`)).text()).toContain('该学时证明真实有效');
  });

  it('the person prints its own, and its county HR department prints it too', async () => {
    const demo = DEMO_ACCOUNTS.find((a) => a.kind === 'person')!;
    const [self] = await q<{ id: number }>('SELECT p.id FROM persons p JOIN accounts a ON a.id = p.account_id WHERE a.id_number = :n', { n: demo.idNumber });
    const me = await loggedIn(t.base, demo.idNumber);
    const year = currentYear();
    const own = await print(me, self.id, year - 4, year);
    expect(own.body.notice?.type).toBe('success');
    const pdf = await pdfOf(me, own.body.downloadUrl!);
    expect(pdf.status).toBe(200);
    // The person reads its own ID number whole.
    const [{ id_number: idNumber }] = await q<{ id_number: string }>('SELECT id_number FROM persons WHERE id = :id', { id: self.id });
    expect((await textOf(pdf.bytes))[0]).toContain(idNumber);
    // Another person's record is not its to print.
    expect((await print(me, person.id, year - 4, year)).status).toBe(403);

    const hr = await print(lixia, person.id, from, to);
    expect(hr.body.notice?.type).toBe('success');
    expect((await pdfOf(lixia, hr.body.downloadUrl!)).status).toBe(200);
  });

  it('refuses a county admin outside the person\'s jurisdiction, stores nothing, and does not hand over another\'s proof', async () => {
    const before = await proofCount();
    const r = await print(shizhong, person.id, from, to);
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.body)).toMatch(/[\u4e00-\u9fa5]/);
    expect(JSON.stringify(r.body)).not.toContain(person.name);
    expect(await proofCount()).toBe(before);
    // The engine refuses by itself too (the worker, the API would call it without the panel's record load).
    const [{ id: account }] = await q<{ id: number }>('SELECT id FROM accounts WHERE id_number = :n', { n: admin('市中区人力资源和社会保障局') });
    const county = (await loadPrincipal(t.platform.db.owner, account, 'admin'))!;
    await expect(runAs(county, () => issueHourProof(t.platform.db.sequelize, county, { personId: person.id, from, to })))
      .rejects.toMatchObject({ status: 403, message: PERSON_OUTSIDE });
    expect(await proofCount()).toBe(before);
    const refusals = await q<{ n: string }>("SELECT count(*) n FROM audit_log WHERE resource = 'hour_proofs' AND outcome = 'refused' AND record_id = :r", { r: `person:${person.id}` });
    expect(Number(refusals[0].n)).toBeGreaterThanOrEqual(1);
    const pdf = await pdfOf(shizhong, `/admin/hour-proofs/${number}.pdf`);
    expect(pdf.status).toBe(404);
    expect(JSON.parse(pdf.bytes.toString()).notice.message).toBe('学时证明不存在或不在您的管辖范围内');
  });

  it('refuses a reversed span, more than ten years and years in the future with a Chinese message, storing nothing', async () => {
    const before = await proofCount();
    const year = currentYear();
    const cases: Array<[number | string, number | string, string]> = [
      [2024, 2022, '起始年度（2024年）不能晚于截止年度（2022年）'],
      [year - 10, year, '学时证明最多涵盖10个年度（所选为 11 个）'],
      [year - 1, year + 1, `截止年度不能晚于本年度（${year}年）`],
      ['20x1', year, '请填写正确的起止年度'],
      [1990, 1995, '起始年度不能早于2000年'],
    ];
    for (const [f, to2, message] of cases) {
      const r = await print(lixia, person.id, f, to2);
      expect(r.body.notice?.type).toBe('error');
      expect(r.body.notice?.message).toContain(message);
      expect(r.body.downloadUrl).toBeUndefined();
    }
    expect(await proofCount()).toBe(before);
  });
});

describe('a transfer carries a proof of hours', () => {
  it('is attached when both sides approved, issued by the sending bureau, and both sides download it', async () => {
    const person = await lixiaPerson(1);
    const [unit] = await q<{ id: number }>(`SELECT id FROM organisations WHERE kind = 'unit' AND status = 'active'
        AND path LIKE (SELECT path || '%' FROM organisations WHERE name = '市南区人力资源和社会保障局') ORDER BY id LIMIT 1`);
    const r = await post(lixia, '/admin/api/resources/transfers/actions/transferOut', { personId: person.id, toUnitId: unit.id, reason: '工作调动' });
    expect(r.body.notice?.type).toBe('success');
    const id = Number(r.body.redirectUrl!.match(/records\/(\d+)/)![1]);
    const tasks = await q<{ id: number; side: string }>("SELECT id, side FROM approval_tasks WHERE request_type = 'transfer' AND request_id = :id", { id });
    await post(lixia, `/admin/api/resources/transfer_out_reviews/records/${tasks.find((x) => x.side === 'source')!.id}/approve`);
    // Not yet complete: nothing attached.
    expect((await shinan.json<Answer>(`/admin/api/resources/transfers/records/${id}/show`)).body.record!.params.hour_proof).toBe('');
    await post(shinan, `/admin/api/resources/transfer_in_reviews/records/${tasks.find((x) => x.side === 'target')!.id}/approve`);

    const show = await shinan.json<Answer>(`/admin/api/resources/transfers/records/${id}/show`);
    const number = show.body.record!.params.hour_proof;
    expect(number).toMatch(/^SDZM/);
    expect(show.body.record!.params.hour_proof_url).toBe(`/admin/hour-proofs/${number}.pdf`);
    const year = currentYear();
    const [stored] = await q<{ transfer_id: number; from_year: number; to_year: number; issuer_name: string; org_path: string }>(
      'SELECT transfer_id, from_year, to_year, issuer_name, org_path FROM hour_proofs WHERE number = :number', { number });
    expect(stored).toMatchObject({ transfer_id: id, from_year: year - 4, to_year: year, issuer_name: '历下区人力资源和社会保障局' });
    // The proof moved with the person into the receiving jurisdiction.
    const [{ org_path: moved }] = await q<{ org_path: string }>('SELECT org_path FROM persons WHERE id = :id', { id: person.id });
    expect(stored.org_path).toBe(moved);

    const received = await pdfOf(shinan, show.body.record!.params.hour_proof_url);
    expect(received.status).toBe(200);
    const [text] = await textOf(received.bytes);
    for (const y of await totalsOf(person.id, year - 4, year)) expect(text).toMatch(rowOf([y.year, h(y.public_hours), h(y.professional_hours), h(y.total_hours)]));
    // The sending side, which no longer holds the person, still sees the transfer and its proof.
    expect((await lixia.json<Answer>(`/admin/api/resources/transfers/records/${id}/show`)).body.record!.params.hour_proof).toBe(number);
    expect((await pdfOf(lixia, show.body.record!.params.hour_proof_url)).status).toBe(200);
    // A third county sees neither.
    expect((await pdfOf(shizhong, show.body.record!.params.hour_proof_url)).status).toBe(404);
  });
});
