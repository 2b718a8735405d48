/**
 * Issue 17, the reviewer's lists, through the HTTP API as a reviewer uses them: 学时审验 as its
 * own step (5), text filters for 姓名 / 身份证号 / 工作单位 (3), registration review showing what
 * must be checked (4), the person list counting what statistics count (8), 新增管理员 from the
 * registered persons of an HR bureau (9), 新增角色 with its permissions (10), and imports reporting
 * every error of a row (11).
 */
import { QueryTypes } from 'sequelize';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import ExcelJS from 'exceljs';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { generateCreditCode, generateIdNumber } from '../../src/domain/identifiers.js';
import { pngOf, registrationForm } from '../helpers/evidence.js';

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
    // Every seeded 审验不通过 (the seed's four verification reasons) still has its first decision. Rows
    // that other files (which run before this one in an order that differs between databases) insert directly as 'approved' and then
    // fail in verification have no first decision to keep: they are not counted here.
    const [seeded] = await q<{ n: number; kept: number }>(`SELECT count(*)::int n, count(*) FILTER (WHERE decided_by IS NOT NULL AND verified_at >= decided_at)::int kept
      FROM hour_declarations WHERE status = 'verification_failed' AND verification_reason LIKE '审验发现%'`);
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

describe('the person list counts whom the statistics count (item 8)', () => {
  const YEAR = 2025;
  type List = { records: Array<{ params: Record<string, unknown> }>; meta: { total: number } };
  it('opens on active persons with a status column; totals equal 继教综合统计 and 继教完成情况; 全部状态 shows everyone', async () => {
    const jinan = await loggedIn(t.base, admin('济南市人力资源和社会保障局'));
    const JINAN = "(SELECT path || '%' FROM organisations WHERE name = '济南市人力资源和社会保障局')";
    // Make sure the jurisdiction holds persons of every status, as the province's data does.
    const [{ n: inactive }] = await q<{ n: number }>(`SELECT count(*)::int n FROM persons WHERE org_path LIKE ${JINAN} AND status <> 'active'`);
    if (inactive === 0) await t.platform.db.owner.query(`UPDATE persons SET status = 'disabled' WHERE id = (SELECT id FROM persons WHERE org_path LIKE ${JINAN} ORDER BY id DESC LIMIT 1)`);
    const [{ active, all }] = await q<{ active: number; all: number }>(`SELECT count(*) FILTER (WHERE status = 'active')::int active, count(*)::int "all" FROM persons WHERE org_path LIKE ${JINAN}`);
    expect(all).toBeGreaterThan(active);

    const list = await jinan.json<List>('/admin/api/resources/persons/actions/list');
    const overview = await jinan.json<{ total: { persons: number } }>(`/admin/api/resources/statistics_overview/actions/overview?year=${YEAR}`);
    expect(list.body.meta.total).toBe(active);
    expect(overview.body.total.persons).toBe(list.body.meta.total);
    expect(list.body.records.every((r) => r.params.status === 'active')).toBe(true);

    const completion = await jinan.json<{ total: { none: number; completed: number } }>(`/admin/api/resources/statistics_completion/actions/completion?year=${YEAR}`);
    const none = await jinan.json<List>(`/admin/api/resources/persons/actions/list?filters.completion=${YEAR}:none`);
    expect(none.body.meta.total).toBe(completion.body.total.none);
    const done = await jinan.json<List>(`/admin/api/resources/persons/actions/list?filters.completion=${YEAR}:completed`);
    expect(done.body.meta.total).toBe(completion.body.total.completed);

    expect((await jinan.json<List>('/admin/api/resources/persons/actions/list?filters.status=any')).body.meta.total).toBe(all);
    let others = 0;
    for (const s of ['pending', 'rejected', 'disabled']) others += (await jinan.json<List>(`/admin/api/resources/persons/actions/list?filters.status=${s}`)).body.meta.total;
    expect(active + others).toBe(all);
  });
});

describe('an import reports every error of a row (item 11)', () => {
  async function run(kind: 'persons' | 'hours', rows: string[][]) {
    const resource = kind === 'persons' ? 'persons/actions/importPersons' : 'hour_declarations/actions/importHours';
    const template = new ExcelJS.Workbook();
    await template.xlsx.load(await (await lixia.request(`/admin/files/templates/${kind}`)).arrayBuffer());
    const header = (template.worksheets[0].getRow(1).values as string[]).slice(1);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('导入');
    ws.addRow(header);
    for (const r of rows) ws.addRow(r);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(Buffer.from(await wb.xlsx.writeBuffer()))]), '导入.xlsx');
    const up = await lixia.json<{ jobId: number }>(`/admin/api/resources/${resource}`, { method: 'POST', body: form });
    for (let i = 0; i < 300; i++) {
      const r = await lixia.json<{ job: { status: string; error_rows: number; committed_rows: number } }>(`/admin/api/resources/${resource}?jobId=${up.body.jobId}`);
      if (['succeeded', 'failed'].includes(r.body.job.status)) {
        if (!r.body.job.error_rows) return { job: r.body.job, reasons: [] };
        const report = new ExcelJS.Workbook();
        await report.xlsx.load(await (await lixia.request(`/admin/files/import-jobs/${up.body.jobId}`)).arrayBuffer());
        return { job: r.body.job, reasons: report.worksheets[0].getColumn(header.length + 2).values.slice(2).map(String) };
      }
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('import did not finish');
  }
  let n = 0;
  const freshId = async () => {
    for (;;) {
      const id = generateIdNumber('370102', `1986${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}`, (Date.now() + n++) % 1000);
      if (!(await q('SELECT 1 FROM accounts WHERE id_number = :id UNION ALL SELECT 1 FROM persons WHERE id_number = :id', { id })).length) return id;
    }
  };

  it('persons: a bad level and an out-of-area unit; a bad mobile, e-mail and education — all of them', async () => {
    const [foreign] = await q<{ credit_code: string }>("SELECT credit_code FROM organisations WHERE kind = 'unit' AND credit_code IS NOT NULL AND path LIKE (SELECT path || '%' FROM organisations WHERE name = '市南区人力资源和社会保障局') LIMIT 1");
    const [unit] = await q<{ credit_code: string }>(`SELECT credit_code FROM organisations WHERE kind = 'unit' AND status = 'active' AND credit_code IS NOT NULL AND path LIKE ${LIXIA} LIMIT 1`);
    const { job, reasons } = await run('persons', [
      ['全错甲', await freshId(), foreign.credit_code, '工程技术', '高级', '工程师', '大学本科', '13912345678', ''],
      ['全错乙', await freshId(), unit.credit_code, '工程技术', '中级', '工程师', '私塾', '123', 'not-an-email'],
      ['', '370102198501010010', unit.credit_code, '工程技术', '中级', '工程师', '大学本科', '', ''],
    ]);
    expect(job).toMatchObject({ status: 'succeeded', committed_rows: 0, error_rows: 3 });
    const row6 = reasons[0].split('；');
    expect(row6).toHaveLength(2);
    expect(row6[0]).toMatch(/职称级别应为/);
    expect(row6[1]).toBe('所在单位不存在、未启用或不在本辖区内');
    const row5 = reasons[1].split('；');
    expect(row5).toHaveLength(3);
    expect(row5[0]).toMatch(/学历应为/);
    expect(row5[1]).toMatch(/手机/);
    expect(row5[2]).toMatch(/邮箱/);
    expect(reasons[2].split('；')).toEqual(['姓名为空', '身份证号码校验位不正确']);
  });

  it('an HR bureau imports its own staff, and 新增管理员 picks one of them (item 9)', async () => {
    const [bureau] = await q<{ id: number; credit_code: string }>("SELECT id, credit_code FROM organisations WHERE name = '历下区人力资源和社会保障局'");
    const idNumber = await freshId();
    const { job } = await run('persons', [['局内甲', idNumber, bureau.credit_code, '经济', '中级', '经济师', '大学本科', '13912340000', '']]);
    expect(job).toMatchObject({ status: 'succeeded', committed_rows: 1, error_rows: 0 });
    const [person] = await q<{ account_id: number; unit_id: number }>('SELECT account_id, unit_id FROM persons WHERE id_number = :id', { id: idNumber });
    expect(person.unit_id).toBe(bureau.id);
    const options = await lixia.json<{ candidates: Array<{ accountId: number; label: string }> }>('/admin/api/resources/admins/actions/addAdmin');
    expect(options.body.candidates.find((c) => c.accountId === person.account_id)?.label).toMatch(/^局内甲（/);
    const added = await post(lixia, '/admin/api/resources/admins/actions/addAdmin', { mode: 'pick', accountId: String(person.account_id) });
    expect(added.body.notice?.type).toBe('success');
    expect(await q('SELECT organisation_id FROM admins WHERE account_id = :a', { a: person.account_id })).toEqual([{ organisation_id: bureau.id }]);
    // Another bureau's credit code is still outside 历下's jurisdiction.
    const [city] = await q<{ credit_code: string }>("SELECT credit_code FROM organisations WHERE name = '济南市人力资源和社会保障局'");
    const refused = await run('persons', [['局外乙', await freshId(), city.credit_code, '经济', '中级', '经济师', '大学本科', '', '']]);
    expect(refused.reasons).toEqual(['所在单位不存在、未启用或不在本辖区内']);
  });

  it('hours: a bad date, bad hours and a person outside the jurisdiction — all of them', async () => {
    const [outsider] = await q<{ name: string; id_number: string }>("SELECT name, id_number FROM persons WHERE org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '市南区人力资源和社会保障局') LIMIT 1");
    const { job, reasons } = await run('hours', [
      [outsider.name, outsider.id_number, '全错培训', '2026/13/01', '2026-04-02', '本单位', '0', '签到表'],
    ]);
    expect(job).toMatchObject({ status: 'succeeded', committed_rows: 0, error_rows: 1 });
    expect(reasons[0].split('；')).toEqual(['开始日期格式应为 YYYY-MM-DD', '培训学时应为大于0的数字', '该身份证号不是本辖区的在册专业技术人员']);
  });
});

describe('registration review shows what to check and names the record (item 4)', () => {
  type Facts = { record?: { title: string; populated?: Record<string, { title: string } | null> }; facts?: Array<{ label: string; value: string }> };
  it('an organisation: credit code, superior, contact and its admin; a person: ID number, unit, mobile — in the dialog and on the detail', async () => {
    const jinan = await loggedIn(t.base, admin('济南市人力资源和社会保障局'));
    const JINAN = "(SELECT path || '%' FROM organisations WHERE name = '济南市人力资源和社会保障局')";
    // A unit registers under 历下 through /register, as a real applicant does.
    const n = Date.now() % 1_000_000;
    const idNumber = generateIdNumber('370102', '19880305', n % 1000);
    // With its licence as a file (issue 17 item 1: a registration carries its 营业执照).
    const registered = await (await new Client(t.base).request('/register', { method: 'POST', body: registrationForm({
      kind: 'unit', superiorId: String((await q<{ id: number }>("SELECT id FROM organisations WHERE name = '历下区人力资源和社会保障局'"))[0].id),
      orgName: `济南审核要点科技有限公司${n}`, creditCode: generateCreditCode(7_000_000 + n), idNumber, name: '审要点', mobile: '13700002222',
      email: 'check@example.com', password: 'Reg#Pass2026', confirm: 'Reg#Pass2026',
    }, { name: '营业执照.png', bytes: pngOf() }) })).text();
    expect(registered).toContain('注册信息已提交');
    const [org] = await q<{ id: number; name: string; credit_code: string; contact_name: string }>(`SELECT r.id, o.name, o.credit_code, o.contact_name FROM registrations r
      JOIN organisations o ON o.id = r.organisation_id WHERE o.name = :name`, { name: `济南审核要点科技有限公司${n}` });
    expect(org).toBeDefined();
    const dialog = await jinan.json<Facts>(`/admin/api/resources/registrations/records/${org.id}/approve`);
    // The dialog's question is filled from the referenced organisation's title: "通过 济南某某公司 的注册申请？".
    expect(dialog.body.record?.populated?.organisation_id?.title).toBe(org.name);
    const facts = Object.fromEntries((dialog.body.facts ?? []).map((f) => [f.label, f.value]));
    expect(facts).toMatchObject({ 注册类型: '用人单位', 机构名称: org.name, 统一社会信用代码: org.credit_code, 联系人: org.contact_name ?? '—' });
    expect(facts).toMatchObject({ 管理员: '审要点', 管理员身份证号: idNumber, 上级主管部门: '历下区人力资源和社会保障局' });
    // The detail's 审核要点 read the same, through the record's show scope.
    expect((await jinan.json<Facts>(`/admin/api/resources/registrations/records/${org.id}/facts`)).body.facts).toEqual(dialog.body.facts);

    const [person] = await q<{ id: number; id_number: string; unit: string }>(`SELECT r.id, p.id_number, u.name unit FROM registrations r JOIN persons p ON p.id = r.person_id
      JOIN organisations u ON u.id = p.unit_id WHERE r.kind = 'person' AND r.org_path LIKE ${JINAN} ORDER BY r.status = 'pending' DESC, r.id LIMIT 1`);
    const pf = Object.fromEntries(((await jinan.json<Facts>(`/admin/api/resources/registrations/records/${person.id}/facts`)).body.facts ?? []).map((f) => [f.label, f.value]));
    expect(pf).toMatchObject({ 注册类型: '专业技术人员', 身份证号: person.id_number.trim(), 所在单位: person.unit });

    // Outside the jurisdiction: no facts (青岛 cannot read 济南's registration).
    const qingdao = await loggedIn(t.base, admin('青岛市人力资源和社会保障局'));
    const outside = await qingdao.json<Facts>(`/admin/api/resources/registrations/records/${org.id}/facts`);
    expect(outside.status).toBe(403);
    expect(outside.body.facts).toBeUndefined();
  });

  it('every confirmation is a question naming the record', async () => {
    const page = await loggedIn(t.base, admin('济南市人力资源和社会保障局'));
    const html = await (await page.request('/admin/resources/registrations')).text();
    // The actions' wording travels in the page's state: "通过 {title} 的注册申请？" (filled by the dialog), never "记录：".
    expect(html).toContain('通过 {organisation_id}{person_id} 的注册申请？');
    expect(html).toContain('驳回 {organisation_id}{person_id} 的注册申请？');
    expect(html).toContain('通过选中的 {count} 条注册申请？');
    expect(html).toContain('审验不通过 {person_id} 的学时「{title}」？');
    expect(html).not.toContain('记录：');
  });
});

describe('新增角色 is one form with the permission tree (item 10)', () => {
  type Tree = { catalog?: Array<{ key: string; submodules: Array<{ items: Array<{ code: string; grantable: boolean }> }> }>; checked?: string[]; notice?: { message: string; type: string }; record?: { id: string } };
  it('creates the role with its permissions in one POST; refuses codes the creator does not hold; the detail lists the tree', async () => {
    const form = await lixia.json<Tree>('/admin/api/resources/roles/actions/new');
    expect(form.status).toBe(200);
    const module = form.body.catalog!.find((m) => m.submodules.some((s) => s.items.some((i) => i.grantable)))!;
    const codes = module.submodules.flatMap((s) => s.items).filter((i) => i.grantable).map((i) => i.code);
    expect(codes.length).toBeGreaterThan(1);

    const name = `审核员角色${Date.now() % 100000}`;
    const created = await lixia.json<Tree>('/admin/api/resources/roles/actions/new', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, description: '一次填写名称、描述和权限', codes }),
    });
    expect(created.body.notice).toMatchObject({ message: `角色已创建（${codes.length} 项权限）`, type: 'success' });
    const [role] = await q<{ id: number; description: string }>('SELECT id, description FROM roles WHERE name = :name', { name });
    expect(role.description).toBe('一次填写名称、描述和权限');
    expect((await q<{ c: string }>('SELECT permission_code c FROM role_permissions WHERE role_id = :id ORDER BY 1', { id: role.id })).map((r) => r.c)).toEqual([...codes].sort());
    const tree = await lixia.json<Tree>(`/admin/api/resources/roles/records/${role.id}/permissionTree`);
    expect([...tree.body.checked!].sort()).toEqual([...codes].sort());

    // A code the creator does not hold: refused, and no role is left behind.
    const jinanOnly = '__not_held__';
    const refused = await lixia.json<Tree>('/admin/api/resources/roles/actions/new', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `${name}乙`, codes: [...codes, jinanOnly] }),
    });
    expect(refused.body.notice?.type ?? 'error').toBe('error');
    expect(await q('SELECT 1 FROM roles WHERE name = :name', { name: `${name}乙` })).toEqual([]);
    // Without a name: nothing created either.
    const unnamed = await lixia.json<Tree & { record?: { errors?: Record<string, unknown> } }>('/admin/api/resources/roles/actions/new', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '', codes }),
    });
    expect(unnamed.body.record?.errors?.name ?? unnamed.body.notice).toBeDefined();

    // A built-in role's detail lists its tree too; another organisation's role is not readable.
    const [builtin] = await q<{ id: number }>("SELECT id FROM roles WHERE builtin AND organisation_id = (SELECT id FROM organisations WHERE name = '历下区人力资源和社会保障局') LIMIT 1");
    if (builtin) expect((await lixia.json<Tree>(`/admin/api/resources/roles/records/${builtin.id}/permissionTree`)).body.checked!.length).toBeGreaterThan(0);
    const qingdao = await loggedIn(t.base, admin('青岛市人力资源和社会保障局'));
    expect((await qingdao.json(`/admin/api/resources/roles/records/${role.id}/permissionTree`)).status).toBe(403);
  });
});
