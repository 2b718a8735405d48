/** Migrations build the schema from nothing, and the database itself refuses bad data. */
import { QueryTypes } from 'sequelize';
import { migrate, migrations } from '../../src/db/migrator.js';
import { freshDatabase } from '../helpers/fresh-database.js';
import type { Database } from '../../src/db/connection.js';
import { generateCreditCode, generateIdNumber } from '../../src/domain/identifiers.js';

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
      'certificates', 'export_jobs', 'audit_log', 'session', 'schema_migrations']) {
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
