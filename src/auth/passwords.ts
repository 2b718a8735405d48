/**
 * Password hashing (bcrypt, via the pure-JS bcryptjs: no native build on install) and the
 * password policy: ≥ 8 characters, three of the four character classes, not the ID
 * number's last six digits, not a common password.
 */
import crypto from 'node:crypto';
import bcrypt from 'bcryptjs';
import { config } from '../../config/index.js';

/**
 * 初始密码 of a bulk-imported person (manual 4.5.4.1): the last six digits of the ID number.
 * It can be derived from the ID number by anyone, so hashing it (bcrypt, ~0.1 s a row, hours
 * for a large import) would protect nothing: the account records this marker instead, the
 * login accepts the six digits only while the marker is there, and forces a new password at
 * once (must_change_password). Lockout and rate limits apply as to any password.
 */
export const INITIAL_PASSWORD_MARKER = '!initial:id-last-six';

export function hashPassword(plain: string): Promise<string> {
  return bcrypt.hash(plain, config.bcryptRounds);
}

export async function verifyPassword(plain: string, hash: string, idNumber?: string): Promise<boolean> {
  if (hash === INITIAL_PASSWORD_MARKER) {
    await verifyAgainstNothing(plain); // as long as a real comparison
    return !!idNumber && plain === idNumber.trim().slice(-6);
  }
  return bcrypt.compare(plain, hash);
}

/** A one-time password (临时密码) that meets the policy: 12 characters of all four classes. */
export function generateOneTimePassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '@#%&*+=?'];
  const all = sets.join('');
  const chars = sets.map((s) => s[crypto.randomInt(s.length)]);
  while (chars.length < 12) chars.push(all[crypto.randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) { const j = crypto.randomInt(i + 1); [chars[i], chars[j]] = [chars[j], chars[i]]; }
  return chars.join('');
}

/** A hash to compare against when the account does not exist, so both paths take as long. */
let dummyHash: string | undefined;
export async function verifyAgainstNothing(plain: string): Promise<false> {
  dummyHash ??= await bcrypt.hash('not-a-password', config.bcryptRounds);
  await bcrypt.compare(plain, dummyHash);
  return false;
}

const COMMON = new Set([
  'password', 'password1', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'admin123', 'admin@123', 'abc12345', 'abcd1234',
  'qwerty123', 'qwe123456', '1qaz2wsx', '1qaz@wsx', 'a1234567', 'a12345678', 'aa123456', 'abc@1234', 'admin1234',
  'woaini1314', 'iloveyou1', 'zxcvbnm1', 'qwertyui1', '12345678a', 'test1234', 'demo@2026', 'welcome1',
  'p@ssw0rd1', 'password@1', 'password123', 'admin@2024', 'admin@2025', 'admin@2026',
]);

/** Returns a Chinese message when the password breaks the policy, otherwise undefined. */
export function passwordPolicyViolation(plain: string, idNumber?: string): string | undefined {
  if (plain.length < 8) return '密码至少8位';
  if (plain.length > 64) return '密码不能超过64位';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(plain)).length;
  if (classes < 3) return '密码须包含大写字母、小写字母、数字、特殊字符中的至少三类';
  if (idNumber && plain.includes(idNumber.slice(-6))) return '密码不能包含身份证号后六位';
  if (COMMON.has(plain.toLowerCase())) return '该密码过于常见，请换一个';
  return undefined;
}
