/**
 * 学时（分）申报 (manual 4.2.1): the chosen subject type and learning form decide the fields;
 * the catalog turns the activity into hours (conversion, cap per activity) and names the date
 * whose year the hours count in; the key-review rules flag what needs a closer look; one
 * declaration per applicant, all in one transaction.
 */
import { Op, QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { FIRST_YEAR, activityYear, hoursFor, yearFieldOf, zeroHoursReason, type Conversion, type LearningFormField } from '../../config/learning-forms.js';
import { hourPolicy } from '../../config/policies.js';
import type { Principal } from '../access/principal.js';
import { scopeOf } from '../access/scope.js';
import { PlatformError, ValidationFailed } from '../domain/errors.js';
import type { AnyModel } from '../db/models.js';
import { audit } from './audit.js';
import { MAX_EVIDENCE_BYTES, type Evidence } from './evidence.js';

export interface FormRow {
  id: number; code: string; name: string; subject_types: string[]; fields: LearningFormField[]; conversion: Conversion;
  cap_per_activity: string | null; cap_per_year: string | null; key_review: boolean; bulk_import: boolean; active: boolean;
}

export async function activeForms(sequelize: Sequelize): Promise<FormRow[]> {
  return sequelize.query<FormRow>('SELECT * FROM learning_forms WHERE active ORDER BY sort, id', { type: QueryTypes.SELECT });
}

export function hoursOf(form: FormRow, values: Record<string, unknown>): number {
  return hoursFor({ conversion: form.conversion, capPerActivity: form.cap_per_activity === null ? undefined : Number(form.cap_per_activity) }, values);
}

/**
 * A learning form's rules for one year (migration 016: learning_form_rules, key_review_rules):
 * the caps and the conversion in force in the year the hours count in, and the key-review
 * threshold of that year. The database's `ce_form_rule` / `ce_key_review_above` are the one
 * reader; the yearly totals use the same function.
 */
export interface YearRule { capPerActivity: string | null; capPerYear: string | null; conversion: Conversion; keyReviewAbove: number }

export async function rulesOfYears(
  sequelize: Sequelize, formId: number, years: number[], transaction?: Transaction,
): Promise<Map<number, YearRule>> {
  const distinct = [...new Set(years)].filter((y) => Number.isInteger(y));
  if (!distinct.length) return new Map();
  const rows = await sequelize.query<{ year: number; cap_per_activity: string | null; cap_per_year: string | null; conversion: Conversion; above: string }>(
    `SELECT y.year, r.cap_per_activity, r.cap_per_year, r.conversion, ce_key_review_above(y.year::smallint) above
       FROM unnest(CAST(:years AS int[])) AS y(year) CROSS JOIN LATERAL ce_form_rule(:form, y.year::smallint) r`,
    { replacements: { years: `{${distinct.join(',')}}`, form: formId }, type: QueryTypes.SELECT, transaction });
  return new Map(rows.map((r) => [Number(r.year), { capPerActivity: r.cap_per_activity, capPerYear: r.cap_per_year, conversion: r.conversion, keyReviewAbove: Number(r.above) }]));
}

/** The form as it applies in a year: the catalog's fields with the year's caps and conversion. */
export function formOfYear(form: FormRow, rule: YearRule | undefined): FormRow {
  return rule ? { ...form, cap_per_activity: rule.capPerActivity, cap_per_year: rule.capPerYear, conversion: rule.conversion } : form;
}

export function isKeyReview(form: FormRow, hours: number, rule: YearRule | undefined): boolean {
  return form.key_review || hours > (rule?.keyReviewAbove ?? hourPolicy.keyReviewAboveHours);
}

/**
 * Validates the form's own fields; returns the cleaned values or throws with a message per field.
 * A `file` field takes no typed text: its value is the name of the uploaded proof (`evidence`),
 * required when `requireFiles` (the real submission; 计算学时 may come before the upload).
 */
export function validateActivity(form: FormRow, input: Record<string, unknown>,
  opts: { evidence?: Evidence; evidenceError?: string; requireFiles?: boolean } = {}): Record<string, unknown> {
  const errors: Record<string, { message: string }> = {};
  const values: Record<string, unknown> = {};
  for (const f of form.fields) {
    if (f.type === 'file') {
      if (opts.evidenceError) errors[f.key] = { message: opts.evidenceError };
      else if (opts.evidence) values[f.key] = opts.evidence.name;
      else if (f.required && opts.requireFiles) errors[f.key] = { message: `请上传${f.label}（PDF 或 JPG/PNG 图片，不超过 ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB）` };
      continue;
    }
    const raw = input[f.key];
    const text = typeof raw === 'string' ? raw.trim() : raw === undefined || raw === null ? '' : String(raw);
    if (!text) {
      if (f.required) errors[f.key] = { message: `请填写${f.label}` };
      continue;
    }
    if (f.type === 'number') {
      const n = Number(text);
      if (!Number.isFinite(n) || (f.min !== undefined && n < f.min) || (f.max !== undefined && n > f.max)) {
        errors[f.key] = { message: `${f.label}应为${f.min ?? 0}–${f.max ?? '∞'}之间的数字` };
      } else values[f.key] = n;
    } else if (f.type === 'date') {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(new Date(text).getTime())) errors[f.key] = { message: `${f.label}格式应为 YYYY-MM-DD` };
      else values[f.key] = text;
    } else if (f.type === 'select') {
      if (!(f.options ?? []).includes(text)) errors[f.key] = { message: `请选择${f.label}` };
      else values[f.key] = text;
    } else {
      values[f.key] = text.slice(0, 200);
    }
  }
  if (typeof values.start_date === 'string' && typeof values.end_date === 'string' && values.end_date < values.start_date) {
    errors.end_date = { message: '结束日期不能早于开始日期' };
  }
  if (typeof values.start_date === 'string' && values.start_date > new Date().toISOString().slice(0, 10)) {
    errors.start_date = { message: '开始日期不能晚于今天' };
  }
  const yearField = form.fields.find((f) => f.key === yearFieldOf(form.fields));
  const year = activityYear(form.fields, values);
  if (yearField && !errors[yearField.key] && year !== undefined && (year < FIRST_YEAR || String(values[yearField.key]) > new Date().toISOString().slice(0, 10))) {
    errors[yearField.key] = { message: `${yearField.label}决定学时的认定年度，应在${FIRST_YEAR}年1月1日至今天之间` };
  }
  if (Object.keys(errors).length) throw new ValidationFailed(errors, '学习信息有误，请检查后重新提交');
  return values;
}

export interface DeclarationInput {
  subjectType: string;
  learningFormId: number;
  compulsory?: boolean | null;
  values: Record<string, unknown>;
  personIds: number[];
  /** The proof file (already checked by ./evidence.ts), or the reason it was refused. */
  evidence?: Evidence;
  evidenceError?: string;
}

export interface DeclarationPreview { hours: number; keyReview: boolean; year: number; persons: Array<{ id: number; name: string }> }

/**
 * Checks everything and, unless `dryRun`, writes one declaration per applicant. Applicants
 * must be persons the principal may list (a person declares for itself).
 */
export async function declareHours(
  sequelize: Sequelize, Person: AnyModel, p: Principal, input: DeclarationInput, dryRun: boolean,
): Promise<DeclarationPreview & { ids: number[] }> {
  const personScope = scopeOf(p, 'persons', 'list').where;
  if (!['public', 'professional'].includes(input.subjectType)) throw new PlatformError('请选择计入科目');
  const [catalogForm] = await sequelize.query<FormRow>('SELECT * FROM learning_forms WHERE id = :id AND active', { replacements: { id: input.learningFormId }, type: QueryTypes.SELECT });
  if (!catalogForm) throw new PlatformError('请选择学习形式');
  if (!catalogForm.subject_types.includes(input.subjectType)) throw new PlatformError('所选学习形式不适用于该计入科目');
  const values = validateActivity(catalogForm, input.values, { evidence: input.evidence, evidenceError: input.evidenceError, requireFiles: !dryRun });
  // The year of the date the form names (申请日期, 投稿日期, 入学日期, 立项日期 …), not of the day it is declared;
  // that year's caps, conversion and key-review threshold apply.
  const year = activityYear(catalogForm.fields, values) ?? new Date().getFullYear();
  const rule = (await rulesOfYears(sequelize, catalogForm.id, [year])).get(year);
  const form = formOfYear(catalogForm, rule);
  const hours = hoursOf(form, values);
  if (hours <= 0) {
    const why = zeroHoursReason(form, values);
    throw new PlatformError(why ? `按${form.name}的折算规则，${why}` : '按该学习形式的折算规则，学时为0，请检查填写的信息');
  }
  const ids = [...new Set(input.personIds.map(Number).filter((n) => Number.isInteger(n) && n > 0))].slice(0, 500);
  if (!ids.length) throw new PlatformError('请添加申请人');

  return sequelize.transaction(async (transaction) => {
    const persons = await Person.findAll({
      where: { [Op.and]: [{ id: { [Op.in]: ids } }, { status: 'active' }, personScope] }, attributes: ['id', 'name', 'unit_id', 'org_path'], raw: true, transaction,
    }) as unknown as Array<{ id: number; name: string; unit_id: number; org_path: string }>;
    if (persons.length !== ids.length) throw new PlatformError('申请人须为本辖区内的在册专业技术人员');
    // The same activity twice for one person (not rejected) is a duplicate.
    const dupes = await sequelize.query<{ name: string }>(
      `SELECT p.name FROM hour_declarations h JOIN persons p ON p.id = h.person_id
        WHERE h.person_id IN (:ids) AND h.learning_form_id = :form AND h.status NOT IN ('rejected','withdrawn')
          AND h.activity_name = :activity AND h.details->>'start_date' = :start LIMIT 5`,
      { replacements: { ids, form: form.id, activity: String(values.activity_name ?? ''), start: String(values.start_date ?? '') }, type: QueryTypes.SELECT, transaction });
    if (dupes.length) throw new PlatformError(`以下人员已申报过同一学习活动：${dupes.map((d) => d.name).join('、')}`);
    if (form.cap_per_year !== null) {
      const over = await sequelize.query<{ name: string }>(
        `SELECT p.name FROM persons p LEFT JOIN hour_declarations h ON h.person_id = p.id AND h.learning_form_id = :form AND h.year = :year
            AND h.status IN ('pending_unit','pending','approved')
          WHERE p.id IN (:ids) GROUP BY p.id, p.name HAVING coalesce(sum(h.declared_hours), 0) + :hours > :cap LIMIT 5`,
        { replacements: { ids, form: form.id, year, hours, cap: Number(form.cap_per_year) }, type: QueryTypes.SELECT, transaction });
      if (over.length) throw new PlatformError(`${form.name}每年最多计 ${Number(form.cap_per_year)} 学时，以下人员将超出上限：${over.map((o) => o.name).join('、')}`);
    }
    const preview = { hours, keyReview: isKeyReview(form, hours, rule), year, persons: persons.map(({ id, name }) => ({ id, name })) };
    if (dryRun) return { ...preview, ids: [] };

    const channel = p.kind === 'ce_base' ? 'ce_base' : p.kind === 'unit' ? 'unit' : p.kind === 'person' ? 'person' : 'hr';
    const status = channel === 'person' && hourPolicy.unitFirstLevelReview ? 'pending_unit' : 'pending';
    const created: number[] = [];
    for (const person of persons) {
      const [[row]] = await sequelize.query(
        `INSERT INTO hour_declarations (person_id, unit_id, org_path, year, subject_type, compulsory, learning_form_id, channel, ce_base_id,
           declared_by, activity_name, details, declared_hours, key_review, status, evidence_name, evidence_kind, evidence_file)
         VALUES (:person, :unit, :path, :year, :subject, :compulsory, :form, :channel, :ceBase, :by, :activity, :details, :hours, :key, :status,
           :evidenceName, :evidenceKind, :evidenceFile) RETURNING id`,
        { replacements: {
          person: person.id, unit: person.unit_id, path: person.org_path, year, subject: input.subjectType,
          compulsory: input.subjectType === 'public' ? input.compulsory ?? null : null, form: form.id, channel,
          ceBase: channel === 'ce_base' ? p.organisationId : null, by: p.accountId, activity: String(values.activity_name ?? form.name),
          details: JSON.stringify(values), hours, key: preview.keyReview, status,
          evidenceName: input.evidence?.name ?? null, evidenceKind: input.evidence?.kind ?? null, evidenceFile: input.evidence?.bytes ?? null,
        }, transaction },
      ) as unknown as [[{ id: number }]];
      created.push(Number(row.id));
    }
    await audit({ actor: p, action: 'declare_hours', resource: 'hour_declarations', recordId: created.join(','),
      after: { form: form.code, hours, persons: ids.length, channel, status } }, transaction);
    return { ...preview, ids: created };
  });
}
