/**
 * Password hashing (bcrypt, via the pure-JS bcryptjs: no native build on install) and the
 * password policy: ≥ 8 characters, three of the four character classes, not the ID
 * number's last six digits, not a common password.
 */
import bcrypt from 'bcryptjs';
import { config } from '../../config/index.js';

export function hashPassword(plain: string): Promise<string> {
  return bcrypt.hash(plain, config.bcryptRounds);
}

export function verifyPassword(plain: string, hash: string): Promise<boolean> {
  return bcrypt.compare(plain, hash);
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
