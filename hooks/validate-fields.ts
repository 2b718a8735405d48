/**
 * Field validation shared by every create and edit: ID numbers, credit codes, mobiles and
 * e-mails are checked with the rules of docs/manual.md (Identifiers), a person's title (series, level,
 * title) against the title catalog; a failure is a Chinese message on the field and nothing is
 * saved.
 */
import { ValidationFailed } from '../src/domain/errors.js';
import { validateCreditCode, validateEmail, validateIdNumber, validateMobile, validatePhone } from '../src/domain/identifiers.js';
import { checkTitle } from '../config/title-series.js';

const checks: Record<string, (v: string) => { ok: true } | { ok: false; message: string }> = {
  id_number: validateIdNumber,
  credit_code: validateCreditCode,
  mobile: validateMobile,
  email: validateEmail,
  phone: validatePhone,
};

const TITLE_FIELDS = ['title_series', 'title_level', 'title'] as const;

/**
 * Trims strings, upper-cases codes, and throws one ValidationFailed listing every bad field.
 * Title fields are checked together, with the record's `current` values for those not changed.
 */
export function validateFields(values: Record<string, unknown>, required: string[] = [], current: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values };
  const errors: Record<string, { message: string }> = {};
  for (const [k, v] of Object.entries(out)) {
    if (typeof v === 'string') out[k] = v.trim() === '' ? null : v.trim();
    if ((k === 'id_number' || k === 'credit_code') && typeof out[k] === 'string') out[k] = (out[k] as string).toUpperCase();
  }
  for (const k of required) if (out[k] === null || out[k] === undefined) errors[k] = { message: '此项为必填项' };
  for (const [k, check] of Object.entries(checks)) {
    const v = out[k];
    if (typeof v === 'string') {
      const r = check(v);
      if (!r.ok) errors[k] = { message: r.message };
    }
  }
  if (typeof out.name === 'string' && (out.name as string).length > 100) errors.name = { message: '名称不能超过100个字符' };
  if (TITLE_FIELDS.some((k) => k in out)) {
    const merged = { ...Object.fromEntries(TITLE_FIELDS.map((k) => [k, current[k] ?? null])), ...out } as Record<string, string | null>;
    const t = checkTitle({ series: merged.title_series, level: merged.title_level, title: merged.title });
    if (!t.ok) errors[t.field] = { message: t.message };
    else if ('title' in out) out.title = t.title;
  }
  if (Object.keys(errors).length) throw new ValidationFailed(errors);
  return out;
}
