/** Test accounts of their own, so tests never change the demo accounts' passwords. */
import crypto from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import { hashPassword } from '../../src/auth/passwords.js';
import { generateIdNumber } from '../../src/domain/identifiers.js';

let sequence = 0;

export async function createAdminAccount(
  sequelize: Sequelize, organisationName: string, password: string, opts: { isSuper?: boolean; mustChange?: boolean } = {},
): Promise<{ idNumber: string; accountId: number; email: string; mobile: string }> {
  // A random valid ID number not yet registered (test files share one database).
  let idNumber = '';
  for (;;) {
    const birth = `19${crypto.randomInt(60, 99)}0${crypto.randomInt(1, 10)}1${crypto.randomInt(0, 10)}`;
    idNumber = generateIdNumber('370102', birth, crypto.randomInt(0, 1000));
    const [taken] = await sequelize.query('SELECT 1 FROM accounts WHERE id_number = :idNumber', { replacements: { idNumber }, type: QueryTypes.SELECT });
    if (!taken) break;
  }
  sequence++;
  const email = `t${idNumber.toLowerCase()}@test.example.com`;
  const mobile = `139${idNumber.slice(10, 17).padStart(8, '0').slice(-8)}`;
  const [org] = await sequelize.query<{ id: number; path: string }>('SELECT id, path FROM organisations WHERE name = :n', {
    replacements: { n: organisationName }, type: QueryTypes.SELECT,
  });
  const [[account]] = await sequelize.query(
    `INSERT INTO accounts (id_number, name, password_hash, email, mobile, must_change_password)
     VALUES (:idNumber, '测试管理员', :hash, :email, :mobile, :mustChange) RETURNING id`,
    { replacements: { idNumber, hash: await hashPassword(password), email, mobile, mustChange: !!opts.mustChange } },
  ) as unknown as [[{ id: number }]];
  await sequelize.query('INSERT INTO admins (account_id, organisation_id, org_path, is_super) VALUES (:a, :o, :p, :s)', {
    replacements: { a: account.id, o: org.id, p: org.path, s: !!opts.isSuper },
  });
  return { idNumber, accountId: account.id, email, mobile };
}

/** A county HR bureau of its own under 济南 for tests that change seats and roles. */
export async function createCountyBureau(sequelize: Sequelize, name: string): Promise<{ id: number; path: string }> {
  const [parent] = await sequelize.query<{ id: number; path: string }>(
    "SELECT id, path FROM organisations WHERE name = '济南市人力资源和社会保障局'", { type: QueryTypes.SELECT });
  const [[row]] = await sequelize.query(
    `INSERT INTO organisations (id, parent_id, kind, name, path, depth)
     SELECT n, :pid, 'county_hr', :name, :ppath || n || '/', 2 FROM (SELECT nextval(pg_get_serial_sequence('organisations','id'))::int n) s
     RETURNING id, path`, { replacements: { pid: parent.id, ppath: parent.path, name } },
  ) as unknown as [[{ id: number; path: string }]];
  return row;
}
