/**
 * A professional person's login account (账号): persons log in with their ID number. Most
 * persons come without one (bulk import, registration by a unit); an admin's reset of the
 * password (重置密码) opens it when missing. Either way the person must choose a new password at
 * the next login.
 *
 * An existing account of the same ID number (the person may already log in as an admin) is
 * linked only if the admin has authority over every role that account holds
 * (src/access/accounts.ts): a county admin can never reach the province's super admin through
 * a person record that carries its ID number.
 */
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { generateOneTimePassword } from '../auth/passwords.js';
import { setPassword } from '../auth/password-reset.js';
import { assertMayActOnAccount, createAccounts, idNumbersTaken } from '../access/accounts.js';
import { AccessDenied } from '../domain/errors.js';
import { FORBIDDEN } from '../access/scope.js';

interface PersonRow { id: number; org_path: string; account_id: number | null; id_number: string; name: string; mobile: string | null; email: string | null }

/** The account of a person, linked or created (with `passwordHash`) when missing. Locks the person row. */
export async function accountOfPerson(sequelize: Sequelize, personId: number, passwordHash: string, transaction: Transaction): Promise<{ accountId: number; created: boolean; orgPath: string }> {
  const [person] = await sequelize.query<PersonRow>(
    'SELECT id, org_path, account_id, id_number, name, mobile, email FROM persons WHERE id = :personId FOR UPDATE',
    { replacements: { personId }, type: QueryTypes.SELECT, transaction });
  if (!person) throw new AccessDenied(FORBIDDEN);
  if (person.account_id) {
    await assertMayActOnAccount(sequelize, person.account_id, transaction);
    return { accountId: person.account_id, created: false, orgPath: person.org_path };
  }
  // The same person may already log in as an admin: one ID number, one account — if the admin
  // may reach all of it (the account may lie outside what row-level security shows this admin).
  const existing = (await idNumbersTaken(sequelize, [person.id_number], transaction)).get(person.id_number.trim())?.accountId ?? null;
  let accountId: number;
  if (existing) {
    await assertMayActOnAccount(sequelize, existing, transaction);
    accountId = existing;
  } else {
    [accountId] = await createAccounts(sequelize, [{ idNumber: person.id_number, name: person.name, passwordHash, mobile: person.mobile, email: person.email, mustChange: true }], transaction);
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
