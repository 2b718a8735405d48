/** 学习形式配置: the provincial super admin edits the catalog; bad definitions are refused. */
import { QueryTypes } from 'sequelize';
import { loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';

let t: TestPlatform;
beforeAll(async () => { t = await startTestPlatform(); });
afterAll(async () => { await t.close(); });

const super_ = (org: string) => DEMO_ACCOUNTS.find((a) => a.organisationName === org && a.isSuper)!.idNumber;
async function form() {
  return (await t.platform.db.owner.query<{ id: number; conversion: { hoursPerUnit: number }; version?: number }>(
    "SELECT id, conversion FROM learning_forms WHERE code = 'overseas'", { type: QueryTypes.SELECT }))[0];
}
const edit = (c: Awaited<ReturnType<typeof loggedIn>>, id: number, fields: Record<string, string>) =>
  c.json<{ record?: { errors: Record<string, { message: string }> }; notice?: { message: string } }>(`/admin/api/resources/learning_forms/records/${id}/edit`,
    { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

describe('learning-form catalog', () => {
  it('the province edits a conversion, and declarations use it at once', async () => {
    const province = await loggedIn(t.base, super_('山东省人力资源和社会保障厅'));
    const f = await form();
    const bad = await edit(province, f.id, { conversion_json: JSON.stringify({ method: 'per_unit', field: 'no_such_field', hoursPerUnit: 8 }) });
    expect(bad.body.record?.errors.conversion_json.message).toBe('按单位折算须指向一个数字型录入项（field）');
    expect((await form()).conversion.hoursPerUnit).toBe(f.conversion.hoursPerUnit);
    const broken = await edit(province, f.id, { fields_json: '[{"key": "days"' });
    expect(broken.body.record?.errors.fields_json.message).toContain('配置格式不正确');
    await edit(province, f.id, { conversion_json: JSON.stringify({ ...f.conversion, hoursPerUnit: 7 }) });
    expect((await form()).conversion.hoursPerUnit).toBe(7);
    const lixia = await loggedIn(t.base, super_('历下区人力资源和社会保障局'));
    const [p] = await t.platform.db.owner.query<{ id: number }>("SELECT id FROM persons WHERE org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局') LIMIT 1", { type: QueryTypes.SELECT });
    const fields = (await t.platform.db.owner.query<{ fields: Array<{ key: string; type: string; options?: string[] }> }>("SELECT fields FROM learning_forms WHERE id = :id", { replacements: { id: f.id }, type: QueryTypes.SELECT }))[0].fields;
    const values = Object.fromEntries(fields.map((x) => [x.key, x.key === 'start_date' ? '2026-02-01' : x.key === 'end_date' ? '2026-02-02' : x.type === 'number' ? '2' : x.type === 'select' ? x.options![0] : '测试']));
    const preview = await lixia.json<{ preview: { hours: number } }>('/admin/api/resources/hour_declarations/actions/declareHours', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subjectType: 'professional', learningFormId: f.id, values, personIds: [p.id], dryRun: true }),
    });
    expect(preview.body.preview.hours).toBe(14);
    await edit(province, f.id, { conversion_json: JSON.stringify(f.conversion) });
  });

  it('a city cannot edit the catalog', async () => {
    const jinan = await loggedIn(t.base, super_('济南市人力资源和社会保障局'));
    const f = await form();
    expect((await edit(jinan, f.id, { cap_per_year: '999' })).status).toBe(403);
    const r = await jinan.json(`/admin/api/resources/learning_forms/records/${f.id}/edit`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'cap_per_year=999' });
    expect(r.status).toBe(403);
  });
});
