/**
 * Login by ID number and password (and, as on the manual's login page, the user type).
 * A wrong password and an unknown ID get the same message and take the same time; five
 * failures lock the account for 15 minutes (src/auth/credentials.ts, the check every password path
 * shares). Every attempt is in the audit log.
 */
import { loginFailures } from '../ops/metrics.js';
import { logger } from '../ops/log.js';
import type { Sequelize } from 'sequelize';
import { kindMatchesLoginType, loadPrincipal, type LoginType, type Principal } from '../access/principal.js';
import { normaliseIdNumber } from '../domain/identifiers.js';
import { audit } from '../services/audit.js';
import { checkCredentials, LOCK_MINUTES, MAX_FAILED_LOGINS, TOO_MANY_ATTEMPTS, type Caller } from './credentials.js';

export { LOCK_MINUTES, MAX_FAILED_LOGINS };
/**
 * One answer for an unknown ID number, a wrong password and a locked account: the lockout must
 * not tell whether an account exists (it names the rule, so a real user knows what happened).
 */
export const WRONG_CREDENTIALS = `账号或密码错误（连续失败${MAX_FAILED_LOGINS}次将锁定${LOCK_MINUTES}分钟）`;
export const LOGIN_TYPES: LoginType[] = ['hr_admin', 'unit_admin', 'ce_base_admin', 'person'];

export type LoginResult = { ok: true; principal: Principal } | { ok: false; message: string; rateLimited?: boolean };

export async function authenticate(
  sequelize: Sequelize, rawId: string, password: string, loginType: LoginType | undefined, caller: Caller | undefined,
): Promise<LoginResult> {
  const ip = caller?.ip;
  const idNumber = normaliseIdNumber(String(rawId ?? ''));
  const check = await checkCredentials(sequelize, { idNumber }, password, caller);
  const fail = async (code: string, message: string, reason: string, actor?: { id: number; name: string }) => {
    loginFailures.inc({ reason: code });
    // No ID number in the log (personal data): the audit log keeps who; the line keeps why and the request id.
    logger.warn({ event: 'login_refused', reason: code }, '登录被拒绝');
    await audit({ actor: actor ? { accountId: actor.id, name: actor.name, orgPath: '' } : null, action: 'login', outcome: 'refused', reason, ip, after: { idNumber } });
    return { ok: false as const, message };
  };
  if (!check.ok) {
    const actor = check.accountId ? { id: check.accountId, name: check.accountName ?? '' } : undefined;
    if (check.reason === 'rate_limited') return { ...(await fail('rate_limited', TOO_MANY_ATTEMPTS, '超过本地址的尝试次数限制')), rateLimited: true };
    if (check.reason === 'unknown') return fail('unknown', WRONG_CREDENTIALS, '账号不存在');
    if (check.reason === 'locked') return fail('locked', WRONG_CREDENTIALS, '账号锁定中', actor);
    return fail('wrong_password', WRONG_CREDENTIALS, check.lockedNow ? `密码错误，账号锁定${LOCK_MINUTES}分钟` : '密码错误', actor);
  }
  const account = check.account;
  // Only someone who knows the password learns the state of the account.
  if (account.status === 'pending') return fail('pending', '账号正在审核中，审核通过后方可登录', '待审核', account);
  if (account.status === 'rejected') return fail('rejected', '注册申请未通过审核，请联系上级人社部门', '已驳回', account);
  if (account.status === 'disabled') return fail('disabled', '账号已停用，请联系管理员', '已停用', account);

  const asAdmin = await loadPrincipal(sequelize, account.id, 'admin');
  const asPerson = await loadPrincipal(sequelize, account.id, 'person');
  let principal: Principal | null;
  if (loginType) {
    principal = [asAdmin, asPerson].find((p) => p && kindMatchesLoginType(p.kind, loginType)) ?? null;
    if (!principal) return fail('wrong_type', '所选用户类型与该账号不符，或所属机构尚未审核通过', '用户类型不符', account);
  } else {
    principal = asAdmin ?? asPerson;
    if (!principal) return fail('no_role', '账号所属机构尚未审核通过或已停用', '无有效身份', account);
  }
  await audit({ actor: principal, action: 'login', ip });
  return { ok: true, principal };
}
