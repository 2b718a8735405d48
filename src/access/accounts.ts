/**
 * Authority over accounts. An account is one identity (one ID number) that may hold several
 * roles: admin seats in organisations, a person in a unit. Whoever acts on an account — resets
 * its password, links it to a person, attaches it as an admin, ends its sessions — must hold
 * authority over every role it has: each seat strictly below the actor's own (a super admin
 * over the other seats of its own organisation), each person inside the actor's jurisdiction.
 * One seat of the province's super admin makes the account untouchable for a county.
 *
 * The rule is one SQL function, `ce_account_refusal(account)` (migration 009), evaluated in
 * the current access context: this module asks it on behalf of the code (for a clear message),
 * and the database asks it again on every account update, every link of an account to a person
 * or an admin seat, and every session deleted — so a path that forgets to ask is still refused.
 */
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { AccessDenied } from '../domain/errors.js';

export type AccountRefusal = 'admin_outside' | 'admin_not_below' | 'person_outside' | 'no_jurisdiction';

const MESSAGES: Record<AccountRefusal, string> = {
  admin_outside: '该账号同时是您管辖范围之外机构的管理员，您无权对其操作',
  admin_not_below: '该账号是本机构或上级机构的管理员，您无权对其操作',
  person_outside: '该账号同时是您管辖范围之外的专业技术人员，您无权对其操作',
  no_jurisdiction: '您无权对其他账号进行操作',
};

/** For rows of an import or a registration, where the user is not known yet: says nothing of which role, or where. */
export const ACCOUNT_ELSEWHERE = '该身份证号无法在本辖区导入，请核对身份证号；如该人员需调入，请办理人员调转';

export function refusalMessage(why: AccountRefusal): string {
  return MESSAGES[why];
}

/** Why the current principal may not act on each of these accounts (absent: it may). */
export async function accountRefusals(sequelize: Sequelize, accountIds: number[], transaction?: Transaction): Promise<Map<number, AccountRefusal>> {
  const ids = [...new Set(accountIds.filter((n) => Number.isSafeInteger(n) && n > 0))];
  if (!ids.length) return new Map();
  const rows = await sequelize.query<{ id: number; why: AccountRefusal | null }>(
    'SELECT id, ce_account_refusal(id) why FROM unnest($1::int[]) AS id', { bind: [ids], type: QueryTypes.SELECT, transaction });
  return new Map(rows.filter((r) => r.why !== null).map((r) => [Number(r.id), r.why as AccountRefusal]));
}

/** Refuses (AccessDenied, a Chinese message naming the reason) unless the principal may act on the account. */
export async function assertMayActOnAccount(sequelize: Sequelize, accountId: number, transaction?: Transaction): Promise<void> {
  const why = (await accountRefusals(sequelize, [accountId], transaction)).get(accountId);
  if (why) throw new AccessDenied(refusalMessage(why));
}

export interface TakenIdNumber { personId: number | null; accountId: number | null }

/**
 * ID numbers already taken anywhere in the province (by a person record or an account),
 * whatever the caller may see: an import or a registration must not create a second identity.
 */
export async function idNumbersTaken(sequelize: Sequelize, idNumbers: string[], transaction?: Transaction): Promise<Map<string, TakenIdNumber>> {
  if (!idNumbers.length) return new Map();
  const rows = await sequelize.query<{ id_number: string; person_id: number | null; account_id: number | null }>(
    'SELECT * FROM ce_id_numbers_taken($1::text[])', { bind: [[...new Set(idNumbers)]], type: QueryTypes.SELECT, transaction });
  return new Map(rows.map((r) => [r.id_number.trim(), { personId: r.person_id, accountId: r.account_id }]));
}

export interface NewAccount { idNumber: string; name: string; passwordHash: string; mobile: string | null; email: string | null; mustChange: boolean; phone?: string | null }

/**
 * Creates accounts and returns their ids, without reading them back: a new account has no role
 * yet, so row-level security does not show it to anyone until a person or a seat links it
 * (which is the next statement of the caller's transaction). The ids are drawn first.
 */
export async function createAccounts(sequelize: Sequelize, accounts: NewAccount[], transaction: Transaction): Promise<number[]> {
  if (!accounts.length) return [];
  const ids = (await sequelize.query<{ id: string }>("SELECT nextval(pg_get_serial_sequence('accounts', 'id'))::text AS id FROM generate_series(1, $1::int)",
    { bind: [accounts.length], type: QueryTypes.SELECT, transaction })).map((r) => Number(r.id));
  const col = <K extends keyof NewAccount>(k: K) => accounts.map((a) => a[k]);
  await sequelize.query(
    `INSERT INTO accounts (id, id_number, name, password_hash, mobile, email, must_change_password, phone)
     SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::text[])`,
    { bind: [ids, col('idNumber'), col('name'), col('passwordHash'), col('mobile'), col('email'), col('mustChange'), accounts.map((a) => a.phone ?? null)], transaction });
  return ids;
}
