/**
 * A professional person's login account (账号): persons log in with their ID number. Most
 * persons come without one (bulk import, registration by a unit); an admin's reset of the
 * password (重置密码) opens it when missing. Either way the person must choose a new password at
 * the next login.
 */
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { generateOneTimePassword } from '../auth/passwords.js';
import { setPassword } from '../auth/password-reset.js';

interface PersonRow { id: number; org_path: string; account_id: number | null; id_number: string; name: string; mobile: string | null; email: string | null }

/** The account of a person, linked or created (with `passwordHash`) when missing. Locks the person row. */
export async function accountOfPerson(sequelize: Sequelize, personId: number, passwordHash: string, transaction: Transaction): Promise<{ accountId: number; created: boolean; orgPath: string }> {
  const [person] = await sequelize.query<PersonRow>(
    'SELECT id, org_path, account_id, id_number, name, mobile, email FROM persons WHERE id = :personId FOR UPDATE',
    { replacements: { personId }, type: QueryTypes.SELECT, transaction });
  if (!person) throw new Error(`person ${personId} not found`);
  if (person.account_id) return { accountId: person.account_id, created: false, orgPath: person.org_path };
  // The same person may already log in as an admin: one ID number, one account.
  const [existing] = await sequelize.query<{ id: number }>('SELECT id FROM accounts WHERE id_number = :n', { replacements: { n: person.id_number }, type: QueryTypes.SELECT, transaction });
  let accountId = existing?.id;
  if (!accountId) {
    const [[row]] = await sequelize.query(
      `INSERT INTO accounts (id_number, name, password_hash, mobile, email, must_change_password)
       VALUES (:idNumber, :name, :hash, :mobile, :email, true) RETURNING id`,
      { replacements: { idNumber: person.id_number, name: person.name, hash: passwordHash, mobile: person.mobile, email: person.email }, transaction },
    ) as unknown as [[{ id: number }]];
    accountId = row.id;
  }
  await sequelize.query('UPDATE persons SET account_id = :accountId WHERE id = :personId', { replacements: { accountId, personId }, transaction });
  return { accountId, created: !existing, orgPath: person.org_path };
}

/** 重置密码: a random one-time password, returned once, to be changed at the next login. */
export async function resetPersonPassword(sequelize: Sequelize, personId: number, transaction: Transaction): Promise<{ password: string; accountId: number; created: boolean; orgPath: string }> {
  const password = generateOneTimePassword();
  const account = await accountOfPerson(sequelize, personId, '!unset', transaction);
  await setPassword(sequelize, account.accountId, password, true, transaction);
  return { password, ...account };
}
