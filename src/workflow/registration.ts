/**
 * Registration (注册): a unit, a CE base or a professional person registers and chooses its
 * superior HR department. Everything is created pending in one transaction — the organisation
 * (or person, with its title if it gives one, checked against the title catalog), the login
 * account, the admin seat, and the registration request that the superior's jurisdiction
 * reviews (注册审核), with an organisation's licence as a file (its row, migration 017). Nobody can
 * log in before the approval.
 */
import { QueryTypes, UniqueConstraintError, type Sequelize } from 'sequelize';
import { hashPassword, passwordPolicyViolation } from '../auth/passwords.js';
import { normaliseIdNumber, validateCreditCode, validateEmail, validateIdNumber, validateMobile } from '../domain/identifiers.js';
import { audit } from '../services/audit.js';
import type { Notifier } from '../services/notifier.js';
import { checkTitle } from '../../config/title-series.js';
import { MAX_EVIDENCE_BYTES, type Evidence } from '../services/evidence.js';

export type RegistrationKind = 'unit' | 'ce_base' | 'person';

export interface RegistrationForm {
  kind: string;
  superiorId: string;
  unitId?: string;
  orgName?: string;
  creditCode?: string;
  idNumber: string;
  name: string;
  mobile: string;
  email: string;
  password: string;
  confirm: string;
  /** A person's title, optional: series, level (its value), title. */
  titleSeries?: string;
  titleLevel?: string;
  title?: string;
}

/** registrationId null: the ID number was registered already — the caller answers as for a new one. */
export type RegistrationResult = { ok: true; registrationId: number | null } | { ok: false; errors: Record<string, string> };

const HR_KINDS = ['province_hr', 'city_hr', 'county_hr'];
export const LICENCE_REQUIRED = `请上传营业执照或法人（登记）证书（PDF 或 JPG/PNG 图片，不超过 ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB）`;

/** HR departments to register under, and units for persons, grouped for the form. */
export async function registrationOptions(sequelize: Sequelize) {
  const bureaus = await sequelize.query<{ id: number; name: string; depth: number }>(
    "SELECT id, name, depth FROM organisations WHERE kind IN ('province_hr','city_hr','county_hr') AND status = 'active' ORDER BY region_code, depth, name",
    { type: QueryTypes.SELECT });
  const units = await sequelize.query<{ id: number; name: string }>(
    "SELECT id, name FROM organisations WHERE kind IN ('unit','ce_base') AND status = 'active' ORDER BY name", { type: QueryTypes.SELECT });
  return { bureaus, units };
}

/**
 * Whether an ID number is registered already is never told to the public page: such a
 * submission gets the same answer as a new one (and takes as long: the password is hashed
 * either way), creates nothing, and the account's own registered contact is told instead.
 */
export async function register(sequelize: Sequelize, f: RegistrationForm, ip?: string, notifier?: Notifier,
  licence: { file?: Evidence; refused?: string } = {}): Promise<RegistrationResult> {
  const errors: Record<string, string> = {};
  const kind = f.kind as RegistrationKind;
  if (!['unit', 'ce_base', 'person'].includes(kind)) errors.kind = '请选择注册类型';
  // An organisation's licence is what the reviewer checks the name and credit code against (issue 17).
  if (kind !== 'person' && (licence.refused || !licence.file)) errors.licence = licence.refused ?? LICENCE_REQUIRED;
  const idNumber = normaliseIdNumber(f.idNumber ?? '');
  const id = validateIdNumber(idNumber);
  if (!id.ok) errors.idNumber = id.message;
  const name = (f.name ?? '').trim();
  if (!name || name.length > 50) errors.name = '请填写真实姓名（不超过50字）';
  const mobile = validateMobile((f.mobile ?? '').trim());
  if (!mobile.ok) errors.mobile = mobile.message;
  const email = validateEmail((f.email ?? '').trim());
  if (!email.ok) errors.email = email.message;
  const violation = passwordPolicyViolation(f.password ?? '', idNumber);
  if (violation) errors.password = violation;
  else if (f.password !== f.confirm) errors.confirm = '两次输入的密码不一致';
  const orgName = (f.orgName ?? '').trim();
  const creditCode = (f.creditCode ?? '').trim().toUpperCase();
  const title = checkTitle({ series: f.titleSeries, level: f.titleLevel, title: (f.title ?? '').slice(0, 50) });
  if (kind === 'person' && !title.ok) errors[{ title_series: 'titleSeries', title_level: 'titleLevel', title: 'title' }[title.field]] = title.message;
  if (kind !== 'person') {
    if (orgName.length < 2 || orgName.length > 100) errors.orgName = '请填写单位（机构）全称';
    const cc = validateCreditCode(creditCode);
    if (!cc.ok) errors.creditCode = cc.message;
  }

  try {
    return await sequelize.transaction(async (transaction) => {
      const q = <T extends object>(sql: string, replacements: Record<string, unknown>) =>
        sequelize.query<T>(sql, { replacements, type: QueryTypes.SELECT, transaction });
      let superior: { id: number; path: string; kind: string } | undefined;
      let unit: { id: number; path: string; parent_id: number } | undefined;
      if (kind === 'person') {
        [unit] = await q<{ id: number; path: string; parent_id: number }>(
          "SELECT id, path, parent_id FROM organisations WHERE id = :id AND kind IN ('unit','ce_base') AND status = 'active'", { id: Number(f.unitId) || 0 });
        if (!unit) errors.unitId = '请选择所在单位';
      } else {
        [superior] = await q<{ id: number; path: string; kind: string }>(
          'SELECT id, path, kind FROM organisations WHERE id = :id AND kind IN (:kinds) AND status = \'active\'', { id: Number(f.superiorId) || 0, kinds: HR_KINDS });
        if (!superior) errors.superiorId = '请选择上级人社部门';
      }
      const [owner] = id.ok ? await q<{ name: string; email: string | null; mobile: string | null }>(
        `SELECT name, email, mobile FROM accounts WHERE id_number = :idNumber
         UNION ALL SELECT name, email, mobile FROM persons WHERE id_number = :idNumber LIMIT 1`, { idNumber }) : [];
      if (kind !== 'person' && !errors.creditCode && (await q('SELECT 1 FROM organisations WHERE credit_code = :creditCode', { creditCode })).length) {
        errors.creditCode = '该统一社会信用代码已注册';
      }
      if (Object.keys(errors).length) return { ok: false as const, errors };
      const hash = await hashPassword(f.password);
      if (owner) {
        const recipient = owner.email ? { channel: 'email' as const, recipient: owner.email } : owner.mobile ? { channel: 'mobile' as const, recipient: owner.mobile } : null;
        if (recipient && notifier) {
          await notifier.send({ ...recipient, subject: '注册提醒', body: `${owner.name}，有人使用您的身份证号在本平台提交了注册申请，未予受理。您已有账号，可直接登录；如忘记密码，请使用“忘记密码”找回。如非本人操作，请忽略。` }, transaction);
        }
        await audit({ action: 'register', resource: 'registrations', outcome: 'refused', reason: '身份证号已注册（页面答复与新注册相同）', after: { kind, idNumber }, ip }, transaction);
        return { ok: true as const, registrationId: null };
      }

      const [[account]] = await sequelize.query(
        "INSERT INTO accounts (id_number, name, password_hash, mobile, email, status) VALUES (:idNumber, :name, :hash, :mobile, :email, 'pending') RETURNING id",
        { replacements: { idNumber, name, hash, mobile: f.mobile.trim(), email: f.email.trim() }, transaction },
      ) as unknown as [[{ id: number }]];
      let registration: { id: number };
      if (kind === 'person') {
        const birth = id.ok ? id : undefined;
        const [[person]] = await sequelize.query(
          `INSERT INTO persons (account_id, id_number, name, gender, birth_date, unit_id, org_path, title_series, title_level, title, mobile, email, status)
           VALUES (:account, :idNumber, :name, :gender, :birth, :unit, :path, :series, :level, :title, :mobile, :email, 'pending') RETURNING id`,
          { replacements: { account: account.id, idNumber, name, gender: birth!.gender, birth: birth!.birthDate, unit: unit!.id, path: unit!.path,
            ...(title.ok ? { series: title.series, level: title.level, title: title.title } : { series: null, level: null, title: null }), mobile: f.mobile.trim(), email: f.email.trim() }, transaction },
        ) as unknown as [[{ id: number }]];
        [[registration]] = await sequelize.query(
          "INSERT INTO registrations (kind, person_id, superior_id, org_path, applicant_name) VALUES ('person', :person, :superior, :path, :name) RETURNING id",
          { replacements: { person: person.id, superior: unit!.parent_id, path: unit!.path, name }, transaction },
        ) as unknown as [[{ id: number }]];
      } else {
        const [{ nid }] = await q<{ nid: number }>("SELECT nextval(pg_get_serial_sequence('organisations','id'))::int nid", {});
        const path = `${superior!.path}${nid}/`;
        await sequelize.query(
          `INSERT INTO organisations (id, parent_id, kind, name, credit_code, path, depth, contact_name, mobile, email, status)
           VALUES (:nid, :parent, :kind, :orgName, :creditCode, :path, (SELECT depth + 1 FROM organisations WHERE id = :parent), :name, :mobile, :email, 'pending')`,
          { replacements: { nid, parent: superior!.id, kind, orgName, creditCode, path, name, mobile: f.mobile.trim(), email: f.email.trim() }, transaction },
        );
        await sequelize.query('INSERT INTO admins (account_id, organisation_id, org_path, is_super) VALUES (:account, :nid, :path, true)',
          { replacements: { account: account.id, nid, path }, transaction });
        [[registration]] = await sequelize.query(
          `INSERT INTO registrations (kind, organisation_id, superior_id, org_path, applicant_name, licence_name, licence_kind, licence_file)
           VALUES (:kind, :nid, :superior, :path, :orgName, :licenceName, :licenceKind, :licenceFile) RETURNING id`,
          { replacements: { kind, nid, superior: superior!.id, path, orgName,
            licenceName: licence.file!.name, licenceKind: licence.file!.kind, licenceFile: licence.file!.bytes }, transaction },
        ) as unknown as [[{ id: number }]];
      }
      await audit({ actor: { accountId: account.id, name, orgPath: '' }, action: 'register', resource: 'registrations', recordId: registration.id, after: { kind }, ip }, transaction);
      return { ok: true as const, registrationId: registration.id };
    });
  } catch (e) {
    // Two registrations racing for the same ID number or credit code: the database decides (and
    // the ID number's answer stays the neutral one).
    if (e instanceof UniqueConstraintError) {
      return /credit_code/.test(JSON.stringify((e as UniqueConstraintError).fields ?? {})) ? { ok: false, errors: { creditCode: '该统一社会信用代码已注册' } } : { ok: true, registrationId: null };
    }
    throw e;
  }
}
