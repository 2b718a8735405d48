/**
 * 打印证书: issue (POST) and hand back where to download the PDF. Issuing changes state, so it
 * is a POST with the CSRF token; the download itself (src/admin/certificate-routes.ts) is a
 * GET that only reads. Three ways in: a row of the list, a person's ID number and a year, a
 * unit and a year (批量打印). All go through the `certificate_years` scope.
 *
 * 打印学时证明 (a person's record, from and to year) issues a proof of hours the same way,
 * through the persons' scope (src/services/certificates/proof.ts).
 */
import type { ActionContext, ActionRequest } from 'adminjs';
import { fn, col, Op, literal } from 'sequelize';
import { principalOf } from '../src/admin/scoped-resource.js';
import { scopeOf } from '../src/access/scope.js';
import { Components } from '../src/admin/components/index.js';
import { batchPdfPaths, certificatePdfPath, hourProofPdfPath } from '../src/admin/certificate-routes.js';
import { incompleteReason, issueCertificates, unitInScope } from '../src/services/certificates/issue.js';
import { issueHourProof, proofSpanError } from '../src/services/certificates/proof.js';
import { requirementOf } from '../src/services/requirements.js';
import { normaliseIdNumber } from '../src/domain/identifiers.js';
import { escapeLike } from '../src/db/sql.js';
import { bodyOf, isPost, sequelizeOf, stringField } from './request-data.js';

/** A refusal the admin can act on: HTTP 200 with an error notice, as AdminJS shows it. */
const refused = (message: string, rest: Record<string, unknown> = {}) => ({ ...rest, notice: { message, type: 'error' as const } });
const BAD_YEAR = '请输入正确的年度';

function yearOf(value: string): number | null {
  const year = Number(value);
  return Number.isInteger(year) && year >= 2000 && year <= new Date().getFullYear() + 1 ? year : null;
}

export const printCertificateAction = {
  actionType: 'record' as const,
  icon: 'Printer',
  component: Components.CertificatePrint,
  async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
    const record = context.record!;
    if (!isPost(request)) return { record: record.toJSON(context.currentAdmin) };
    const p = principalOf(context);
    const json = record.toJSON(context.currentAdmin);
    const { issued, incomplete } = await issueCertificates(sequelizeOf(context), p, context.action.name, { id: record.id() });
    if (incomplete[0]) return refused(incomplete[0].reason, { record: json });
    if (!issued[0]) return refused('该年度学时记录已变更，请刷新后重试', { record: json });
    return {
      record: json,
      number: issued[0].number,
      downloadUrl: certificatePdfPath(issued[0].number),
      notice: { message: `${issued[0].created ? '证书已生成' : '证书已存在'}，编号 ${issued[0].number}`, type: 'success' },
    };
  },
};

export const printByIdNumberAction = {
  actionType: 'resource' as const,
  icon: 'Search',
  component: Components.CertificatePrint,
  async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
    if (!isPost(request)) return {};
    const p = principalOf(context);
    const sequelize = sequelizeOf(context);
    const body = bodyOf(request);
    const idNumber = normaliseIdNumber(stringField(body, 'idNumber', 18));
    const year = yearOf(stringField(body, 'year', 4));
    if (year === null) return refused(BAD_YEAR);
    // The person's yearly rows, by this list's own rules without its completed-only view: a person
    // with no completed year is still found, and told why.
    const scope = scopeOf(p, 'certificate_years', context.action.name, { view: false }).where;
    const [person] = /^\d{17}[\dX]$/.test(idNumber) ? await sequelize.model('CertificateYear').findAll({
      where: { [Op.and]: [{ id_number: idNumber }, scope] }, attributes: [['person_id', 'id'], 'name', 'unit_id'], limit: 1, raw: true,
    }) as unknown as Array<{ id: number; name: string; unit_id: number }> : [];
    if (!person) return refused('未找到该身份证号的专业技术人员，或该人员不在您的管辖范围内');
    const { issued, incomplete } = await issueCertificates(sequelize, p, context.action.name, { person_id: person.id, year });
    if (incomplete[0]) return refused(incomplete[0].reason);
    if (!issued[0]) {
      // No approved hours that year at all: the same refusal, with nothing completed.
      const unit = await sequelize.models.Organisation.findByPk(person.unit_id, { attributes: ['region_code'], raw: true }) as unknown as { region_code: string | null } | null;
      return refused(incompleteReason(year, await requirementOf(sequelize, year, unit?.region_code ?? null), 0, 0));
    }
    return {
      number: issued[0].number,
      downloadUrl: certificatePdfPath(issued[0].number),
      notice: { message: `${person.name} ${year}年度证书${issued[0].created ? '已生成' : '已存在'}，编号 ${issued[0].number}`, type: 'success' },
    };
  },
};

export const printBatchAction = {
  actionType: 'resource' as const,
  icon: 'Printer',
  component: Components.CertificatePrint,
  /**
   * GET (?year=&q=): the units of the jurisdiction with completed persons that year, and how
   * many each has (a picker). POST { unitId, year }: issues what is missing and returns the
   * PDF's parts (500 certificates each).
   */
  async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
    const p = principalOf(context);
    const sequelize = sequelizeOf(context);
    const years = sequelize.model('CertificateYear');
    const action = context.action.name;
    if (!isPost(request)) {
      const query = (request.query ?? {}) as Record<string, unknown>;
      const year = yearOf(stringField(query, 'year', 4) || String(new Date().getFullYear() - 1));
      if (year === null) return refused(BAD_YEAR, { units: [] });
      const q = stringField(query, 'q', 50);
      const named = q ? { unit_id: { [Op.in]: literal(`(SELECT id FROM organisations WHERE kind = 'unit' AND name ILIKE ${sequelize.escape(`%${escapeLike(q)}%`)})`) } } : {};
      const rows = await years.findAll({
        attributes: ['unit_id', [fn('count', col('id')), 'persons'], [fn('count', col('certificate_number')), 'issued']],
        where: { [Op.and]: [{ year, completed: true }, named, scopeOf(p, 'certificate_years', action).where] },
        group: ['unit_id'], order: [[fn('count', col('id')), 'DESC']], limit: 50, raw: true,
      }) as unknown as Array<{ unit_id: number; persons: string; issued: string }>;
      const names = rows.length ? await sequelize.models.Organisation.findAll({
        where: { id: { [Op.in]: rows.map((r) => r.unit_id) } }, attributes: ['id', 'name'], raw: true,
      }) as unknown as Array<{ id: number; name: string }> : [];
      const nameOf = new Map(names.map((n) => [n.id, n.name]));
      return { year, units: rows.map((r) => ({ id: r.unit_id, name: nameOf.get(r.unit_id) ?? '', persons: Number(r.persons), issued: Number(r.issued) })) };
    }
    const body = bodyOf(request);
    const year = yearOf(stringField(body, 'year', 4));
    if (year === null) return refused(BAD_YEAR);
    const unit = await unitInScope(sequelize, p, action, Number(stringField(body, 'unitId', 12)));
    const { issued } = await issueCertificates(sequelize, p, action, { unit_id: unit.id, year, completed: true });
    if (!issued.length) return refused(`${unit.name}${year}年度没有学时达标的人员`);
    const created = issued.filter((i) => i.created).length;
    return {
      count: issued.length,
      downloadUrls: batchPdfPaths(unit.id, year, issued.length),
      notice: { message: `${unit.name}${year}年度共 ${issued.length} 份证书（本次新发 ${created} 份）`, type: 'success' },
    };
  },
};

/** 打印学时证明 on a person's record: POST { from, to } issues a proof and hands back its PDF's address. */
export const printHourProofAction = {
  actionType: 'record' as const,
  icon: 'FileText',
  component: Components.CertificatePrint,
  async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
    const json = context.record!.toJSON(context.currentAdmin);
    if (!isPost(request)) return { record: json };
    const body = bodyOf(request);
    const year = (key: string) => {
      const v = stringField(body, key, 6);
      return /^\d{4}$/.test(v) ? Number(v) : NaN;
    };
    const from = year('from');
    const to = year('to');
    const spanError = proofSpanError(from, to);
    if (spanError) return refused(spanError, { record: json });
    const { number } = await issueHourProof(sequelizeOf(context), principalOf(context), { personId: Number(context.record!.id()), from, to });
    return {
      record: json, number, downloadUrl: hourProofPdfPath(number),
      notice: { message: `学时证明已出具（${from}—${to}年度），编号 ${number}`, type: 'success' },
    };
  },
};
