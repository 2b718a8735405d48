/**
 * 保存的报表 (issue 20, item 2): a list's query (filters, tab, sort; its columns are the list's
 * visible ones) or a built-in report with its area and year, saved under a name as a row of
 * saved_reports, shared with the admins of the organisation. Run now reads through the runner's
 * own scope (a list: the list as the runner would see it; a report: the runner's jurisdiction).
 */
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Principal } from '../../access/principal.js';
import { holds } from '../../access/policy.js';
import { ValidationFailed, AccessDenied } from '../../domain/errors.js';
import { audit } from '../audit.js';
import { reportByKey } from '../reports/index.js';
import { mayExportList } from './list-access.js';

export interface SavedReportRow {
  id: number; organisation_id: number; org_path: string; owner_id: number | null; name: string;
  kind: 'list' | 'report'; resource: string | null; report: string | null; params: Record<string, unknown>;
}

const refuse = (field: string, message: string): never => { throw new ValidationFailed({ [field]: { message } }, message); };

export function checkName(name: unknown): string {
  const n = typeof name === 'string' ? name.trim() : '';
  if (!n) refuse('name', '请填写报表名称');
  if ([...n].length > 60) refuse('name', '报表名称不能超过 60 个字');
  return n;
}

/** The query of a list, kept as the panel's URL carries it (filters.*, sortBy, direction). */
export function checkListQuery(query: unknown): Record<string, string> {
  const q = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) {
    if (!(k.startsWith('filters.') || k === 'sortBy' || k === 'direction') || typeof v !== 'string' || v.length > 500 || k.length > 120) refuse('params', '筛选条件格式不正确');
    out[k] = v as string;
  }
  if (Object.keys(out).length > 40) refuse('params', '筛选条件过多');
  return out;
}

/** A built-in report that can be saved and scheduled (not the list export, which is a list's). */
export function schedulableReport(p: Principal, key: unknown) {
  const def = typeof key === 'string' ? reportByKey(key) : undefined;
  if (!def || def.allowed) refuse('report', '报表不存在');
  if (!holds(p, def!.permission)) refuse('report', '无权使用该报表');
  return def!;
}

async function insert(sequelize: Sequelize, p: Principal, row: { name: string; kind: 'list' | 'report'; resource?: string; report?: string; params: Record<string, unknown> }, transaction?: Transaction): Promise<number> {
  const [dup] = await sequelize.query('SELECT 1 FROM saved_reports WHERE organisation_id = :org AND name = :name',
    { replacements: { org: p.organisationId, name: row.name }, type: QueryTypes.SELECT, transaction });
  if (dup) refuse('name', '本机构已有同名报表，请换一个名称');
  const [[saved]] = await sequelize.query(
    `INSERT INTO saved_reports (organisation_id, org_path, owner_id, name, kind, resource, report, params)
     VALUES (:org, :path, :owner, :name, :kind, :resource, :report, :params) RETURNING id`,
    { replacements: { org: p.organisationId, path: p.orgPath, owner: p.accountId, name: row.name, kind: row.kind, resource: row.resource ?? null, report: row.report ?? null, params: JSON.stringify(row.params) }, transaction },
  ) as unknown as [[{ id: number }]];
  await audit({ actor: p, action: 'create', resource: 'saved_reports', recordId: saved.id, after: row }, transaction);
  return saved.id;
}

/** 保存为报表 from a list's 导出: the list's query under a name. */
export async function saveListReport(sequelize: Sequelize, p: Principal, r: { name: string; resource: string; query: Record<string, string> }): Promise<number> {
  if (p.adminId === null) throw new AccessDenied('无权保存报表');
  if (!mayExportList(p, r.resource)) throw new AccessDenied('无权导出该列表');
  const name = checkName(r.name);
  return sequelize.transaction((transaction) => insert(sequelize, p, { name, kind: 'list', resource: r.resource, params: { query: checkListQuery(r.query) } }, transaction));
}

/** The parameters a saved built-in report keeps: its area (an organisation id) and year (本年度/上一年度 or a year). */
export function reportParams(params: unknown): Record<string, unknown> {
  const v = (params && typeof params === 'object' ? params : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (v.area !== undefined && v.area !== null && v.area !== '') {
    const area = Number(v.area);
    if (!Number.isSafeInteger(area) || area <= 0) refuse('params', '地区参数无效');
    out.area = area;
  }
  if (v.year !== undefined && v.year !== null && v.year !== '') {
    if (v.year === 'current' || v.year === 'previous') out.year = v.year;
    else {
      const y = Number(v.year);
      if (!Number.isInteger(y) || y < 2000 || y > 2100) refuse('params', '年度应为 2000–2100 之间的整数，或 本年度/上一年度');
      out.year = y;
    }
  }
  return out;
}

/** A year parameter at a moment: 本年度 / 上一年度 / a fixed year. */
export function resolveYear(year: unknown, at: Date, yearIn: (d: Date) => number): number | undefined {
  if (year === 'current') return yearIn(at);
  if (year === 'previous') return yearIn(at) - 1;
  return typeof year === 'number' ? year : undefined;
}

/** A saved report the principal may use (its organisation's), or a refusal that says nothing of others'. */
export async function savedReportFor(sequelize: Sequelize, p: Principal, id: unknown, transaction?: Transaction): Promise<SavedReportRow> {
  const n = Number(id);
  const rows = Number.isSafeInteger(n) && n > 0 ? await sequelize.query<SavedReportRow>(
    'SELECT id, organisation_id, org_path, owner_id, name, kind, resource, report, params FROM saved_reports WHERE id = :id AND organisation_id = :org',
    { replacements: { id: n, org: p.organisationId }, type: QueryTypes.SELECT, transaction }) : [];
  if (!rows[0]) refuse('saved_report_id', '所选报表不存在或不属于本机构');
  return rows[0];
}
