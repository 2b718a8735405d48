/**
 * What a reviewer of 注册审核 must check before approving (issue 17, item 4): the detail and the
 * confirmation used to show the applicant's name only ("记录：15"). For an organisation: its
 * name, credit code, superior, contact (person, mobile, phone, e-mail, address) and the admin
 * who registered it (name, ID number); for a person: ID number, unit (and its credit code),
 * title, mobile, e-mail.
 *
 * One query anchored on the registration inside the principal's scope of the review list
 * (scopeOf … .sql): outside it, nothing. ID numbers and mobiles are personal data, whole only to
 * those who may see them whole (the persons' rule, as on every detail).
 */
import { QueryTypes, type Sequelize } from 'sequelize';
import type { Principal } from '../../src/access/principal.js';
import { scopeOf } from '../../src/access/scope.js';
import { maskPersonalData, personPersonalData } from '../../src/access/personal-data.js';
import { registrationKind } from '../../src/domain/labels.js';

export interface Fact { label: string; value: string }

export async function registrationFacts(sequelize: Sequelize, p: Principal, id: number, action = 'show'): Promise<Fact[]> {
  const scope = scopeOf(p, 'registrations', action).sql('r');
  const [row] = await sequelize.query<Record<string, string | null>>(`
    SELECT r.kind, r.applicant_name, s.name superior,
           o.name org_name, o.credit_code, o.contact_name, o.mobile org_mobile, o.phone, o.email org_email, o.address,
           ad.name admin_name, ad.id_number admin_id_number,
           pe.id_number, pe.mobile, pe.email, pe.title_series, pe.title, u.name unit_name, u.credit_code unit_credit_code
      FROM registrations r
      JOIN organisations s ON s.id = r.superior_id
      LEFT JOIN organisations o ON o.id = r.organisation_id
      LEFT JOIN LATERAL (SELECT a.name, a.id_number FROM admins x JOIN accounts a ON a.id = x.account_id
                          WHERE x.organisation_id = o.id ORDER BY x.is_super DESC, x.id LIMIT 1) ad ON true
      LEFT JOIN persons pe ON pe.id = r.person_id
      LEFT JOIN organisations u ON u.id = pe.unit_id
     WHERE r.id = :id AND (${scope})`, { replacements: { id }, type: QueryTypes.SELECT });
  if (!row) return [];
  const whole = (idNumber: string | null, mobile: string | null) => {
    const masked = maskPersonalData({ id_number: idNumber?.trim() ?? null, mobile }, personPersonalData, p, true);
    return { idNumber: masked.id_number ?? '', mobile: masked.mobile ?? '' };
  };
  const facts: Array<[string, string | null | undefined]> = [['注册类型', registrationKind[row.kind ?? ''] ?? row.kind]];
  if (row.kind === 'person') {
    const pd = whole(row.id_number, row.mobile);
    facts.push(['姓名', row.applicant_name], ['身份证号', pd.idNumber], ['所在单位', row.unit_name], ['单位统一社会信用代码', row.unit_credit_code],
      ['专业技术职务', [row.title_series, row.title].filter(Boolean).join(' · ')], ['手机号码', pd.mobile], ['电子邮箱', row.email]);
  } else {
    const admin = whole(row.admin_id_number, null);
    facts.push(['机构名称', row.org_name ?? row.applicant_name], ['统一社会信用代码', row.credit_code], ['上级主管部门', row.superior],
      ['联系人', row.contact_name], ['联系电话', [row.org_mobile, row.phone].filter(Boolean).join(' / ')], ['电子邮箱', row.org_email], ['地址', row.address],
      ['管理员', row.admin_name], ['管理员身份证号', admin.idNumber]);
  }
  return facts.map(([label, value]) => ({ label, value: value ? String(value) : '—' }));
}
