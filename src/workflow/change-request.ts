/**
 * 变更申请: a professional person asks to change its title (专业技术职务), a unit or CE base
 * asks to change its information. Only the fields that differ are recorded, as old vs. new;
 * the change is applied when approved (flows.ts: changeRequestFlow). A title change carries its
 * proof as a file (stored in the request's row, migration 017; an organisation's change may).
 */
import { QueryTypes, type Sequelize } from 'sequelize';
import type { Principal } from '../access/principal.js';
import { Conflict, PlatformError, ValidationFailed } from '../domain/errors.js';
import { checkTitle, titleLevels, titleSeries } from '../../config/title-series.js';
import { validateFields } from '../../hooks/validate-fields.js';
import { audit } from '../services/audit.js';
import { MAX_EVIDENCE_BYTES, type Evidence } from '../services/evidence.js';
import { CHANGEABLE } from './flows.js';

export type ChangeKind = 'person_title' | 'organisation_info';

/**
 * The request's values, checked: an organisation's fields; a person's title against the catalog,
 * with the person's current values for any title field the request leaves out.
 */
function validate(kind: ChangeKind, values: Record<string, unknown>, current: Record<string, unknown>): Record<string, unknown> {
  if (kind === 'organisation_info') return validateFields(values, 'name' in values ? ['name'] : []);
  const merged = { ...current, ...values };
  const errors: Record<string, { message: string }> = {};
  if (!titleSeries.some((s) => s.name === merged.title_series)) errors.title_series = { message: '请选择专业技术职务系列' };
  if (!titleLevels.some((l) => l.value === merged.title_level)) errors.title_level = { message: '请选择职称级别' };
  if (!String(merged.title ?? '').trim() || String(merged.title).length > 50) errors.title = { message: '请填写专业技术职务任职资格' };
  if (!Object.keys(errors).length) {
    const t = checkTitle({ series: String(merged.title_series), level: String(merged.title_level), title: String(merged.title) });
    if (!t.ok) errors[t.field] = { message: t.message };
    else return { ...values, ...('title' in values ? { title: t.title } : {}) };
  }
  throw new ValidationFailed(errors, '信息有误，请检查后重新提交');
}

/** A title change needs its proof as a file (issue 17): the certificate or the appointment document. */
export const TITLE_PROOF_LABEL = '职称证书或聘任文件';
const proofRequired = `请上传${TITLE_PROOF_LABEL}（PDF 或 JPG/PNG 图片，不超过 ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB）`;

export async function fileChangeRequest(
  sequelize: Sequelize, p: Principal, kind: ChangeKind, input: Record<string, unknown>, evidence: string,
  proof: { file?: Evidence; refused?: string } = {},
): Promise<number> {
  // The proof's problem joins the fields' (one answer names every field to fix).
  const proofProblem = proof.refused ?? (kind === 'person_title' && !proof.file ? proofRequired : undefined);
  const withProof = (errors: Record<string, { message: string }>) => (proofProblem ? { ...errors, evidence_file: { message: proofProblem } } : errors);
  const fields = CHANGEABLE[kind];
  const picked = Object.fromEntries(fields.filter((f) => f in input).map((f) => [f, typeof input[f] === 'string' ? (input[f] as string).trim() || null : input[f]]));
  return sequelize.transaction(async (transaction) => {
    const [table, id] = kind === 'person_title' ? ['persons', p.personId] : ['organisations', p.organisationId];
    if (!id) throw new PlatformError('当前账号不能提交该变更');
    const [current] = await sequelize.query<Record<string, unknown>>(`SELECT ${fields.join(', ')}, ${kind === 'person_title' ? 'org_path' : 'path AS org_path'} FROM ${table} WHERE id = :id FOR UPDATE`,
      { replacements: { id }, type: QueryTypes.SELECT, transaction });
    let values: Record<string, unknown>;
    try { values = validate(kind, picked, Object.fromEntries(fields.map((f) => [f, current[f]]))); } catch (e) {
      if (e instanceof ValidationFailed) throw new ValidationFailed(withProof(e.fieldErrors), e.message);
      throw e;
    }
    if (proofProblem) throw new ValidationFailed(withProof({}), '信息有误，请检查后重新提交');
    const changed = fields.filter((f) => f in values && (values[f] ?? null) !== (current[f] ?? null));
    if (!changed.length) throw new PlatformError('未修改任何信息');
    const [open] = await sequelize.query(`SELECT 1 FROM change_requests WHERE kind = :kind AND ${kind === 'person_title' ? 'person_id' : 'organisation_id'} = :id AND status = 'pending'`,
      { replacements: { kind, id }, type: QueryTypes.SELECT, transaction });
    if (open) throw new Conflict('已有待审核的变更申请，请等待审核结果');
    const oldValues = Object.fromEntries(changed.map((f) => [f, current[f] ?? null]));
    const newValues = Object.fromEntries(changed.map((f) => [f, values[f] ?? null]));
    const [[row]] = await sequelize.query(
      `INSERT INTO change_requests (kind, person_id, organisation_id, org_path, old_values, new_values, evidence, evidence_name, evidence_kind, evidence_file)
       VALUES (:kind, :personId, :orgId, :path, :old, :new, :evidence, :proofName, :proofKind, :proofFile) RETURNING id`,
      { replacements: { kind, personId: kind === 'person_title' ? id : null, orgId: kind === 'organisation_info' ? id : null, path: current.org_path,
        old: JSON.stringify(oldValues), new: JSON.stringify(newValues), evidence: evidence.trim().slice(0, 1000) || null,
        proofName: proof.file?.name ?? null, proofKind: proof.file?.kind ?? null, proofFile: proof.file?.bytes ?? null }, transaction },
    ) as unknown as [[{ id: number }]];
    await audit({ actor: p, action: 'request_change', resource: 'change_requests', recordId: row.id, before: oldValues, after: newValues }, transaction);
    return row.id;
  });
}
