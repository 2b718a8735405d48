/**
 * Pure validators / generators for Chinese identifiers:
 *  - 居民身份证号码 (GB 11643-1999)
 *  - 统一社会信用代码 (GB 32100-2015)
 *  - 手机号码、电子邮箱
 * No dependencies; all functions are side-effect free.
 */

export type SimpleResult = { ok: true } | { ok: false; message: string };

export type IdNumberResult =
  | { ok: true; gender: 'M' | 'F'; birthDate: string /* YYYY-MM-DD */; regionCode: string }
  | { ok: false; message: string };

// ---------------------------------------------------------------------------
// 居民身份证号码 (GB 11643)
// ---------------------------------------------------------------------------

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARS = '10X98765432';

/** Trim surrounding whitespace and upper-case (so a trailing 'x' becomes 'X'). */
export function normaliseIdNumber(s: string): string {
  return String(s ?? '').trim().toUpperCase();
}

/** Mask an ID number for display: first 6 + '********' + last 4; '****' when shorter than 10. */
export function maskIdNumber(s: string): string {
  const v = String(s ?? '');
  if (v.length < 10) return '****';
  return `${v.slice(0, 6)}********${v.slice(-4)}`;
}

/** Check character for the first 17 digits of an ID number. Throws on malformed input. */
export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new RangeError('idNumberCheckChar: expected exactly 17 digits');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i];
  return ID_CHECK_CHARS[sum % 11];
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** True when YYYYMMDD denotes a real Gregorian calendar date with year >= 1900. */
function isRealDate(yyyymmdd: string): boolean {
  if (!/^\d{8}$/.test(yyyymmdd)) return false;
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days;
}

/** Today's local date as YYYYMMDD. */
function todayYmd(): string {
  const now = new Date();
  return `${pad(now.getFullYear(), 4)}${pad(now.getMonth() + 1, 2)}${pad(now.getDate(), 2)}`;
}

/**
 * Validate an 18-character resident ID number. Lower-case 'x' is accepted
 * (the input is upper-cased); no trimming is performed — callers trim.
 */
export function validateIdNumber(s: string): IdNumberResult {
  const v = String(s ?? '').toUpperCase();
  if (v.length !== 18) return { ok: false, message: '身份证号码应为18位' };
  const body = v.slice(0, 17);
  if (!/^\d{17}$/.test(body)) return { ok: false, message: '身份证号码前17位应为数字' };
  const last = v[17];
  if (!/^[0-9X]$/.test(last)) return { ok: false, message: '身份证号码最后一位应为数字或X' };
  if (body[0] === '0') return { ok: false, message: '身份证号码中的地区码无效' };
  const birth = body.slice(6, 14);
  if (!isRealDate(birth) || birth > todayYmd()) {
    return { ok: false, message: '身份证号码中的出生日期无效' };
  }
  if (idNumberCheckChar(body) !== last) return { ok: false, message: '身份证号码校验位不正确' };
  const seq = Number(body.slice(14, 17));
  return {
    ok: true,
    gender: seq % 2 === 1 ? 'M' : 'F',
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    regionCode: body.slice(0, 6),
  };
}

/**
 * Build a checksum-valid ID number.
 * @param regionCode 6 digits, first digit 1-9
 * @param birth a Date (local calendar date is used) or a 'YYYYMMDD' string
 * @param sequence 0-999 (odd → male, even → female)
 * Throws RangeError on malformed arguments. A future birth date is not rejected
 * here (useful for test fixtures) but such a number will not pass validateIdNumber.
 */
export function generateIdNumber(regionCode: string, birth: Date | string, sequence: number): string {
  if (!/^[1-9]\d{5}$/.test(regionCode)) {
    throw new RangeError('generateIdNumber: regionCode must be 6 digits, first digit 1-9');
  }
  let ymd: string;
  if (birth instanceof Date) {
    if (Number.isNaN(birth.getTime())) throw new RangeError('generateIdNumber: invalid Date');
    ymd = `${pad(birth.getFullYear(), 4)}${pad(birth.getMonth() + 1, 2)}${pad(birth.getDate(), 2)}`;
  } else {
    ymd = birth;
  }
  if (!isRealDate(ymd)) {
    throw new RangeError('generateIdNumber: birth must be a real date (YYYYMMDD, year >= 1900)');
  }
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) {
    throw new RangeError('generateIdNumber: sequence must be an integer 0-999');
  }
  const first17 = `${regionCode}${ymd}${pad(sequence, 3)}`;
  return first17 + idNumberCheckChar(first17);
}

// ---------------------------------------------------------------------------
// 统一社会信用代码 (GB 32100)
// ---------------------------------------------------------------------------

const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'; // 31 chars, no I O S V Z
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const CREDIT_RE = /^[0-9ABCDEFGHJKLMNPQRTUWXY]{18}$/;

/** Check character for the first 17 characters of a credit code. Throws on malformed input. */
export function creditCodeCheckChar(first17: string): string {
  const v = String(first17 ?? '').toUpperCase();
  if (v.length !== 17) throw new RangeError('creditCodeCheckChar: expected exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const val = CREDIT_ALPHABET.indexOf(v[i]);
    if (val < 0) throw new RangeError(`creditCodeCheckChar: illegal character '${v[i]}'`);
    sum += val * CREDIT_WEIGHTS[i];
  }
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_ALPHABET[check];
}

/** Validate an 18-character unified social credit code (input is upper-cased). */
export function validateCreditCode(s: string): SimpleResult {
  const v = String(s ?? '').toUpperCase();
  if (v.length !== 18) return { ok: false, message: '统一社会信用代码应为18位' };
  if (!CREDIT_RE.test(v)) {
    return { ok: false, message: '统一社会信用代码含有非法字符（不得包含I、O、S、V、Z）' };
  }
  if (creditCodeCheckChar(v.slice(0, 17)) !== v[17]) {
    return { ok: false, message: '统一社会信用代码校验位不正确' };
  }
  return { ok: true };
}

/**
 * Deterministically build a valid credit code from a non-negative integer seed:
 * '91' + '370100' + 9 base-31 digits of the seed + check character.
 * Distinct seeds (0 ≤ seed < 31^9) give distinct codes.
 */
export function generateCreditCode(seed: number): string {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError('generateCreditCode: seed must be a non-negative safe integer');
  }
  let n = seed;
  let org = '';
  for (let i = 0; i < 9; i++) {
    org = CREDIT_ALPHABET[n % 31] + org;
    n = Math.floor(n / 31);
  }
  const first17 = `91370100${org}`;
  return first17 + creditCodeCheckChar(first17);
}

// ---------------------------------------------------------------------------
// 手机号码 / 电子邮箱
// ---------------------------------------------------------------------------

const MOBILE_RE = /^1[3-9]\d{9}$/;

/** Mainland China mobile number: 11 digits starting 13-19. */
export function validateMobile(s: string): SimpleResult {
  return MOBILE_RE.test(String(s ?? ''))
    ? { ok: true }
    : { ok: false, message: '手机号码格式不正确' };
}

// Local part: dot-atom (no leading/trailing/consecutive dots), ≤ 64 chars.
// Domain: ≥ 2 labels of letters/digits/hyphens (no hyphen at label ends), TLD ≥ 2 letters.
const EMAIL_RE =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** RFC-lite e-mail check (max 254 characters, local part max 64). */
export function validateEmail(s: string): SimpleResult {
  const v = String(s ?? '');
  const at = v.lastIndexOf('@');
  if (v.length > 254 || at < 1 || at > 64 || !EMAIL_RE.test(v)) {
    return { ok: false, message: '电子邮箱格式不正确' };
  }
  return { ok: true };
}

/** 138****8000: a mobile number as lists and exports show it to those not allowed to see it whole. */
export function maskMobile(s: string): string {
  return /^\d{11}$/.test(s) ? `${s.slice(0, 3)}****${s.slice(7)}` : '****';
}
