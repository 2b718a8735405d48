/**
 * 证明材料 (issue 17, item 1) through the real HTTP API: a declaration's proof is a real upload,
 * typed by its content and capped at 5 MB (refused in Chinese, nothing stored); the reviewer in
 * scope opens it (inline for the detail's preview, or as a download), an admin of another county
 * gets 404; the review list and the detail carry what the preview needs.
 */
import { QueryTypes } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { declarationForm, fieldsWithProof, PDF, pngOf, registrationForm } from '../helpers/evidence.js';
import { generateCreditCode, generateIdNumber } from '../../src/domain/identifiers.js';
import { levelsOf, titleFor } from '../../config/title-series.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';

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
const DECLARE = '/admin/api/resources/hour_declarations/actions/declareHours';
type Answer = { notice?: { message: string; type: string }; errors?: Record<string, string> };
let seq = 0;
async function declaration(extra: Record<string, unknown> = {}) {
  const [form] = await q<{ id: number }>("SELECT id FROM learning_forms WHERE code = 'face_to_face'");
  const [person] = await q<{ id: number }>(`SELECT id FROM persons WHERE status = 'active'
    AND org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局') ORDER BY id DESC LIMIT 1 OFFSET 7`);
  return { subjectType: 'professional', learningFormId: form.id, personIds: [person.id], ...extra,
    values: { activity_name: `证明材料测试班${Date.now()}-${++seq}`, start_date: '2026-03-02', end_date: '2026-03-04', organiser: '山东省人社厅', days: '3' } };
}
const declare = (payload: Record<string, unknown>, file?: { name: string; bytes: Buffer }) =>
  lixia.json<Answer>(DECLARE, { method: 'POST', body: declarationForm(payload, file) });
const stored = async (activity: unknown) => Number((await q<{ n: string }>('SELECT count(*) n FROM hour_declarations WHERE activity_name = :a', { a: activity }))[0].n);

describe('a declaration\'s proof is a real upload', () => {
  it('without a file the declaration is refused, naming the proof the form asks for', async () => {
    const input = await declaration();
    const r = await declare(input);
    expect(r.body.errors?.evidence).toMatch(/^请上传结业证书或培训证明（PDF 或 JPG\/PNG 图片，不超过 5 MB）$/);
    expect(await stored(input.values.activity_name)).toBe(0);
  });

  it('a file whose content is not a PDF or an image is refused whatever its name, and nothing is stored', async () => {
    const input = await declaration();
    const html = await declare(input, { name: '结业证书.png', bytes: Buffer.from('<html><script>alert(1)</script></html>') });
    expect(html.body.errors?.evidence).toBe('文件类型不受支持，请上传 PDF 或图片（JPG/PNG）');
    const docx = await declare(input, { name: '结业证书.docx', bytes: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]) });
    expect(docx.body.errors?.evidence).toBe('文件类型不受支持，请上传 PDF 或图片（JPG/PNG）');
    expect(await stored(input.values.activity_name)).toBe(0);
  });

  it('a file over 5 MB is refused in Chinese, and over the request limit refused before it is read; nothing is stored', async () => {
    const input = await declaration();
    const big = Buffer.concat([pngOf(), Buffer.alloc(5 * 1024 * 1024)]);
    const r = await declare(input, { name: '证书.png', bytes: big });
    expect(r.body.errors?.evidence).toBe('文件不能超过 5 MB');
    const huge = await lixia.request(DECLARE, { method: 'POST', body: declarationForm(input, { name: '证书.png', bytes: Buffer.alloc(21 * 1024 * 1024) }) });
    expect(huge.status).toBe(413);
    expect((await huge.json() as { notice: { message: string } }).notice.message).toBe('文件过大：单次上传不能超过 20 MB');
    expect(await stored(input.values.activity_name)).toBe(0);
  });

  it('计算学时 needs no file yet', async () => {
    const r = await lixia.json<{ preview?: { hours: number } }>(DECLARE, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...(await declaration()), dryRun: true }) });
    expect(r.body.preview?.hours).toBe(18);
  });
});

describe('the reviewer sees the proof; nobody outside the record\'s scope does', () => {
  const png = pngOf();
  let id: number;
  beforeAll(async () => {
    const input = await declaration();
    const r = await declare(input, { name: '结业证书 2026-018.png', bytes: png });
    expect(r.body.notice?.type).toBe('success');
    [{ id }] = await q<{ id: number }>('SELECT id FROM hour_declarations WHERE activity_name = :a', { a: input.values.activity_name });
    const [row] = await q<{ evidence_name: string; evidence_kind: string; bytes: number; details: Record<string, string> }>(
      'SELECT evidence_name, evidence_kind, length(evidence_file) bytes, details FROM hour_declarations WHERE id = :id', { id });
    expect(row).toEqual({ evidence_name: '结业证书 2026-018.png', evidence_kind: 'png', bytes: png.length, details: expect.objectContaining({ evidence: '结业证书 2026-018.png' }) });
  });

  it('the reviewer in scope downloads it, byte for byte, typed by its content', async () => {
    const file = await lixia.request(`/admin/files/hour_reviews/${id}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('结业证书 2026-018.png')}`);
    expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true);
  });

  it('the preview is served inline under a CSP that runs nothing', async () => {
    const file = await lixia.request(`/admin/files/hour_reviews/${id}?inline=1`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(file.headers.get('content-security-policy')).toContain('sandbox');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('the detail and the review list carry the proof\'s type and name (the preview and the 查看 link)', async () => {
    const show = await lixia.json<{ record: { params: Record<string, unknown> } }>(`/admin/api/resources/hour_reviews/records/${id}/show`);
    expect(show.body.record.params).toMatchObject({ evidence_kind: 'png', evidence_name: '结业证书 2026-018.png' });
    expect(show.body.record.params).not.toHaveProperty('evidence_file');
    const list = await lixia.json<{ records: Array<{ id: string; params: Record<string, unknown> }> }>('/admin/api/resources/hour_reviews/actions/list?filters.status=pending&perPage=50');
    const row = list.body.records.find((r) => String(r.id) === String(id));
    expect(row?.params.evidence_kind).toBe('png');
  });

  it('an admin of another county gets 404, as for a record that does not exist; so does the public', async () => {
    const shizhong = await loggedIn(t.base, admin('市中区人力资源和社会保障局'));
    expect((await shizhong.request(`/admin/files/hour_reviews/${id}`)).status).toBe(404);
    expect((await shizhong.request(`/admin/files/hour_declarations/${id}?inline=1`)).status).toBe(404);
    expect((await shizhong.request(`/admin/files/hour_reviews/${id + 100000000}`)).status).toBe(404);
    const anonymous = await new Client(t.base).request(`/admin/files/hour_reviews/${id}`);
    expect(anonymous.status).not.toBe(200);
  });

  it('a PDF proof is accepted and opens inline as a PDF', async () => {
    const input = await declaration();
    expect((await declare(input, { name: '培训证明.pdf', bytes: PDF })).body.notice?.type).toBe('success');
    const [{ id: pdfId }] = await q<{ id: number }>('SELECT id FROM hour_declarations WHERE activity_name = :a', { a: input.values.activity_name });
    const file = await lixia.request(`/admin/files/hour_reviews/${pdfId}?inline=1`);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toMatch(/^inline;/);
  });
});

describe('a title change carries its proof as a file', () => {
  const PERSON = DEMO_ACCOUNTS.find((a) => a.kind === 'person')!;
  it('refused without one or with a non-image, filed with one; the 市中 reviewer opens it, 历下 gets 404', async () => {
    const me = await loggedIn(t.base, PERSON.idNumber);
    const [self] = await q<{ id: number; title_series: string; title_level: string }>(
      'SELECT p.id, p.title_series, p.title_level FROM persons p JOIN accounts a ON a.id = p.account_id WHERE a.id_number = :n', { n: PERSON.idNumber });
    // A database kept between runs (PostgreSQL) may hold the previous run's request.
    await t.platform.db.owner.query("DELETE FROM change_requests WHERE person_id = :p AND status = 'pending'", { replacements: { p: self.id } });
    const level = levelsOf(self.title_series).find((l) => l !== self.title_level)!;
    const values = { title_series: self.title_series, title_level: level, title: titleFor(self.title_series, level)!, evidence: '聘任文件〔2026〕7号' };
    const path = `/admin/api/resources/persons/records/${self.id}/requestTitleChange`;
    const pending = async () => q('SELECT 1 FROM change_requests WHERE person_id = :p AND status = \'pending\'', { p: self.id });
    const none = await me.json<Answer>(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(values) });
    expect(none.body.errors).toEqual({ evidence_file: '请上传职称证书或聘任文件（PDF 或 JPG/PNG 图片，不超过 5 MB）' });
    const fake = await me.json<Answer>(path, { method: 'POST', body: fieldsWithProof(values, { name: '聘任文件.jpg', bytes: Buffer.from('GIF89a fake') }) });
    expect(fake.body.errors).toEqual({ evidence_file: '文件类型不受支持，请上传 PDF 或图片（JPG/PNG）' });
    expect(await pending()).toHaveLength(0);
    const png = pngOf(200, 120);
    const ok = await me.json<Answer>(path, { method: 'POST', body: fieldsWithProof(values, { name: '聘任文件.png', bytes: png }) });
    expect(ok.body.notice?.type).toBe('success');
    const [req] = await q<{ id: number }>("SELECT id FROM change_requests WHERE person_id = :p AND status = 'pending'", { p: self.id });

    const shizhong = await loggedIn(t.base, admin('市中区人力资源和社会保障局'));
    const show = await shizhong.json<{ record: { params: Record<string, unknown> } }>(`/admin/api/resources/change_requests/records/${req.id}/show`);
    expect(show.body.record.params).toMatchObject({ evidence_kind: 'png', evidence_name: '聘任文件.png', evidence: '聘任文件〔2026〕7号' });
    const file = await shizhong.request(`/admin/files/change_requests/${req.id}?inline=1`);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true);
    expect((await lixia.request(`/admin/files/change_requests/${req.id}`)).status).toBe(404);
  });
});

describe('a registration carries the organisation\'s licence as a file', () => {
  it('refused without one, or oversize, or not an image/PDF (nothing created); the 历下 reviewer opens it, 市中 gets 404', async () => {
    const [bureau] = await q<{ id: number }>("SELECT id FROM organisations WHERE name = '历下区人力资源和社会保障局'");
    const n = Date.now() % 1_000_000;
    const fields = { kind: 'unit', superiorId: String(bureau.id), orgName: `济南证照测试有限公司${n}`, creditCode: generateCreditCode(9_100_000 + n),
      idNumber: generateIdNumber('370102', '19880412', n % 1000), name: '孙证照', mobile: '13700002222', email: 'sun@example.com', password: 'Reg#Pass2026', confirm: 'Reg#Pass2026' };
    const post = async (licence?: { name: string; bytes: Buffer }) => (await new Client(t.base).request('/register', { method: 'POST', body: registrationForm(fields, licence) }));
    const errorOf = (html: string) => html.match(/data-error="licence">([^<]*)</)?.[1];
    expect(errorOf(await (await post()).text())).toBe('请上传营业执照或法人（登记）证书（PDF 或 JPG/PNG 图片，不超过 5 MB）');
    expect(errorOf(await (await post({ name: '营业执照.pdf', bytes: Buffer.from('MZ\x90\x00 not a pdf') })).text())).toBe('文件类型不受支持，请上传 PDF 或图片（JPG/PNG）');
    const tooBig = await post({ name: '营业执照.png', bytes: Buffer.concat([pngOf(), Buffer.alloc(6 * 1024 * 1024)]) });
    expect(tooBig.status).toBe(413);
    expect(await tooBig.text()).toContain('文件过大：单次上传不能超过 5 MB');
    expect(await q('SELECT 1 FROM organisations WHERE name = :n', { n: fields.orgName })).toHaveLength(0);

    const png = pngOf(240, 160);
    expect(await (await post({ name: '营业执照.png', bytes: png })).text()).toContain('注册信息已提交');
    const [reg] = await q<{ id: number }>('SELECT r.id FROM registrations r JOIN organisations o ON o.id = r.organisation_id WHERE o.name = :n', { n: fields.orgName });
    const show = await lixia.json<{ record: { params: Record<string, unknown> } }>(`/admin/api/resources/registrations/records/${reg.id}/show`);
    expect(show.body.record.params).toMatchObject({ licence_kind: 'png', licence_name: '营业执照.png' });
    const file = await lixia.request(`/admin/files/registrations/${reg.id}?inline=1`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true);
    const shizhong = await loggedIn(t.base, admin('市中区人力资源和社会保障局'));
    expect((await shizhong.request(`/admin/files/registrations/${reg.id}`)).status).toBe(404);
  });
});
