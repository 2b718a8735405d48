/**
 * Issuing certificates (发证): once per person and year, only for a completed year, inside the
 * caller's scope. Every call runs in one transaction that first locks the person-years it
 * covers (in id order), so two admins issuing the same certificate at once get one number:
 * the second waits for the first and then finds its certificate. The UNIQUE (person_id, year)
 * of the table backs this up.
 *
 * Who may reach which person-year is the access layer's answer for the `certificate_years`
 * entity (scopeOf): its row rules alone when issuing — so an incomplete year in scope is found
 * and told why — and with its completed-only view when printing. Nothing here widens either.
 */
import { Op, QueryTypes, type Sequelize, type Transaction, type WhereOptions } from 'sequelize';
import type { Principal } from '../../access/principal.js';
import { allows, scopeOf } from '../../access/scope.js';
import { isPerson } from '../../access/scopes.js';
import { FULL_ID_PERMISSION } from '../../access/personal-data.js';
import { AccessDenied } from '../../domain/errors.js';
import { maskIdNumber } from '../../domain/identifiers.js';
import type { YearlyRequirement } from '../../../config/yearly-requirements.js';
import { REQUIREMENT_COLUMNS, requirementFromRow } from '../requirements.js';
import { config } from '../../../config/index.js';
import { audit, auditMany } from '../audit.js';
import { certificateNumber } from './number.js';
import type { CertificateFacts } from './render.js';

export const PROVINCE_BUREAU = '山东省人力资源和社会保障厅';
const ENTITY = 'certificate_years';
const yearsOf = (sequelize: Sequelize) => sequelize.model('CertificateYear');
const HR_KINDS = ['province_hr', 'city_hr', 'county_hr'];

interface LockedYear {
  id: string; person_id: number; year: number; org_path: string; region_code: string | null;
  public_hours: string; professional_hours: string; total_hours: string; completed: boolean;
  required_total: string | null; required_public: string | null; required_professional: string | null;
}

export interface Issued { personYearId: string; number: string; created: boolean }

const fmt = (n: number | string) => String(Number(n));

/** Why a year cannot be certified: 2025年度学时未达标：已完成 50 学时，要求 90 学时（…）. */
export function incompleteReason(year: number, req: YearlyRequirement, publicHours: number, professionalHours: number): string {
  const total = publicHours + professionalHours;
  return `${year}年度学时未达标：已完成 ${fmt(total)} 学时，要求 ${req.total} 学时`
    + `（公需科目 ${fmt(publicHours)}/${req.public}，专业科目 ${fmt(professionalHours)}/${req.professional}）`;
}

export const UNIT_OUTSIDE = '该单位不存在或不在您的管辖范围内';

/**
 * The unit of a batch, if the principal may print certificates of its persons: the unit's
 * path must satisfy the principal's rules for `action` on `certificate_years` (the same
 * rules that become the SQL scope). Refused — and recorded — otherwise, whether it exists or not.
 */
export async function unitInScope(sequelize: Sequelize, p: Principal, action: string, unitId: number) {
  const unit = Number.isInteger(unitId) && unitId > 0 ? await sequelize.model('Organisation').findOne({
    where: { id: unitId, kind: 'unit' }, attributes: ['id', 'name', 'path'], raw: true,
  }) as unknown as { id: number; name: string; path: string } | null : null;
  // A completed year of a person of that unit: would the rules let `action` reach it?
  if (!unit || !allows(p, ENTITY, action, { org_path: unit.path, completed: true })) {
    await audit({ actor: p, action, resource: ENTITY, recordId: `unit:${unitId}`, outcome: 'refused', reason: UNIT_OUTSIDE });
    throw new AccessDenied(UNIT_OUTSIDE);
  }
  return unit;
}

/** The HR bureau in charge of each organisation path: its nearest HR ancestor. */
export async function issuersOf(sequelize: Sequelize, paths: string[], transaction: Transaction) {
  const rows = await sequelize.query<{ path: string; id: number; name: string; region_code: string | null }>(
    `SELECT DISTINCT ON (k.path) k.path, o.id, o.name, o.region_code
       FROM unnest($1::text[]) AS k(path)
       JOIN organisations o ON o.kind = ANY($2::text[]) AND starts_with(k.path, o.path)
      ORDER BY k.path, o.depth DESC`,
    { bind: [paths, HR_KINDS], type: QueryTypes.SELECT, transaction });
  return new Map(rows.map((r) => [r.path, r]));
}

/**
 * Issues the certificates of the completed person-years that `where` selects inside the
 * principal's scope for `action`, and returns every one (new or already issued). Incomplete
 * years are returned apart, each with its reason.
 */
export async function issueCertificates(sequelize: Sequelize, p: Principal, action: string, where: WhereOptions, ip?: string | null): Promise<{
  issued: Issued[]; incomplete: Array<{ personYearId: string; reason: string }>;
}> {
  // The rules alone, not the list's completed-only view: an incomplete year is found, and told why.
  const scope = scopeOf(p, ENTITY, action, { view: false }).where;
  return sequelize.transaction(async (transaction) => {
    const reachable = await yearsOf(sequelize).findAll({
      where: { [Op.and]: [where, scope] }, attributes: ['id'], raw: true, transaction,
    }) as unknown as Array<{ id: string }>;
    if (!reachable.length) return { issued: [], incomplete: [] };

    // Lock the years in a fixed order: concurrent issuers queue here instead of racing.
    const years = await sequelize.query<LockedYear>(
      `SELECT y.id::text, y.person_id, y.year, y.org_path, y.public_hours, y.professional_hours, y.total_hours, y.completed, o.region_code, ${REQUIREMENT_COLUMNS}
         FROM person_year_hours y JOIN persons p ON p.id = y.person_id JOIN organisations o ON o.id = p.unit_id
         LEFT JOIN LATERAL ce_requirement(y.year, o.region_code) r ON true
        WHERE y.id = ANY($1::bigint[]) ORDER BY y.id FOR UPDATE OF y`,
      { bind: [reachable.map((r) => r.id)], type: QueryTypes.SELECT, transaction });
    const incomplete = years.filter((y) => !y.completed).map((y) => ({
      personYearId: y.id, reason: incompleteReason(y.year, requirementFromRow(y), Number(y.public_hours), Number(y.professional_hours)),
    }));
    const complete = years.filter((y) => y.completed);
    if (!complete.length) return { issued: [], incomplete };

    const existing = await sequelize.query<{ person_id: number; year: number; number: string }>(
      `SELECT c.person_id, c.year, c.number FROM certificates c
         JOIN unnest($1::int[], $2::smallint[]) AS k(person_id, year) ON k.person_id = c.person_id AND k.year = c.year`,
      { bind: [complete.map((y) => y.person_id), complete.map((y) => y.year)], type: QueryTypes.SELECT, transaction });
    const numberOf = new Map(existing.map((c) => [`${c.person_id}:${c.year}`, c.number]));
    const missing = complete.filter((y) => !numberOf.has(`${y.person_id}:${y.year}`));
    const created = new Set<string>();

    if (missing.length) {
      const issuers = await issuersOf(sequelize, [...new Set(missing.map((y) => y.org_path))], transaction);
      const serials = await sequelize.query<{ n: string }>('SELECT nextval(\'certificate_serial\')::text AS n FROM generate_series(1, $1::int)',
        { bind: [missing.length], type: QueryTypes.SELECT, transaction });
      const rows = missing.map((y, i) => {
        const issuer = issuers.get(y.org_path);
        return {
          number: certificateNumber(y.year, issuer?.region_code ?? y.region_code, Number(serials[i].n)),
          person_id: y.person_id, org_path: y.org_path, year: y.year, total_hours: y.total_hours,
          public_hours: y.public_hours, professional_hours: y.professional_hours,
          issuer_org_id: issuer?.id ?? null, issuer_name: issuer?.name ?? PROVINCE_BUREAU,
        };
      });
      const col = <K extends keyof typeof rows[number]>(k: K) => rows.map((r) => r[k]);
      const inserted = await sequelize.query<{ person_id: number; year: number; number: string; org_path: string; total_hours: string }>(
        `INSERT INTO certificates (number, person_id, org_path, year, total_hours, public_hours, professional_hours, issuer_org_id, issuer_name, issued_by)
         SELECT * , $10::int FROM unnest($1::text[], $2::int[], $3::text[], $4::smallint[], $5::numeric[], $6::numeric[], $7::numeric[], $8::int[], $9::text[])
         ON CONFLICT (person_id, year) DO NOTHING
         RETURNING person_id, year, number, org_path, total_hours`,
        {
          bind: [col('number'), col('person_id'), col('org_path'), col('year'), col('total_hours'), col('public_hours'),
            col('professional_hours'), col('issuer_org_id'), col('issuer_name'), p.accountId],
          type: QueryTypes.SELECT, transaction,
        });
      for (const c of inserted) {
        numberOf.set(`${c.person_id}:${c.year}`, c.number);
        created.add(c.number);
      }
      await auditMany(inserted.map((c) => ({
        actor: p, action: 'issue', resource: 'certificates', recordId: c.number, orgPath: c.org_path, ip,
        after: { number: c.number, person_id: c.person_id, year: c.year, total_hours: c.total_hours },
      })), transaction);
    }

    const issued = complete.flatMap((y) => {
      const number = numberOf.get(`${y.person_id}:${y.year}`);
      return number ? [{ personYearId: y.id, number, created: created.has(number) }] : [];
    });
    return { issued, incomplete };
  });
}

interface FactsRow {
  number: string; year: number; public_hours: string; professional_hours: string; total_hours: string;
  issuer_name: string | null; issued_at: Date; name: string; id_number: string; unit_name: string; org_path: string;
}

/** Verification page address of a certificate (what its QR code opens). */
export function verifyUrlOf(number: string): string {
  return `${config.publicBaseUrl}/verify/${encodeURIComponent(number)}`;
}

/**
 * The printable facts of the issued certificates of completed years that `where` selects
 * inside the principal's scope for `action`, in the order of issue. ID numbers are whole only
 * for those allowed to see them whole (and for the person itself).
 */
export async function printableCertificates(sequelize: Sequelize, p: Principal, action: string, where: WhereOptions, limit = 500, offset = 0): Promise<{
  facts: CertificateFacts[]; orgPaths: string[];
}> {
  const reachable = await yearsOf(sequelize).findAll({
    where: { [Op.and]: [where, { completed: true }, { certificate_number: { [Op.ne]: null } }, scopeOf(p, ENTITY, action).where] },
    attributes: ['id'], order: [['certificate_number', 'ASC']], limit, offset, raw: true,
  }) as unknown as Array<{ id: string }>;
  if (!reachable.length) return { facts: [], orgPaths: [] };
  const rows = await sequelize.query<FactsRow>(
    `SELECT c.number, c.year, coalesce(c.public_hours, y.public_hours) public_hours,
            coalesce(c.professional_hours, y.professional_hours) professional_hours, c.total_hours,
            c.issuer_name, c.issued_at, p.name, p.id_number, u.name unit_name, c.org_path
       FROM person_year_hours y
       JOIN certificates c ON c.person_id = y.person_id AND c.year = y.year
       JOIN persons p ON p.id = y.person_id JOIN organisations u ON u.id = p.unit_id
      WHERE y.id = ANY($1::bigint[]) ORDER BY c.number`,
    { bind: [reachable.map((r) => r.id)], type: QueryTypes.SELECT });
  const whole = seesWholeId(p);
  return {
    facts: rows.map((r) => factsOf(r, whole)),
    orgPaths: rows.map((r) => r.org_path),
  };
}

/** Whether the principal reads ID numbers whole (the person itself, or 查看完整证件号). */
export const seesWholeId = (p: Principal) => isPerson(p) || p.permissions.includes(FULL_ID_PERMISSION);

function factsOf(r: FactsRow, wholeId: boolean): CertificateFacts {
  return {
    number: r.number, name: r.name, idNumber: wholeId ? r.id_number : maskIdNumber(r.id_number), unitName: r.unit_name, year: r.year,
    publicHours: Number(r.public_hours), professionalHours: Number(r.professional_hours), totalHours: Number(r.total_hours),
    issuerName: r.issuer_name ?? PROVINCE_BUREAU, issuedAt: new Date(r.issued_at), verifyUrl: verifyUrlOf(r.number),
  };
}

export interface PublicFacts { facts: CertificateFacts; valid: boolean }

/** What the public verification page shows of a number: no scope, the ID number masked. */
export async function publicFacts(sequelize: Sequelize, number: string): Promise<PublicFacts | null> {
  const [r] = await sequelize.query<FactsRow & { completed: boolean | null }>(
    `SELECT c.number, c.year, coalesce(c.public_hours, y.public_hours, 0) public_hours,
            coalesce(c.professional_hours, y.professional_hours, 0) professional_hours, c.total_hours,
            c.issuer_name, c.issued_at, p.name, p.id_number, u.name unit_name, c.org_path, y.completed
       FROM certificates c
       JOIN persons p ON p.id = c.person_id JOIN organisations u ON u.id = p.unit_id
       LEFT JOIN person_year_hours y ON y.person_id = c.person_id AND y.year = c.year
      WHERE c.number = $1`,
    { bind: [number], type: QueryTypes.SELECT });
  return r ? { facts: factsOf(r, false), valid: r.completed === true } : null;
}
