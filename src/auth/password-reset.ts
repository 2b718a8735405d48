/**
 * Forgotten password (忘记密码): ID number plus the registered e-mail or mobile → a one-time
 * code through the notifier → the code and a new password. Codes are stored hashed, expire,
 * allow a few attempts and are used once. The answer to a request never tells whether the
 * account exists.
 */
import crypto from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import { config } from '../../config/index.js';
import { normaliseIdNumber } from '../domain/identifiers.js';
import { audit } from '../services/audit.js';
import type { Notifier } from '../services/notifier.js';
import { hashPassword, passwordPolicyViolation } from './passwords.js';
import { AccessDenied } from '../domain/errors.js';
import { checkCredentials, TOO_MANY_ATTEMPTS, type Caller } from './credentials.js';

export const RESET_REQUESTED = '若账号与联系方式匹配，验证码已发送，请在10分钟内使用';
export const RESET_CODE_INVALID = '验证码错误或已失效，请重新获取';

function codeHash(code: string, accountId: number): string {
  return crypto.createHash('sha256').update(`${accountId}:${code}`).digest('hex');
}

export async function requestPasswordReset(sequelize: Sequelize, notifier: Notifier, rawId: string, contact: string): Promise<void> {
  const idNumber = normaliseIdNumber(String(rawId ?? ''));
  const c = String(contact ?? '').trim();
  if (!c) return;
  const [account] = await sequelize.query<{ id: number; name: string; email: string | null; mobile: string | null }>(
    `SELECT id, name, email, mobile FROM accounts WHERE id_number = :idNumber AND status = 'active'
        AND (lower(email) = lower(:c) OR mobile = :c)`,
    { replacements: { idNumber, c }, type: QueryTypes.SELECT },
  );
  if (!account) {
    await audit({ action: 'password_reset_request', outcome: 'refused', after: { idNumber } });
    return;
  }
  const channel = account.mobile === c ? 'mobile' : 'email';
  const code = crypto.randomInt(0, 1_000_000).toString().padStart(6, '0');
  await sequelize.transaction(async (transaction) => {
    // A new code replaces every earlier one.
    await sequelize.query('UPDATE password_reset_codes SET used_at = now() WHERE account_id = :id AND used_at IS NULL',
      { replacements: { id: account.id }, transaction });
    await sequelize.query(
      `INSERT INTO password_reset_codes (account_id, code_hash, channel, expires_at)
       VALUES (:id, :hash, :channel, now() + make_interval(mins => :ttl))`,
      { replacements: { id: account.id, hash: codeHash(code, account.id), channel, ttl: config.passwordReset.codeTtlMinutes }, transaction },
    );
    await notifier.send({
      channel, recipient: c, subject: '密码重置验证码',
      body: `${account.name}，您的密码重置验证码为 ${code}，${config.passwordReset.codeTtlMinutes}分钟内有效。如非本人操作，请忽略。`,
    }, transaction);
    await audit({ actor: { accountId: account.id, name: account.name, orgPath: '' }, action: 'password_reset_request' }, transaction);
  });
}

export type ResetResult = { ok: true } | { ok: false; message: string };

export async function confirmPasswordReset(sequelize: Sequelize, rawId: string, code: string, newPassword: string): Promise<ResetResult> {
  const idNumber = normaliseIdNumber(String(rawId ?? ''));
  return sequelize.transaction(async (transaction) => {
    const [row] = await sequelize.query<{ code_id: number; account_id: number; name: string; code_hash: string; attempts: number }>(
      `SELECT c.id code_id, a.id account_id, a.name, c.code_hash, c.attempts
         FROM password_reset_codes c JOIN accounts a ON a.id = c.account_id
        WHERE a.id_number = :idNumber AND c.used_at IS NULL AND c.expires_at > now()
        ORDER BY c.id DESC LIMIT 1 FOR UPDATE OF c`,
      { replacements: { idNumber }, type: QueryTypes.SELECT, transaction },
    );
    if (!row || row.attempts >= config.passwordReset.maxAttempts) return { ok: false, message: RESET_CODE_INVALID };
    const given = Buffer.from(codeHash(String(code ?? '').trim(), row.account_id));
    if (!crypto.timingSafeEqual(given, Buffer.from(row.code_hash))) {
      await sequelize.query('UPDATE password_reset_codes SET attempts = attempts + 1 WHERE id = :id', { replacements: { id: row.code_id }, transaction });
      return { ok: false, message: RESET_CODE_INVALID };
    }
    const violation = passwordPolicyViolation(String(newPassword ?? ''), idNumber);
    if (violation) return { ok: false, message: violation };
    await sequelize.query('UPDATE password_reset_codes SET used_at = now() WHERE id = :id', { replacements: { id: row.code_id }, transaction });
    await setPassword(sequelize, row.account_id, newPassword, false, transaction);
    await audit({ actor: { accountId: row.account_id, name: row.name, orgPath: '' }, action: 'password_reset' }, transaction);
    return { ok: true };
  });
}

export async function setPassword(
  sequelize: Sequelize, accountId: number, plain: string, mustChange: boolean, transaction: import('sequelize').Transaction,
): Promise<void> {
  // password_changed_at ends every session opened before this moment. Row-level security lets
  // through only the own account or one the principal has authority over (migration 009):
  // nothing written means refused.
  const [rows] = await sequelize.query(
    `UPDATE accounts SET password_hash = :hash, must_change_password = :mustChange, password_changed_at = clock_timestamp(),
            failed_logins = 0, locked_until = NULL, version = version + 1, updated_at = now() WHERE id = :id RETURNING id`,
    { replacements: { hash: await hashPassword(plain), mustChange, id: accountId }, transaction },
  ) as unknown as [unknown[]];
  if (!rows.length) throw new AccessDenied('无权修改该账号的密码');
}

/**
 * 修改密码: the old password goes through the shared credential check (a wrong one counts
 * towards the lockout and the caller's per-address budget, as a login does).
 */
export async function changePassword(
  sequelize: Sequelize, accountId: number, oldPassword: string, newPassword: string, confirm: string, caller: Caller | undefined,
): Promise<ResetResult & { rateLimited?: boolean }> {
  const check = await checkCredentials(sequelize, { accountId }, oldPassword, caller);
  if (!check.ok) {
    await audit({ actor: { accountId, name: check.accountName ?? '', orgPath: '' }, action: 'password_change', outcome: 'refused', ip: caller?.ip,
      reason: check.reason === 'rate_limited' ? '超过本地址的尝试次数限制' : check.reason === 'locked' ? '账号锁定中' : '原密码不正确' });
    return check.reason === 'rate_limited' ? { ok: false, message: TOO_MANY_ATTEMPTS, rateLimited: true } : { ok: false, message: '原密码不正确' };
  }
  const account = check.account;
  if (newPassword !== confirm) return { ok: false, message: '两次输入的新密码不一致' };
  if (newPassword === oldPassword) return { ok: false, message: '新密码不能与原密码相同' };
  const violation = passwordPolicyViolation(String(newPassword ?? ''), account.idNumber);
  if (violation) return { ok: false, message: violation };
  await sequelize.transaction(async (transaction) => {
    await setPassword(sequelize, accountId, newPassword, false, transaction);
    await audit({ actor: { accountId, name: account.name, orgPath: '' }, action: 'password_change' }, transaction);
  });
  return { ok: true };
}
