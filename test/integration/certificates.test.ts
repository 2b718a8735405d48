/**
 * 电子证书查询打印 (issue #6 item 5) through the real HTTP API: issuing once per person and
 * year, the PDF's text layer (embedded CJK font with a ToUnicode map), the public
 * verification page, refusals (incomplete year, another county's person or unit, forged
 * numbers), the audit trail, and two concurrent issues of the same certificate.
 */
import { QueryTypes } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS, DEMO_UNIT_LIXIA } from '../../src/db/demo-accounts.js';
import { maskIdNumber } from '../../src/domain/identifiers.js';
import { pdfOf, textOf } from '../helpers/pdf.js';

let t: TestPlatform;
let lixia: Client;
let shizhong: Client;
beforeAll(async () => {
  t = await startTestPlatform();
  lixia = await loggedIn(t.base, admin('历下区人力资源和社会保障局'));
  shizhong = await loggedIn(t.base, admin('市中区人力资源和社会保障局'));
});
afterAll(async () => { await t.close(); });

function admin(org: string) { return DEMO_ACCOUNTS.find((a) => a.organisationName === org && a.isSuper)!.idNumber; }
async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  return t.platform.db.owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
}
type Answer = { notice?: { message: string; type: string }; number?: string; downloadUrl?: string; downloadUrls?: string[]; count?: number; units?: Array<{ id: number; persons: number }> };
const post = (c: Client, path: string, data: Record<string, unknown> = {}) => c.json<Answer>(path, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data),
});
const API = '/admin/api/resources/certificate_years';

interface Year { id: string; person_id: number; year: number; name: string; id_number: string; unit_id: number; total_hours: string }
/** Completed years without a certificate yet, of persons under a bureau (test files share the database). */
async function uncertified(bureau: string, n = 1): Promise<Year[]> {
  return q<Year>(`SELECT v.id::text, v.person_id, v.year, v.name, v.id_number, v.unit_id, v.total_hours FROM certificate_years v
     WHERE v.completed AND v.certificate_number IS NULL AND v.org_path LIKE (SELECT path || '%' FROM organisations WHERE name = :bureau)
     ORDER BY v.id LIMIT :n`, { bureau, n });
}

describe('printing one certificate', () => {
  let year: Year;
  let number: string;

  it('issues a number once and downloads a PDF whose text layer has the name and the number', async () => {
    [year] = await uncertified('历下区人力资源和社会保障局');
    const first = await post(lixia, `${API}/records/${year.id}/printCertificate`);
    expect(first.status).toBe(200);
    expect(first.body.notice?.type).toBe('success');
    number = first.body.number!;
    expect(number).toMatch(new RegExp(`^SD${year.year}\\d{6}\\d{7}[0-9A-Z]{4}$`));
    const again = await post(lixia, `${API}/records/${year.id}/printCertificate`);
    expect(again.body.number).toBe(number);
    expect(again.body.notice?.message).toContain('证书已存在');

    const pdf = await pdfOf(lixia, first.body.downloadUrl!);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // The CJK font is embedded (a subset) with a ToUnicode map; nothing refers to a system font.
    const raw = pdf.bytes.toString('latin1');
    expect(raw).toMatch(/\/FontFile2/);
    expect(raw).toMatch(/\/ToUnicode/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSerifSC-Regular/);
    expect(pdf.bytes.length).toBeLessThan(150_000);
    const [text] = await textOf(pdf.bytes);
    expect(text).toContain(year.name);
    expect(text).toContain(number);
    expect(text).toContain('专业技术人员继续教育证书');
    expect(text).toContain('历下区人力资源和社会保障局');
  });

  it('records issuing and printing in the audit log', async () => {
    const rows = await q<{ action: string; outcome: string }>(
      "SELECT action, outcome FROM audit_log WHERE resource = 'certificates' AND record_id = :number ORDER BY id", { number });
    expect(rows.filter((r) => r.action === 'issue')).toHaveLength(1);
    expect(rows.some((r) => r.action === 'print' && r.outcome === 'ok')).toBe(true);
  });

  it('lists the year with its certificate number, the ID number masked', async () => {
    const r = await lixia.json<{ records: Array<{ id: string; params: Record<string, unknown> }> }>(`${API}/actions/list?filters.certificate_number=${number}`);
    expect(r.body.records.map((x) => String(x.id))).toEqual([year.id]);
    expect(r.body.records[0].params.id_number).toBe(maskIdNumber(year.id_number));
  });

  it('opens the verification page without login and shows the key facts', async () => {
    const anonymous = new Client(t.base);
    const r = await anonymous.get(`/verify/${number}`);
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('该证书真实有效');
    expect(html).toContain(number);
    expect(html).toContain(year.name);
    expect(html).toContain(maskIdNumber(year.id_number));
    expect(html).not.toContain(year.id_number);
    expect(html).toContain(`${year.year}年度`);
    expect(html).toContain(`${Number(year.total_hours)} 学时`);
    expect(html).toContain('历下区人力资源和社会保障局');
    expect(html).toMatch(/发证日期<\/th><td>\d{4}年\d{1,2}月\d{1,2}日/);
    // Typed in lower case, or through the form: the same certificate.
    expect((await anonymous.get(`/verify/${number.toLowerCase()}`)).status).toBe(200);
    const form = await anonymous.get(`/verify?no=${number}`);
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe(`/verify/${number}`);
  });

  it('answers an unknown or forged number with a Chinese "not found" page, no stack', async () => {
    const anonymous = new Client(t.base);
    for (const forged of [`${number.slice(0, -4)}0000`, 'SD20250000000000000ABCD', '%3Cscript%3Ealert(1)%3C%2Fscript%3E', "1' OR '1'='1"]) {
      const r = await anonymous.get(`/verify/${forged}`);
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toMatch(/text\/html/);
      const html = await r.text();
      expect(html).toContain('未找到该证书');
      expect(html).not.toMatch(/<script>|Error|at \w+ \(/);
    }
  });
});

describe('a year that is no longer complete (学时审验 withdrew hours)', () => {
  it('shows the certificate as no longer valid and prints it no more', async () => {
    const [y] = await uncertified('历下区人力资源和社会保障局');
    const { body } = await post(lixia, `${API}/records/${y.id}/printCertificate`);
    const reset = (completed: boolean) => t.platform.db.owner.query('UPDATE person_year_hours SET completed = :completed WHERE id = :id', { replacements: { completed, id: y.id } });
    await reset(false);
    try {
      const html = await (await new Client(t.base).get(`/verify/${body.number}`)).text();
      expect(html).toContain('证书已失效');
      expect(html).not.toContain('真实有效');
      expect((await pdfOf(lixia, body.downloadUrl!)).status).toBe(404);
    } finally {
      await reset(true);
    }
  });
});

describe('refusals', () => {
  it('refuses an incomplete year with the reason', async () => {
    const [y] = await q<{ id_number: string; year: number; public_hours: string; professional_hours: string }>(
      `SELECT p.id_number, y.year, y.public_hours, y.professional_hours FROM person_year_hours y JOIN persons p ON p.id = y.person_id
        WHERE NOT y.completed AND y.org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局')
        ORDER BY y.person_id LIMIT 1`);
    const total = Number(y.public_hours) + Number(y.professional_hours);
    const r = await post(lixia, `${API}/actions/printByIdNumber`, { idNumber: y.id_number, year: y.year });
    expect(r.body.notice?.type).toBe('error');
    expect(r.body.notice?.message).toContain(`${y.year}年度学时未达标：已完成 ${total} 学时，要求 90 学时`);
    expect(r.body.downloadUrl).toBeUndefined();
    // A year without any approved hours: the same refusal, nothing completed.
    const none = await post(lixia, `${API}/actions/printByIdNumber`, { idNumber: y.id_number, year: 2001 });
    expect(none.body.notice?.message).toContain('2001年度学时未达标：已完成 0 学时，要求 90 学时');
    // The incomplete year is not a printable record either.
    const [row] = await q<{ id: string }>("SELECT id::text FROM person_year_hours WHERE NOT completed AND org_path LIKE '/%' LIMIT 1");
    expect([403, 404]).toContain((await post(lixia, `${API}/records/${row.id}/printCertificate`)).status);
  });

  it("never lets a county admin print another county's certificate or batch, by any path", async () => {
    const [y] = await uncertified('历下区人力资源和社会保障局');
    const issued = await post(lixia, `${API}/records/${y.id}/printCertificate`);
    const number = issued.body.number!;
    // The record action on a forged id, the PDF by number, the ID-number path, the batch.
    const byRecord = await post(shizhong, `${API}/records/${y.id}/printCertificate`);
    expect(byRecord.status).toBe(403);
    expect(JSON.stringify(byRecord.body)).not.toContain(y.name);
    const pdf = await pdfOf(shizhong, `/admin/certificates/${number}.pdf`);
    expect(pdf.status).toBe(404);
    expect(pdf.bytes.toString()).not.toContain(y.name);
    const byId = await post(shizhong, `${API}/actions/printByIdNumber`, { idNumber: y.id_number, year: y.year });
    expect(byId.body.notice?.message).toContain('不在您的管辖范围内');
    expect(byId.body.downloadUrl).toBeUndefined();
    // AdminJS answers a resource action's ForbiddenError with an error notice (HTTP 200) and no data.
    const batch = await post(shizhong, `${API}/actions/printBatch`, { unitId: y.unit_id, year: y.year });
    expect(batch.body.notice).toEqual({ message: '该单位不存在或不在您的管辖范围内', type: 'error' });
    expect(batch.body.downloadUrls).toBeUndefined();
    expect(batch.body.count).toBeUndefined();
    const batchPdf = await pdfOf(shizhong, `/admin/certificates/batch.pdf?unit=${y.unit_id}&year=${y.year}`);
    expect(batchPdf.status).toBe(403);
    // The picker of units lists none of 历下's.
    const picker = await shizhong.json<Answer>(`${API}/actions/printBatch?year=${y.year}`);
    expect(picker.body.units!.map((u) => u.id)).not.toContain(y.unit_id);
    // Every refusal is on record.
    const refused = await q<{ n: string }>(
      "SELECT count(*) n FROM audit_log WHERE outcome = 'refused' AND actor_name = '刘婷' AND (record_id = :number OR record_id = :unit)",
      { number, unit: `unit:${y.unit_id}` });
    expect(Number(refused[0].n)).toBeGreaterThanOrEqual(3);
  });

  it("lets a unit admin print its own unit's batch but not another unit's", async () => {
    const unitAdmin = await loggedIn(t.base, admin(DEMO_UNIT_LIXIA));
    const [own] = await q<{ id: number }>('SELECT id FROM organisations WHERE name = :n', { n: DEMO_UNIT_LIXIA });
    const [other] = await q<{ unit_id: number; year: number }>(
      `SELECT unit_id, year FROM certificate_years WHERE completed AND unit_id <> :own
         AND org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局') LIMIT 1`, { own: own.id });
    const foreign = await post(unitAdmin, `${API}/actions/printBatch`, { unitId: other.unit_id, year: other.year });
    expect(foreign.body.notice).toEqual({ message: '该单位不存在或不在您的管辖范围内', type: 'error' });
    expect(foreign.body.downloadUrls).toBeUndefined();
    const [mine] = await q<{ year: number }>('SELECT year FROM certificate_years WHERE completed AND unit_id = :own LIMIT 1', { own: own.id });
    if (mine) {
      const r = await post(unitAdmin, `${API}/actions/printBatch`, { unitId: own.id, year: mine.year });
      expect(r.body.notice?.type).toBe('success');
    }
  });
});

describe('a unit in one PDF', () => {
  it("prints every completed person of the unit and year, one page each, and only those", async () => {
    const [unit] = await q<{ unit_id: number; year: number; n: string }>(
      `SELECT unit_id, year, count(*) n FROM certificate_years WHERE completed
         AND org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局')
        GROUP BY unit_id, year ORDER BY count(*) DESC LIMIT 1`);
    const expected = Number(unit.n);
    const picker = await lixia.json<Answer>(`${API}/actions/printBatch?year=${unit.year}`);
    expect(picker.body.units!.find((u) => u.id === unit.unit_id)?.persons).toBe(expected);

    const r = await post(lixia, `${API}/actions/printBatch`, { unitId: unit.unit_id, year: unit.year });
    expect(r.status).toBe(200);
    expect(r.body.count).toBe(expected);
    expect(r.body.downloadUrls).toHaveLength(1);
    const started = Date.now();
    const pdf = await pdfOf(lixia, r.body.downloadUrls![0]);
    const ms = Date.now() - started;
    expect(pdf.status).toBe(200);
    const pages = await textOf(pdf.bytes);
    expect(pages).toHaveLength(expected);
    const people = await q<{ name: string; number: string }>(
      'SELECT name, certificate_number number FROM certificate_years WHERE completed AND unit_id = :unit AND year = :year', { unit: unit.unit_id, year: unit.year });
    expect(people.every((p) => p.number)).toBe(true);
    for (const p of people) expect(pages.some((page) => page.includes(p.name) && page.includes(p.number))).toBe(true);
    // Incomplete years of the unit got no certificate.
    const [wrong] = await q<{ n: string }>(
      'SELECT count(*) n FROM certificate_years WHERE NOT completed AND unit_id = :unit AND year = :year AND certificate_number IS NOT NULL', { unit: unit.unit_id, year: unit.year });
    expect(Number(wrong.n)).toBe(0);
    console.log(`批量证书：${expected} 份，PDF ${Math.round(pdf.bytes.length / 1024)} KB，下载用时 ${ms} ms`);
  });
});

describe('concurrency', () => {
  it('gives two simultaneous issues of the same person and year one number', async () => {
    const [y] = await uncertified('历下区人力资源和社会保障局');
    const jinan = await loggedIn(t.base, admin('济南市人力资源和社会保障局'));
    const [a, b] = await Promise.all([
      post(lixia, `${API}/records/${y.id}/printCertificate`),
      post(jinan, `${API}/records/${y.id}/printCertificate`),
    ]);
    expect(a.body.notice?.type).toBe('success');
    expect(b.body.notice?.type).toBe('success');
    expect(a.body.number).toBe(b.body.number);
    const rows = await q<{ number: string }>('SELECT number FROM certificates WHERE person_id = :p AND year = :y', { p: y.person_id, y: y.year });
    expect(rows).toEqual([{ number: a.body.number }]);
    const issues = await q<{ n: string }>("SELECT count(*) n FROM audit_log WHERE action = 'issue' AND record_id = :n", { n: a.body.number });
    expect(Number(issues[0].n)).toBe(1);
  });
});

describe('the public page under load', () => {
  it('limits look-ups per address, with a Chinese page', async () => {
    const express = (await import('express')).default;
    const { mountVerification, tooManyLookups } = await import('../../src/public/verify.js');
    const { rateLimits } = await import('../../src/auth/rate-limit.js');
    const pg = (await import('pg')).default;
    const pool = new pg.Pool({ connectionString: t.platform.db.url, max: 1 });
    const limits = rateLimits({
      databaseUrl: t.platform.db.url, pool, namespace: `verify-test-${Date.now()}`, attemptsPerMinute: 100, registerPerMinute: 100, verifyPerMinute: 2,
      onLimited: { attempts: tooManyLookups, verify: tooManyLookups },
    });
    const app = express();
    mountVerification(app, t.platform.db.sequelize, limits.verify);
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${base}/verify/SD20250000000000000ABCD`)).status);
      expect(statuses).toEqual([404, 404, 429]);
      expect(await (await fetch(`${base}/verify`)).text()).toContain('查询过于频繁，请稍后再试');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await pool.end();
    }
  });
});
