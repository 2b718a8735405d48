/**
 * What a rule of the year must satisfy before it is saved (issue 18.5): a yearly requirement,
 * a learning form's caps and conversion, the key-review threshold. Pure: the panel's 新增 and
 * any other caller use these; the database repeats the ranges as CHECKs (migrations 009, 016).
 */
import { ValidationFailed } from './errors.js';

type Errors = Record<string, { message: string }>;
const FIRST = 2000;
const LAST = 2100;

/** A number field holds at most this many characters: longer input is refused as too long, not parsed. */
const NUMBER_CHARS = 12;
const SOURCE_CHARS = 500;

function hours(errors: Errors, key: string, raw: unknown, label: string, opts: { optional?: boolean; min?: number } = {}): number | null {
  const text = raw === undefined || raw === null ? '' : String(raw).trim();
  if (text.length > NUMBER_CHARS) { errors[key] = { message: `${label}过长（不能超过${NUMBER_CHARS}个字符）` }; return null; }
  if (!text) {
    if (!opts.optional) errors[key] = { message: `请填写${label}` };
    return null;
  }
  const n = Number(text);
  const min = opts.min ?? 0;
  if (!Number.isFinite(n) || n < min || n > 1000 || Math.round(n * 10) !== n * 10) {
    errors[key] = { message: `${label}应为${min === 0 ? '0' : '大于0'}至1000之间的数字（最多一位小数）` };
    return null;
  }
  if (min > 0 && n <= 0) { errors[key] = { message: `${label}应大于0` }; return null; }
  return n;
}

export function effectiveYear(errors: Errors, raw: unknown): number | null {
  const text = String(raw ?? '').trim();
  if (text.length > NUMBER_CHARS) { errors.effective_year = { message: `生效年度过长（不能超过${NUMBER_CHARS}个字符）` }; return null; }
  const n = Number(text);
  if (!Number.isInteger(n) || n < FIRST || n > LAST) {
    errors.effective_year = { message: `生效年度应为${FIRST}至${LAST}之间的年份` };
    return null;
  }
  return n;
}

function source(errors: Errors, values: Record<string, unknown>): string | null {
  const s = String(values.source ?? '').trim();
  if (s.length > SOURCE_CHARS) { errors.source = { message: `依据过长（不能超过${SOURCE_CHARS}个字）` }; return null; }
  return s || null;
}

function done<T>(errors: Errors, value: T, what: string): T {
  if (Object.keys(errors).length) throw new ValidationFailed(errors, `${what}有误，未保存`);
  return value;
}

/** 年度学时要求: total ≥ public + professional, from a year, for the province or a city/county region code. */
export function yearlyRequirementInput(values: Record<string, unknown>) {
  const errors: Errors = {};
  const year = effectiveYear(errors, values.effective_year);
  const total = hours(errors, 'total_hours', values.total_hours, '总学时', { min: 0.1 });
  const pub = hours(errors, 'public_hours', values.public_hours, '公需科目学时');
  const prof = hours(errors, 'professional_hours', values.professional_hours, '专业科目学时');
  const regionText = String(values.region_code ?? '').trim();
  let region: string | null = null;
  if (regionText.length > 6) errors.region_code = { message: '适用地区代码过长（应为6位行政区划代码）' };
  else if (regionText) {
    // A Shandong city (3701 00) or county (3701 02) code; whether a bureau has it is the caller's check.
    if (!/^37\d{4}$/.test(regionText) || regionText === '370000') errors.region_code = { message: '行政区划代码应为山东省内市或县（区）的6位代码，如 370100、370102；全省适用请留空' };
    else region = regionText;
  }
  if (total !== null && pub !== null && prof !== null && pub + prof > total) {
    errors.total_hours = { message: `总学时（${total}）不能少于公需科目与专业科目学时之和（${pub + prof}）` };
  }
  return done(errors, { effective_year: year, region_code: region, total_hours: total, public_hours: pub, professional_hours: prof, source: source(errors, values) }, '年度学时要求');
}

/** 重点审核规则: declarations above this many hours are flagged, from a year on. */
export function keyReviewRuleInput(values: Record<string, unknown>) {
  const errors: Errors = {};
  const year = effectiveYear(errors, values.effective_year);
  const above = hours(errors, 'above_hours', values.above_hours, '重点审核学时线', { min: 0.1 });
  return done(errors, { effective_year: year, above_hours: above, source: source(errors, values) }, '重点审核规则');
}

/** 学习形式年度规则: caps (optional) from a year on; the conversion is checked by the catalog's own rule. */
export function formRuleCaps(values: Record<string, unknown>, errors: Errors) {
  const year = effectiveYear(errors, values.effective_year);
  const perActivity = hours(errors, 'cap_per_activity', values.cap_per_activity, '单次学时上限', { optional: true, min: 0.1 });
  const perYear = hours(errors, 'cap_per_year', values.cap_per_year, '年度学时上限', { optional: true, min: 0.1 });
  if (perActivity !== null && perYear !== null && perActivity > perYear) {
    errors.cap_per_activity = { message: '单次学时上限不能超过年度学时上限' };
  }
  return { effective_year: year, cap_per_activity: perActivity, cap_per_year: perYear, source: source(errors, values) };
}

export { done as finishRuleInput };
