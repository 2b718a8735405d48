/** Migrations build the schema from nothing, and the database itself refuses bad data. */
import { QueryTypes } from 'sequelize';
import { migrate, migrations } from '../../src/db/migrator.js';
import { freshDatabase } from '../helpers/fresh-database.js';
import type { Database } from '../../src/db/connection.js';
import {
  CREDIT_AUTHORITIES, CREDIT_MESSAGES, ID_MESSAGES, PROVINCE_CODES, creditCodeCheckChar, generateCreditCode, generateIdNumber, idNumberCheckChar,
  validateCreditCode, validateIdNumber,
} from '../../src/domain/identifiers.js';
import { upgradeLearningForm } from '../../src/db/migrations/010-rules-of-the-year.js';
import { learningForms, type Conversion, type LearningFormField } from '../../config/learning-forms.js';

let db: Database;
beforeAll(async () => { db = await freshDatabase(); });
afterAll(async () => { await db.close(); });

const q = (sql: string, replacements: Record<string, unknown> = {}) => db.owner.query(sql, { replacements });
const one = async <T extends object>(sql: string) => (await db.owner.query<T>(sql, { type: QueryTypes.SELECT }))[0];

describe('migrations from an empty database', () => {
  it('apply every migration once, then nothing', async () => {
    expect(await migrate(db.owner)).toEqual(migrations.map((m) => m.name));
    expect(await migrate(db.owner)).toEqual([]);
    const tables = (await db.owner.query<{ t: string }>(
      "SELECT table_name t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1", { type: QueryTypes.SELECT },
    )).map((r) => r.t);
    for (const t of ['organisations', 'accounts', 'admins', 'roles', 'role_permissions', 'persons', 'registrations', 'change_requests',
      'superior_changes', 'transfers', 'approval_tasks', 'training_plans', 'learning_forms', 'hour_declarations', 'person_year_hours',
      'certificates', 'export_jobs', 'audit_log', 'session', 'schema_migrations', 'hour_proofs']) {
      expect(tables).toContain(t);
    }
  });
});

describe('constraints in the database', () => {
  let provinceId: number;
  let unitId: number;
  beforeAll(async () => {
    provinceId = (await one<{ id: number }>("INSERT INTO organisations (kind, name, path, depth) VALUES ('province_hr', '山东省人力资源和社会保障厅', '/0/', 0) RETURNING id"))!.id;
    await q('UPDATE organisations SET path = :p WHERE id = :id', { p: `/${provinceId}/`, id: provinceId });
    unitId = (await one<{ id: number }>(`INSERT INTO organisations (parent_id, kind, name, path, depth, credit_code)
      VALUES (${provinceId}, 'unit', '测试单位', '/${provinceId}/999999/', 1, '${generateCreditCode(1)}') RETURNING id`))!.id;
  });

  const person = (idNumber: string, extra = '') => q(`INSERT INTO persons (id_number, name, gender, birth_date, unit_id, org_path${extra ? ', status' : ''})
    VALUES (:idNumber, '王芳', 'F', '1990-01-01', :unitId, '/1/'${extra ? `, '${extra}'` : ''})`, { idNumber, unitId });

  it('refuse a second person with the same ID number', async () => {
    const id = generateIdNumber('370102', '19900101', 2);
    await person(id);
    await expect(person(id)).rejects.toMatchObject({ name: 'SequelizeUniqueConstraintError' });
  });

  it('refuse a status outside the workflow and a malformed ID number', async () => {
    await expect(person(generateIdNumber('370102', '19900101', 4), 'approved_by_magic')).rejects.toThrow(/check/i);
    await expect(person('37010219900101000')).rejects.toThrow(/check|value too long|character/i);
  });

  it('refuse a duplicate or malformed credit code', async () => {
    await expect(q(`INSERT INTO organisations (parent_id, kind, name, path, depth, credit_code)
      VALUES (${provinceId}, 'unit', '另一单位', '/${provinceId}/999998/', 1, '${generateCreditCode(1)}')`)).rejects.toMatchObject({ name: 'SequelizeUniqueConstraintError' });
    await expect(q(`INSERT INTO organisations (parent_id, kind, name, path, depth, credit_code)
      VALUES (${provinceId}, 'unit', '另一单位', '/${provinceId}/999997/', 1, '91370100MA3CIOSVZ1')`)).rejects.toThrow(/check/i);
  });

  it('refuse a second super admin for the same organisation', async () => {
    const ids = [];
    for (const n of [7, 9]) {
      ids.push((await one<{ id: number }>(`INSERT INTO accounts (id_number, name, password_hash)
        VALUES ('${generateIdNumber('370102', '19850101', n)}', '管理员${n}', 'x') RETURNING id`))!.id);
    }
    await q(`INSERT INTO admins (account_id, organisation_id, org_path, is_super) VALUES (${ids[0]}, ${unitId}, '/1/', true)`);
    await expect(q(`INSERT INTO admins (account_id, organisation_id, org_path, is_super) VALUES (${ids[1]}, ${unitId}, '/1/', true)`))
      .rejects.toMatchObject({ name: 'SequelizeUniqueConstraintError' });
  });

  it('refuse a rejection without a reason and an unknown organisation', async () => {
    await expect(q(`INSERT INTO registrations (kind, organisation_id, superior_id, org_path, applicant_name, status, decided_at)
      VALUES ('unit', ${unitId}, ${provinceId}, '/1/', '测试单位', 'rejected', now())`)).rejects.toThrow(/check/i);
    await expect(q(`INSERT INTO registrations (kind, organisation_id, superior_id, org_path, applicant_name)
      VALUES ('unit', ${unitId}, 987654, '/1/', '测试单位')`)).rejects.toThrow(/foreign key/i);
  });

  it('keep the audit log append-only', async () => {
    await q("INSERT INTO audit_log (action) VALUES ('login')");
    await expect(q("UPDATE audit_log SET action = 'logout'")).rejects.toThrow(/append-only/);
    await expect(q('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(q('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    expect((await one<{ n: string }>('SELECT count(*) n FROM audit_log'))!.n).toBe('1');
  });
});

describe('identifier rules in the database (migration 010)', () => {
  const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const sqlRule = async (fn: 'gb11643_violation' | 'gb32100_violation', values: string[]) => new Map((await db.owner.query<{ v: string; m: string | null }>(
    `SELECT v, ${fn}(v) m FROM unnest(ARRAY[:values]::text[]) v`, { replacements: { values }, type: QueryTypes.SELECT })).map((r) => [r.v, r.m]));
  const corruptions = (code: string, alphabet: string, last = alphabet) => [...code].flatMap((ch, pos) =>
    [...(pos === code.length - 1 ? last : alphabet)].filter((c) => c !== ch).map((c) => code.slice(0, pos) + c + code.slice(pos + 1)));

  it('name the same rule as the application: valid credit codes, every corruption, each rule broken alone', async () => {
    const parts = Object.entries(CREDIT_AUTHORITIES).flatMap(([authority, { types }]) => Object.keys(types).map((type) => ({ authority, type })));
    const valid = parts.map((p, i) => generateCreditCode(i * 7_919_113, { ...p, region: i % 2 ? '370102' : '100000' }));
    const withCheck = (first17: string) => first17 + creditCodeCheckChar(first17);
    const alone = [
      ...['B', '0', 'C', 'X'].map((a) => withCheck(`${a}1370102MA3C00003`)),
      ...['99', '24', 'Y2', 'N4'].map((at) => withCheck(`${at}370102MA3C00003`)),
      withCheck('9137A102MA3C00003'), withCheck('91370102MA3C00001'), withCheck('91370102MA3C0000X'), '91370102MA3C000031',
    ];
    const codes = [...valid, ...valid.slice(0, 6).flatMap((c) => corruptions(c, ALPHABET)), ...alone];
    const sql = await sqlRule('gb32100_violation', codes);
    let refused = 0;
    for (const c of codes) {
      const r = validateCreditCode(c);
      expect([c, sql.get(c)]).toEqual([c, r.ok ? null : r.message]);
      if (!r.ok) refused++;
    }
    expect(refused).toBe(6 * 18 * 30 + alone.length);
  });

  it('name the same rule as the application: valid ID numbers, every corruption, each rule broken alone', async () => {
    const valid = [...PROVINCE_CODES.map((p, i) => generateIdNumber(`${p}0102`, `19${String(50 + i)}0${1 + (i % 9)}15`, i * 7)), generateIdNumber('937840', '19850315', 12)];
    const first17 = (s: string) => s + idNumberCheckChar(s);
    const alone = [first17('10164920140327360'), first17('90084019850315012'), first17('37010219990230003'), first17('37010218991231003'),
      first17(`370102${new Date().getFullYear() + 1}0101003`), '370102199001010010'];
    const ids = [...valid, ...valid.slice(0, 5).flatMap((c) => corruptions(c, '0123456789', '0123456789X')), ...alone];
    const sql = await sqlRule('gb11643_violation', ids);
    for (const v of ids) {
      const r = validateIdNumber(v);
      expect([v, sql.get(v)]).toEqual([v, r.ok ? null : r.message]);
    }
    expect(sql.get(alone[0])).toBe(ID_MESSAGES.region);
    expect(sql.get(alone[1])).toBe(ID_MESSAGES.foreignRegion);
  });

  it('refuse a new ID number or credit code that breaks a rule, and keep an older row usable', async () => {
    const [province] = await db.owner.query<{ id: number }>("SELECT id FROM organisations WHERE kind = 'province_hr' LIMIT 1", { type: QueryTypes.SELECT });
    const unit = (name: string, code: string) => q(`INSERT INTO organisations (parent_id, kind, name, path, depth, credit_code)
      VALUES (:p, 'unit', :name, :path, 1, :code) RETURNING id`, { p: province.id, name, path: `/${province.id}/${Math.floor(Math.random() * 1e9)}/`, code });
    await expect(unit('内码错误单位', '91370100MA3C000000')).rejects.toThrow(CREDIT_MESSAGES.orgCode);
    const [anyUnit] = await db.owner.query<{ id: number }>("SELECT id FROM organisations WHERE kind = 'unit' LIMIT 1", { type: QueryTypes.SELECT });
    await expect(q(`INSERT INTO persons (id_number, name, gender, birth_date, unit_id, org_path)
      VALUES ('101649201403273609', '王芳', 'F', '2014-03-27', :u, '/1/')`, { u: anyUnit.id })).rejects.toThrow(ID_MESSAGES.region);
    await expect(q("INSERT INTO accounts (id_number, name, password_hash) VALUES ('101649201403273609', '某人', 'x')")).rejects.toThrow(ID_MESSAGES.region);
    // A code an older seed wrote (inner check wrong) stays: loadable, and its row updatable in other columns.
    await q('ALTER TABLE organisations DISABLE TRIGGER organisations_credit_code_gb32100');
    const [[old]] = await unit('旧数据单位', '91370100MA3C000000') as unknown as [[{ id: number }]];
    await q('ALTER TABLE organisations ENABLE TRIGGER organisations_credit_code_gb32100');
    await q("UPDATE organisations SET name = '旧数据单位（更名）', path = path || '' WHERE id = :id", { id: old.id });
    await expect(q("UPDATE organisations SET credit_code = '91370100MA3C000001' WHERE id = :id", { id: old.id })).rejects.toThrow(CREDIT_MESSAGES.orgCode);
    const good = generateCreditCode(424_242);
    await q('UPDATE organisations SET credit_code = :good WHERE id = :id', { good, id: old.id });
    expect((await one<{ c: string }>(`SELECT credit_code c FROM organisations WHERE id = ${old.id}`))!.c).toBe(good);
  });
});

describe('learning forms of an older database (migration 010)', () => {
  const seed = (code: string) => learningForms.find((f) => f.code === code)!;
  const undated = (fields: LearningFormField[]) => fields.map(({ decidesYear: _d, ...f }) => f);

  it('a row with the earlier seed conversion gets the new one and the fields it reads; every row names its year date', () => {
    const patent = seed('patent');
    const oldFields = undated(patent.fields).map((f) => (f.key === 'inventor_rank' ? { ...f, options: ['第一发明人', '第二发明人', '第三发明人及以后'] } : f));
    const up = upgradeLearningForm('patent', oldFields, { method: 'fixed', hours: 30 });
    expect(up.conversion).toEqual(patent.conversion);
    expect(up.fields).toEqual(patent.fields);
    const paper = seed('paper');
    const oldPaper = undated(paper.fields).map((f) => (f.key === 'author_rank' ? { key: 'author_rank', label: '作者排名', type: 'number' as const, unit: '位', required: true, min: 1, max: 20 } : f));
    const upPaper = upgradeLearningForm('paper', oldPaper, { method: 'by_option', field: 'publication_level', hours: {
      '学术专著（独著/主编）': 40, '学术专著（参编）/译著': 20, 'SCI/SSCI/EI收录论文': 30, '中文核心期刊论文': 20, '省级及以上公开期刊论文': 10, '其他公开发表论文': 6 } });
    expect(upPaper).toEqual({ fields: paper.fields, conversion: paper.conversion });
    // An unchanged per-unit conversion gains its provenance.
    const overseas = seed('overseas');
    const { source: _s, confirmed: _c, ...bare } = overseas.conversion;
    expect(upgradeLearningForm('overseas', undated(overseas.fields), bare as Conversion)).toEqual({ fields: overseas.fields, conversion: overseas.conversion });
  });

  it('a conversion the provincial admin edited stays; the start date still decides the year', () => {
    const research = seed('research');
    const edited: Conversion = { method: 'by_option', field: 'rank', hours: { '主持人（第一位）': 50, '第二位': 20, '第三位': 15, '第四至五位': 10, '其他参与人员': 6 } };
    const oldFields = undated(research.fields).map((f) => (f.key === 'rank' ? { ...f, options: Object.keys((edited as { hours: Record<string, number> }).hours) } : f));
    const up = upgradeLearningForm('research', oldFields, edited);
    expect(up.conversion).toBe(edited);
    expect(up.fields.find((f) => f.key === 'rank')!.options).toEqual(oldFields.find((f) => f.key === 'rank')!.options);
    expect(up.fields.filter((f) => f.decidesYear).map((f) => f.key)).toEqual(['start_date']);
  });
});
