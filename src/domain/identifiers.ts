/**
 * Pure validators / generators for Chinese identifiers, every rule of the standards that can be
 * checked without a register:
 *  - 居民身份证号码 (GB 11643-1999): province-level region prefix (GB/T 2260), real birth date,
 *    check character; the foreigners' permanent-residence number (9 + province, since 2023) too;
 *  - 统一社会信用代码 (GB 32100-2015): registration authority, organisation type allowed for it,
 *    six-digit region code, the inner organisation code (GB 11714) with its own check character,
 *    the final check character;
 *  - 手机号码、电子邮箱.
 * Each failure names the rule it breaks, in Chinese. Migration 010 holds the same rules in SQL
 * (trigger functions on persons, accounts and organisations); test/integration/schema.test.ts
 * checks that both agree. No dependencies; all functions are side-effect free.
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

/**
 * GB/T 2260 province-level codes (the first two digits of a region code): 11–15, 21–23, 31–37,
 * 41–46, 50–54, 61–65, 71 (台湾), 81 (香港), 82 (澳门), 83 (the residence permits of 台湾 residents:
 * 港澳台居民居住证 numbers start 810000, 820000, 830000).
 */
export const PROVINCE_CODES: readonly string[] = [
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83',
];
const PROVINCES = new Set(PROVINCE_CODES);

export const ID_MESSAGES = {
  length: '身份证号码应为18位',
  fifteen: '身份证号码应为18位：15位的第一代身份证号码已于2013年1月1日停止使用。18位号码由15位号码在第6位后插入出生年份的前两位（如“19”），再在末尾加1位校验码构成（GB 11643）',
  digits: '身份证号码前17位应为数字',
  last: '身份证号码最后一位应为数字或X',
  region: '身份证号码前两位应为省级行政区划代码（GB/T 2260：11–15、21–23、31–37、41–46、50–54、61–65、71、81–83），外国人永久居留身份证号码以9开头',
  foreignRegion: '外国人永久居留身份证号码第2–3位应为受理地的省级行政区划代码（GB/T 2260）',
  birth: '身份证号码中的出生日期无效',
  check: '身份证号码校验位不正确',
} as const;

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
 * The region rule of an ID number's first six digits: a resident's number starts with a
 * province-level code; a foreigner's permanent-residence number (外国人永久居留身份证, issued since
 * 2023-12-01) starts with 9 followed by the province-level code of the accepting authority.
 * Undefined when the rule holds, else the message.
 */
function regionViolation(first6: string): string | undefined {
  if (first6[0] === '9') return PROVINCES.has(first6.slice(1, 3)) ? undefined : ID_MESSAGES.foreignRegion;
  return PROVINCES.has(first6.slice(0, 2)) ? undefined : ID_MESSAGES.region;
}

/**
 * Validate an 18-character resident ID number. Lower-case 'x' is accepted
 * (the input is upper-cased); no trimming is performed — callers trim.
 */
export function validateIdNumber(s: string): IdNumberResult {
  const v = String(s ?? '').toUpperCase();
  if (/^\d{15}$/.test(v)) return { ok: false, message: ID_MESSAGES.fifteen };
  if (v.length !== 18) return { ok: false, message: ID_MESSAGES.length };
  const body = v.slice(0, 17);
  if (!/^\d{17}$/.test(body)) return { ok: false, message: ID_MESSAGES.digits };
  const last = v[17];
  if (!/^[0-9X]$/.test(last)) return { ok: false, message: ID_MESSAGES.last };
  const region = regionViolation(body.slice(0, 6));
  if (region) return { ok: false, message: region };
  const birth = body.slice(6, 14);
  if (!isRealDate(birth) || birth > todayYmd()) {
    return { ok: false, message: ID_MESSAGES.birth };
  }
  if (idNumberCheckChar(body) !== last) return { ok: false, message: ID_MESSAGES.check };
  const seq = Number(body.slice(14, 17));
  return {
    ok: true,
    gender: seq % 2 === 1 ? 'M' : 'F',
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    regionCode: body.slice(0, 6),
  };
}

/**
 * Build an ID number that passes every rule of validateIdNumber (except a future birth date).
 * @param regionCode 6 digits whose first two are a province-level code, or 9 + a province-level
 *   code + 3 digits (a foreigner's permanent-residence number)
 * @param birth a Date (local calendar date is used) or a 'YYYYMMDD' string
 * @param sequence 0-999 (odd → male, even → female)
 * Throws RangeError on malformed arguments. A future birth date is not rejected
 * here (useful for test fixtures) but such a number will not pass validateIdNumber.
 */
export function generateIdNumber(regionCode: string, birth: Date | string, sequence: number): string {
  if (!/^\d{6}$/.test(regionCode) || regionViolation(regionCode)) {
    throw new RangeError('generateIdNumber: regionCode must be 6 digits starting with a province-level code (or 9 and one)');
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
/** GB 11714 weights of the organisation code's eight body characters. */
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/**
 * GB 32100-2015 table 1: registration authority (登记管理部门, character 1) → the organisation
 * types (机构类别, character 2) it issues. A (中央军委改革和编制办公室) and N (农业) come from the
 * standard's amendment. 9 (工商) lists 1, 2, 3 only: the table has no 其他 for it.
 */
export const CREDIT_AUTHORITIES: Readonly<Record<string, { name: string; types: Readonly<Record<string, string>> }>> = {
  1: { name: '机构编制', types: { 1: '机关', 2: '事业单位', 3: '中央编办直接管理机构编制的群众团体', 9: '其他' } },
  2: { name: '外交', types: { 1: '外国常驻新闻机构', 9: '其他' } },
  3: { name: '司法行政', types: { 1: '律师执业机构', 2: '公证处', 3: '基层法律服务所', 4: '司法鉴定机构', 5: '仲裁委员会', 9: '其他' } },
  4: { name: '文化', types: { 1: '外国在华文化中心', 9: '其他' } },
  5: { name: '民政', types: { 1: '社会团体', 2: '民办非企业单位', 3: '基金会', 9: '其他' } },
  6: { name: '旅游', types: { 1: '外国旅游部门常驻代表机构', 2: '港澳台地区旅游部门常驻内地（大陆）代表机构', 9: '其他' } },
  7: { name: '宗教', types: { 1: '宗教活动场所', 2: '宗教院校', 9: '其他' } },
  8: { name: '工会', types: { 1: '基层工会', 9: '其他' } },
  9: { name: '工商', types: { 1: '企业', 2: '个体工商户', 3: '农民专业合作社' } },
  A: { name: '中央军委改革和编制办公室', types: { 1: '军队事业单位', 9: '其他' } },
  N: { name: '农业', types: { 1: '组级集体经济组织', 2: '村级集体经济组织', 3: '乡镇级集体经济组织', 9: '其他' } },
  Y: { name: '其他', types: { 1: '其他' } },
};

export const CREDIT_MESSAGES = {
  length: '统一社会信用代码应为18位',
  alphabet: '统一社会信用代码含有非法字符（不得包含I、O、S、V、Z）',
  authority: '统一社会信用代码第1位（登记管理部门代码）应为1–9、A、N、Y之一',
  /** Completed with the authority's allowed types: see creditTypeMessage. */
  type: '统一社会信用代码第2位（机构类别代码）与登记管理部门不符',
  region: '统一社会信用代码第3–8位（登记管理机关行政区划码）应为6位数字',
  orgCode: '统一社会信用代码第9–17位（组织机构代码，GB 11714）的校验码不正确',
  check: '统一社会信用代码校验位不正确',
} as const;

function creditTypeMessage(authority: string): string {
  const a = CREDIT_AUTHORITIES[authority];
  return `${CREDIT_MESSAGES.type}：登记管理部门“${authority} ${a.name}”的机构类别代码为${Object.keys(a.types).join('、')}`;
}

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

/**
 * GB 11714 check character of an organisation code's eight body characters (digits and
 * upper-case letters; a letter counts 10 + its place in A–Z): C9 = 11 − (Σ Ci·Wi mod 11),
 * 10 → 'X', 11 → '0'. Throws on malformed input.
 */
export function organisationCodeCheckChar(body8: string): string {
  const v = String(body8 ?? '').toUpperCase();
  if (!/^[0-9A-Z]{8}$/.test(v)) throw new RangeError('organisationCodeCheckChar: expected 8 digits or letters');
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = v.charCodeAt(i);
    sum += (c <= 57 ? c - 48 : c - 55) * ORG_WEIGHTS[i];
  }
  const c9 = 11 - (sum % 11);
  return c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9);
}

/** Validate an 18-character unified social credit code (input is upper-cased). */
export function validateCreditCode(s: string): SimpleResult {
  const v = String(s ?? '').toUpperCase();
  if (v.length !== 18) return { ok: false, message: CREDIT_MESSAGES.length };
  if (!CREDIT_RE.test(v)) return { ok: false, message: CREDIT_MESSAGES.alphabet };
  const authority = CREDIT_AUTHORITIES[v[0]];
  if (!authority) return { ok: false, message: CREDIT_MESSAGES.authority };
  if (!Object.prototype.hasOwnProperty.call(authority.types, v[1])) return { ok: false, message: creditTypeMessage(v[0]) };
  if (!/^\d{6}$/.test(v.slice(2, 8))) return { ok: false, message: CREDIT_MESSAGES.region };
  if (organisationCodeCheckChar(v.slice(8, 16)) !== v[16]) return { ok: false, message: CREDIT_MESSAGES.orgCode };
  if (creditCodeCheckChar(v.slice(0, 17)) !== v[17]) return { ok: false, message: CREDIT_MESSAGES.check };
  return { ok: true };
}

/** How many distinct seeds generateCreditCode takes: 31^8 organisation-code bodies. */
export const CREDIT_SEEDS = 31 ** 8;

export interface CreditCodeParts {
  /** Registration authority (登记管理部门), default '9' (工商). */
  authority?: string;
  /** Organisation type (机构类别) allowed for the authority, default '1'. */
  type?: string;
  /** Six-digit region code of the registering authority, default '370100'. */
  region?: string;
}

/**
 * Deterministically build a credit code that passes every rule of validateCreditCode:
 * authority + type + region + an organisation code whose eight body characters are the seed in
 * base 31 (the credit-code alphabet) with its GB 11714 check character + the final check
 * character. Distinct seeds (0 ≤ seed < CREDIT_SEEDS) with the same parts give distinct codes.
 */
export function generateCreditCode(seed: number, parts: CreditCodeParts = {}): string {
  if (!Number.isSafeInteger(seed) || seed < 0 || seed >= CREDIT_SEEDS) {
    throw new RangeError('generateCreditCode: seed must be an integer 0 ≤ seed < 31^8');
  }
  const { authority = '9', type = '1', region = '370100' } = parts;
  if (!CREDIT_AUTHORITIES[authority]?.types[type]) throw new RangeError(`generateCreditCode: type '${type}' is not allowed for authority '${authority}'`);
  if (!/^\d{6}$/.test(region)) throw new RangeError('generateCreditCode: region must be 6 digits');
  let n = seed;
  let body = '';
  for (let i = 0; i < 8; i++) {
    body = CREDIT_ALPHABET[n % 31] + body;
    n = Math.floor(n / 31);
  }
  const first17 = `${authority}${type}${region}${body}${organisationCodeCheckChar(body)}`;
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

// A fixed line: area code 0 + 2–3 digits (010, 0531), a hyphen or none, 7–8 digits, an optional
// extension (-123); a mobile number or a 400/800 service number is also a phone a unit may give.
const PHONE_RE = /^(?:0\d{2,3}-?[2-9]\d{6,7}(?:-\d{1,6})?|[2-9]\d{6,7}|(?:400|800)-?\d{3}-?\d{4})$/;

/** A department's or an organisation's telephone (固定电话): "abc" is refused in Chinese. */
export function validatePhone(s: string): SimpleResult {
  const v = String(s ?? '').trim().replace(/[（(]/g, '').replace(/[)）]/g, '-').replace(/\s+/g, '');
  return PHONE_RE.test(v) || MOBILE_RE.test(v)
    ? { ok: true }
    : { ok: false, message: '电话号码格式不正确，应为区号-号码（如 0531-86012345，可带分机号 -123）或手机号' };
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
