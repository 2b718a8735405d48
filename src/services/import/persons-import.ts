/**
 * 批量导入学员 (manual 4.5.4.1): professional persons from the template, through the same
 * two-phase import as hours. Each row: a valid ID number not yet registered, a unit of the
 * admin's jurisdiction named by its unified social credit code, series/level/education from
 * the reference lists. Each new person gets a login account: the ID number with the manual's
 * initial password (its last six digits), to be changed at the first login.
 */
import { QueryTypes } from 'sequelize';
import { normaliseIdNumber, validateCreditCode, validateEmail, validateIdNumber, validateMobile } from '../../domain/identifiers.js';
import { checkTitle, educations, titleLevels } from '../../../config/title-series.js';
import { INITIAL_PASSWORD_MARKER } from '../../auth/passwords.js';
import { allows } from '../../access/scope.js';
import { accountRefusals, ACCOUNT_ELSEWHERE, createAccounts, idNumbersTaken } from '../../access/accounts.js';
import { registerImport } from './engine.js';

/** A row whose ID number cannot be used here, for a reason the importing admin may not learn. */
export const ID_NUMBER_UNAVAILABLE = ACCOUNT_ELSEWHERE;

export interface PersonRow {
  name: string; idNumber: string; gender: 'M' | 'F'; birthDate: string; creditCode: string;
  series: string | null; level: string | null; title: string | null; education: string | null; mobile: string | null; email: string | null;
  unitId?: number; orgPath?: string;
}

const levelByLabel = new Map<string, string>(titleLevels.map((l) => [l.label, l.value]));
const educationByLabel = new Map<string, string>(educations.map((e) => [e.label, e.value]));
const orNull = (s: string | undefined) => (s && s.trim() ? s.trim() : null);

registerImport<PersonRow>({
  kind: 'persons',
  title: '专业技术人员批量导入',
  columns: [
    { header: '姓名', key: 'name', example: '张三' },
    { header: '身份证号', key: 'idNumber', width: 22, example: '370102199001010017' },
    { header: '所在单位统一社会信用代码', key: 'creditCode', width: 26, example: '91370102MA3C00003L' },
    { header: '职称系列', key: 'series', width: 16, example: '工程技术' },
    { header: '职称级别', key: 'level', example: '中级' },
    { header: '专业技术职务', key: 'title', width: 16, example: '工程师' },
    { header: '学历', key: 'education', example: '大学本科' },
    { header: '手机号码', key: 'mobile', width: 14, example: '13800000000' },
    { header: '电子邮箱', key: 'email', width: 22, example: '' },
  ],
  parse(raw) {
    // Every rule of the row is checked, and every broken one reported (not just the first).
    const errors: string[] = [];
    const name = String(raw.name ?? '').trim();
    if (!name) errors.push('姓名为空');
    else if (name.length > 50) errors.push('姓名不能超过50个字');
    const idNumber = normaliseIdNumber(raw.idNumber);
    const id = validateIdNumber(idNumber);
    if (!id.ok) errors.push(id.message);
    const creditCode = String(raw.creditCode ?? '').trim().toUpperCase();
    const code = validateCreditCode(creditCode);
    if (!code.ok) errors.push(`所在单位${code.message}`);
    const levelLabel = orNull(raw.level);
    const levelValue = levelLabel ? levelByLabel.get(levelLabel) ?? null : null;
    const badLevel = !!levelLabel && !levelValue;
    if (badLevel) errors.push(`职称级别应为：${titleLevels.map((l) => l.label).join('、')}`);
    const rawTitle = orNull(raw.title);
    const longTitle = !!rawTitle && rawTitle.length > 50;
    if (longTitle) errors.push('专业技术职务不能超过50个字');
    // Series, level and title must fit the catalog (主管护师 is 卫生技术 · 中级) — asked once the level is one.
    const t = badLevel || longTitle ? null : checkTitle({ series: orNull(raw.series), level: levelValue, title: rawTitle });
    if (t && !t.ok) errors.push(t.message);
    const educationLabel = orNull(raw.education);
    const education = educationLabel ? educationByLabel.get(educationLabel) ?? null : null;
    if (educationLabel && !education) errors.push(`学历应为：${educations.map((e) => e.label).join('、')}`);
    const mobile = orNull(raw.mobile);
    if (mobile) { const m = validateMobile(mobile); if (!m.ok) errors.push(m.message); }
    const email = orNull(raw.email);
    if (email) { const e = validateEmail(email); if (!e.ok) errors.push(e.message); }
    if (errors.length || !id.ok || !t?.ok) {
      // The valid fields still meet the database's rules (registered already? unit in the jurisdiction?).
      return { errors, partial: { ...(id.ok ? { idNumber } : {}), ...(code.ok ? { creditCode } : {}) } };
    }
    const { series, level, title } = t;
    return { value: { name, idNumber, gender: id.gender, birthDate: id.birthDate, creditCode, series, level, title, education, mobile, email } };
  },
  keyOf: (r) => r.idNumber,
  async check(rows, ctx) {
    // Active units — and HR bureaus, whose own staff are registered persons too (issue 17, item 9:
    // 新增管理员 "pick a registered person of this organisation" could never work for a bureau) — by
    // credit code, whose new persons the persons policy lets this admin import: the same rules that
    // scope every person record, asked of the person-to-be.
    const codes = [...new Set(rows.map((r) => r.creditCode).filter(Boolean))];
    const units = codes.length ? await ctx.sequelize.query<{ id: number; path: string; credit_code: string }>(
      `SELECT id, path, credit_code FROM organisations WHERE kind IN ('unit', 'province_hr', 'city_hr', 'county_hr') AND status = 'active' AND credit_code IN (:codes)`,
      { replacements: { codes }, type: QueryTypes.SELECT }) : [];
    const unitByCode = new Map(units.filter((u) => allows(ctx.principal, 'persons', 'importPersons', { org_path: u.path }))
      .map((u) => [u.credit_code.trim(), u]));
    // Registered already: inside the admin's jurisdiction (what row-level security shows it) the
    // admin knows the person and is told so; anywhere else — a person elsewhere, or an account
    // holding a role this admin has no authority over — the answer is neutral: it names no kind
    // of user, no unit, no region.
    const ids = rows.map((r) => r.idNumber).filter(Boolean);
    const known = new Set(ids.length ? (await ctx.sequelize.query<{ id_number: string }>(
      'SELECT id_number FROM persons WHERE id_number IN (:ids)', { replacements: { ids }, type: QueryTypes.SELECT }))
      .map((p) => p.id_number.trim()) : []);
    const taken = ids.length ? await idNumbersTaken(ctx.sequelize, ids) : new Map() as Awaited<ReturnType<typeof idNumbersTaken>>;
    const refused = await accountRefusals(ctx.sequelize, [...taken.values()].map((t) => t.accountId ?? 0));
    return rows.map((r) => {
      const errors: string[] = [];
      const t = r.idNumber ? taken.get(r.idNumber) : undefined;
      if (r.idNumber && known.has(r.idNumber)) errors.push('该人员已在本辖区登记，请勿重复导入');
      else if (t && (t.personId !== null || (t.accountId !== null && refused.has(t.accountId)))) errors.push(ID_NUMBER_UNAVAILABLE);
      const unit = r.creditCode ? unitByCode.get(r.creditCode) : undefined;
      if (r.creditCode && !unit) errors.push('所在单位不存在、未启用或不在本辖区内');
      if (unit) Object.assign(r, { unitId: unit.id, orgPath: unit.path });
      return errors.length ? errors : undefined;
    });
  },
  async commit(rows, ctx, transaction) {
    // Columns sent as arrays, as the hours import's batch (a VALUES list would be 12,000 bind parameters).
    const column = <V>(of: (r: PersonRow) => V) => rows.map(of);
    await ctx.sequelize.query(
      `INSERT INTO persons (id_number, name, gender, birth_date, unit_id, org_path, title_series, title_level, title, education, mobile, email)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])`,
      { bind: [column((r) => r.idNumber), column((r) => r.name), column((r) => r.gender), column((r) => r.birthDate), column((r) => r.unitId),
        column((r) => r.orgPath), column((r) => r.series), column((r) => r.level), column((r) => r.title), column((r) => r.education),
        column((r) => r.mobile), column((r) => r.email)], transaction });
    // Login accounts: the initial password (last six digits of the ID number), changed at first login.
    // Someone who already logs in (e.g. as an admin) keeps the account and its password — linked
    // only where this admin has authority over all of it (checked above; checked again here, in
    // the batch's transaction, and once more by the database's guard on the link).
    const taken = await idNumbersTaken(ctx.sequelize, rows.map((r) => r.idNumber), transaction);
    const fresh = rows.filter((r) => !taken.get(r.idNumber)?.accountId);
    const freshIds = await createAccounts(ctx.sequelize, fresh.map((r) => ({
      idNumber: r.idNumber, name: r.name, passwordHash: INITIAL_PASSWORD_MARKER, mobile: r.mobile, email: r.email, mustChange: true,
    })), transaction);
    const link = new Map<string, number>(fresh.map((r, i) => [r.idNumber, freshIds[i]]));
    for (const r of rows) { const a = taken.get(r.idNumber)?.accountId; if (a) link.set(r.idNumber, a); }
    await ctx.sequelize.query(
      `UPDATE persons p SET account_id = k.account_id FROM unnest($1::text[], $2::int[]) AS k(id_number, account_id)
        WHERE p.id_number = k.id_number AND p.account_id IS NULL AND ce_account_refusal(k.account_id) IS NULL`,
      { bind: [[...link.keys()], [...link.values()]], transaction });
  },
});
