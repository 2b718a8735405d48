/**
 * The one check of an account's password, for every path that asks for one: the login, the own
 * password change (原密码) and attaching an existing user as an admin (添加成为管理员). Each call
 *
 * 1. spends one attempt of the caller's per-address budget (the same counter as the login's, in
 *    PostgreSQL, shared by every process): over the budget → refused, nothing checked;
 * 2. reserves one failure on the account in ONE statement that also takes the lock decision:
 *    `UPDATE … SET failed_logins = failed_logins + 1, locked_until = CASE … END WHERE … AND NOT
 *    locked RETURNING …`. Concurrent guesses queue on the row lock: the first five get a row, the
 *    fifth locks the account, every later one finds it locked and is refused without its password
 *    being compared (measured: 5 of 25 concurrent guesses checked, the account locked);
 * 3. compares the password; right → the reservation is cleared (failed_logins = 0).
 *
 * An unknown ID number, a locked account and a wrong password answer the same and take as long
 * (a comparison against a dummy hash). Nothing about the account is returned before the password
 * is right. Never call it inside a transaction: its statements commit on their own (a failure must
 * count whatever the caller does next), and on the embedded database a second connection would
 * wait for the open transaction forever.
 */
import { QueryTypes, type Sequelize } from 'sequelize';
import { normaliseIdNumber } from '../domain/identifiers.js';
import { verifyAgainstNothing, verifyPassword } from './passwords.js';
import { asPlatform } from '../access/context.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;
/** The answer once the caller's per-address budget is spent (HTTP 429 wherever it is given). */
export const TOO_MANY_ATTEMPTS = '请求过于频繁，请稍后再试';

/** Thrown where an action answers for a spent budget: HTTP 429 (server.ts's error handler). */
export class TooManyAttempts extends Error { readonly statusCode = 429; }

/** A per-caller budget of attempts (the per-address rate limit): false once it is spent. */
export interface AttemptBudget { take(ip: string | undefined): Promise<boolean> }

/** What the HTTP layer hands an action about its caller (set on the request by the server). */
export interface Caller { ip?: string; budget: AttemptBudget }
export function callerOf(request: unknown): Caller | undefined {
  return (request as { caller?: Caller } | undefined)?.caller;
}

export interface CheckedAccount { id: number; name: string; status: string; idNumber: string }
export type CredentialCheck =
  | { ok: true; account: CheckedAccount }
  | { ok: false; reason: 'rate_limited' | 'unknown' | 'locked' | 'wrong_password'; accountId?: number; accountName?: string; lockedNow?: boolean };

interface Reserved { id: number; name: string; status: string; id_number: string; password_hash: string; locked_now: boolean }

/**
 * Identify the account by its ID number (login, attach) or its id (own password change). Runs as
 * the platform whoever asks: the account checked may lie outside the caller's jurisdiction, and
 * nothing of it is returned before the password is right.
 */
export function checkCredentials(
  sequelize: Sequelize, who: { idNumber: string } | { accountId: number }, password: string, caller: Caller | undefined,
): Promise<CredentialCheck> {
  return asPlatform('核对密码', () => check(sequelize, who, password, caller));
}

async function check(
  sequelize: Sequelize, who: { idNumber: string } | { accountId: number }, password: string, caller: Caller | undefined,
): Promise<CredentialCheck> {
  const plain = String(password ?? '');
  if (caller && !(await caller.budget.take(caller.ip))) return { ok: false, reason: 'rate_limited' };
  const byId = 'accountId' in who;
  const key = byId ? who.accountId : normaliseIdNumber(String(who.idNumber ?? ''));
  // The increment and the lock decision in one statement, under the row lock it takes.
  const [row] = await sequelize.query<Reserved>(
    `UPDATE accounts SET
        failed_logins = CASE WHEN failed_logins + 1 >= :max THEN 0 ELSE failed_logins + 1 END,
        locked_until  = CASE WHEN failed_logins + 1 >= :max THEN now() + make_interval(mins => :minutes) ELSE NULL END
      WHERE ${byId ? 'id = :key' : 'id_number = :key'} AND (locked_until IS NULL OR locked_until <= now())
      RETURNING id, name, status, id_number, password_hash, locked_until IS NOT NULL AS locked_now`,
    { replacements: { key, max: MAX_FAILED_LOGINS, minutes: LOCK_MINUTES }, type: QueryTypes.SELECT },
  );
  if (!row) {
    // Unknown or locked: as slow as a wrong password, and the caller learns nothing more.
    await verifyAgainstNothing(plain);
    const [locked] = await sequelize.query<{ id: number; name: string }>(
      `SELECT id, name FROM accounts WHERE ${byId ? 'id = :key' : 'id_number = :key'}`, { replacements: { key }, type: QueryTypes.SELECT });
    return locked ? { ok: false, reason: 'locked', accountId: locked.id, accountName: locked.name } : { ok: false, reason: 'unknown' };
  }
  if (!(await verifyPassword(plain, row.password_hash, row.id_number))) {
    return { ok: false, reason: 'wrong_password', accountId: row.id, accountName: row.name, lockedNow: row.locked_now };
  }
  // Right: the reserved failure (and a lock the reservation may have set) is cleared.
  await sequelize.query('UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = :id', { replacements: { id: row.id } });
  return { ok: true, account: { id: row.id, name: row.name, status: row.status, idNumber: row.id_number } };
}
