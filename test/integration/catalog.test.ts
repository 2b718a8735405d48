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

const addRule = (c: Awaited<ReturnType<typeof loggedIn>>, fields: Record<string, string>) =>
  c.json<{ record?: { errors: Record<string, { message: string }> }; notice?: { message: string; type?: string } }>('/admin/api/resources/learning_form_rules/actions/new',
    { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

describe('learning-form catalog', () => {
  it('the province adds a conversion from 2026: declarations of 2026 use it, those of 2025 keep the earlier rule', async () => {
    const province = await loggedIn(t.base, super_('山东省人力资源和社会保障厅'));
    const f = await form();
    const bad = await addRule(province, { learning_form_id: String(f.id), effective_year: '2026', conversion_json: JSON.stringify({ method: 'per_unit', field: 'no_such_field', hoursPerUnit: 8 }) });
    expect(bad.body.record?.errors.conversion_json.message).toBe('按单位折算须指向一个数字型录入项（field）');
    expect((await form()).conversion.hoursPerUnit).toBe(f.conversion.hoursPerUnit);
    const broken = await edit(province, f.id, { fields_json: '[{"key": "days"' });
    expect(broken.body.record?.errors.fields_json.message).toContain('配置格式不正确');
    // The catalog's own edit no longer changes a conversion (it would change every year at once): the field is ignored, the database refuses a direct write.
    await edit(province, f.id, { conversion_json: JSON.stringify({ ...f.conversion, hoursPerUnit: 99 }) });
    expect((await form()).conversion.hoursPerUnit).toBe(f.conversion.hoursPerUnit);
    const added = await addRule(province, { learning_form_id: String(f.id), effective_year: '2026', conversion_json: JSON.stringify({ ...f.conversion, hoursPerUnit: 7 }), source: '测试：2026年起每天7学时' });
    expect(added.body.record?.errors ?? {}).toEqual({});
    expect((await form()).conversion.hoursPerUnit).toBe(7);
    const lixia = await loggedIn(t.base, super_('历下区人力资源和社会保障局'));
    const [p] = await t.platform.db.owner.query<{ id: number }>("SELECT id FROM persons WHERE status = 'active' AND org_path LIKE (SELECT path || '%' FROM organisations WHERE name = '历下区人力资源和社会保障局') LIMIT 1", { type: QueryTypes.SELECT });
    const fields = (await t.platform.db.owner.query<{ fields: Array<{ key: string; type: string; options?: string[] }> }>("SELECT fields FROM learning_forms WHERE id = :id", { replacements: { id: f.id }, type: QueryTypes.SELECT }))[0].fields;
    const preview = async (year: number) => {
      const values = Object.fromEntries(fields.map((x) => [x.key, x.key === 'start_date' ? `${year}-02-01` : x.key === 'end_date' ? `${year}-02-02` : x.type === 'number' ? '2' : x.type === 'select' ? x.options![0] : '测试']));
      return (await lixia.json<{ preview: { hours: number } }>('/admin/api/resources/hour_declarations/actions/declareHours', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subjectType: 'professional', learningFormId: f.id, values, personIds: [p.id], dryRun: true }),
      })).body.preview.hours;
    };
    expect(await preview(2026)).toBe(14);
    expect(await preview(2025)).toBe(2 * f.conversion.hoursPerUnit);
    // Back to the original conversion, as a further rule: the history keeps all three.
    await addRule(province, { learning_form_id: String(f.id), effective_year: '2026', conversion_json: JSON.stringify(f.conversion), source: '测试：恢复' });
    expect((await form()).conversion.hoursPerUnit).toBe(f.conversion.hoursPerUnit);
  });

  it('a city cannot edit the catalog', async () => {
    const jinan = await loggedIn(t.base, super_('济南市人力资源和社会保障局'));
    const f = await form();
    expect((await edit(jinan, f.id, { cap_per_year: '999' })).status).toBe(403);
    const r = await jinan.json(`/admin/api/resources/learning_forms/records/${f.id}/edit`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'cap_per_year=999' });
    expect(r.status).toBe(403);
    const refused = await addRule(jinan, { learning_form_id: String(f.id), effective_year: '2026', cap_per_year: '5' });
    expect(refused.status === 403 || refused.body.notice?.type === 'error').toBe(true);
    expect((await t.platform.db.owner.query('SELECT 1 FROM learning_form_rules WHERE cap_per_year = 5', { type: QueryTypes.SELECT }))).toEqual([]);
  });
});
