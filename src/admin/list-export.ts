/**
 * 导出 on every list (issue 20, item 1): the list as it stands — its filters (tabs included:
 * a tab is a filter), its sort and its visible columns — written to xlsx through the list's
 * own scoped resource, so the rows are exactly the list's (same scope, same filter code) and
 * ID numbers are whole only to those who may see them whole.
 *
 * - small lists (≤ listExportLimits.inlineRows: LIST_EXPORT_INLINE_ROWS, 5,000 by default) download at once from
 *   GET /admin/list-export/<resource>?<the list's query>;
 * - larger ones become an export job (report `list-export`, params {resource, query}) with
 *   progress in 导出任务; the job re-reads the list as its requesting admin, reloaded when it runs.
 *
 * Cells: a reference reads as the referenced record's title, an enumerated value as its label,
 * numbers as numbers, dates as dates (formatted), booleans as 是/否; the writer neutralises text
 * against formula injection. The row source needs the panel's resources (AdminJS): it lives in
 * the admin layer and is bound when the panel is built (`bindListExports`).
 */
import fs from 'node:fs/promises';
import type AdminJS from 'adminjs';
import { Filter, flat, type BaseProperty, type PropertyDecorator } from 'adminjs';
import type { Router } from 'express';
import type { Sequelize } from 'sequelize';
import type { Principal } from '../access/principal.js';
import { mayExportList } from '../services/exports/list-access.js';
import { holds } from '../access/policy.js';
import { personPersonalData } from '../access/personal-data.js';
import { AccessDenied, PlatformError, ValidationFailed } from '../domain/errors.js';
import { registerReport, type ReportColumn, type ReportContext, type ReportDefinition } from '../services/reports/index.js';
import { writeReport } from '../services/exports/writer.js';
import { EXPORT_VIEW } from '../../resources/export-jobs/policy.js';
import { audit } from '../services/audit.js';
import { tempPath } from '../services/temp-files.js';
import { startExportJob } from '../services/exports/jobs.js';
import { zhCN } from './locale.js';
import type { ScopedResource } from './scoped-resource.js';

export { mayExportList };
export const LIST_EXPORT = 'list-export';
/** Lists up to this many rows download at once; larger ones run as an export job. */
export const listExportLimits = { inlineRows: Math.max(1, Number(process.env.LIST_EXPORT_INLINE_ROWS ?? 5_000) || 5_000) };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let admin: AdminJS | null = null;
/** The panel's resources, for the row source (called by createApp once the panel is built). */
export function bindListExports(a: AdminJS): void { admin = a; }

/** The list's query as the panel's URL carries it: filters.*, sortBy, direction (and nothing else). */
export type ListQuery = Record<string, string>;

export function listQueryOf(raw: Record<string, unknown>): ListQuery {
  const out: ListQuery = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    if (!(k.startsWith('filters.') || k === 'sortBy' || k === 'direction')) continue;
    if (typeof v !== 'string' || v.length > 500 || k.length > 120) continue;
    out[k] = v;
  }
  if (Object.keys(out).length > 40) throw new ValidationFailed({}, '筛选条件过多');
  return out;
}

interface Target { resource: ScopedResource; id: string }

function targetOf(p: Principal, resourceId: string): Target {
  if (!admin) throw new PlatformError('列表导出仅在管理后台进程中可用');
  if (!mayExportList(p, resourceId)) throw new AccessDenied('无权导出该列表');
  const resource = admin.findResource(resourceId) as unknown as ScopedResource;
  if (!resource || typeof (resource as Partial<ScopedResource>).exportRows !== 'function') throw new AccessDenied('无权导出该列表');
  return { resource, id: resourceId };
}

function filterOf(t: Target, q: ListQuery): Filter {
  const { filters = {} } = flat.unflatten(q) as { filters?: Record<string, unknown> };
  return new Filter(filters as Record<string, string>, t.resource as never);
}

const translations = zhCN as unknown as { resources: Record<string, { properties?: Record<string, string> }>; properties: Record<string, string> };
function headerOf(resourceId: string, path: string): string {
  return translations.resources[resourceId]?.properties?.[path] ?? translations.properties?.[path] ?? path;
}

interface ExportColumn extends ReportColumn { property: PropertyDecorator }

/** The list's visible columns, in its order, as the reader sees them. */
function columnsOf(t: Target): ExportColumn[] {
  const readable = new Set(t.resource.policy.readable);
  return t.resource.decorate().getListProperties()
    .filter((prop) => readable.has(prop.propertyPath.split('.')[0]))
    .map((prop) => {
      const type = prop.type();
      const format = type === 'date' ? 'date' as const : type === 'datetime' ? 'datetime' as const : undefined;
      return { key: prop.propertyPath, header: headerOf(t.id, prop.propertyPath), width: prop.reference() ? 28 : 16, format, property: prop };
    });
}

/** The resource a property references (the decorator resolves it), or null. */
const refOf = (prop: PropertyDecorator) => prop.reference() as unknown as { id(): string } | null;

const NUMERIC = new Set(['number', 'float', 'currency']);

/** One list record → the cells of the export's row (references resolved by the caller's map). */
function cellsOf(row: Record<string, unknown>, columns: ExportColumn[], refs: Map<string, Map<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const v = row[c.key];
    const prop = c.property;
    if (v === null || v === undefined || v === '') { out[c.key] = ''; continue; }
    const ref = refOf(prop);
    if (ref) { out[c.key] = refs.get(ref.id())?.get(String(v)) ?? String(v); continue; }
    const values = prop.availableValues();
    if (values) { out[c.key] = values.find((x) => String(x.value) === String(v))?.label ?? String(v); continue; }
    const type = prop.type();
    if (type === 'boolean') { out[c.key] = v === true || v === 'true' ? '是' : '否'; continue; }
    if (NUMERIC.has(type) || (typeof v === 'string' && isNumericColumn(prop) && /^-?\d+(\.\d+)?$/.test(v))) { out[c.key] = Number(v); continue; }
    if ((type === 'date' || type === 'datetime') && !Number.isNaN(new Date(String(v)).getTime())) {
      // exceljs writes a Date as UTC: shift it so the cell reads Shandong's wall-clock time.
      const d = new Date(String(v));
      out[c.key] = type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(String(v)) ? new Date(`${v}T00:00:00Z`) : new Date(d.getTime() + 8 * 3600_000);
      continue;
    }
    out[c.key] = typeof v === 'object' ? JSON.stringify(v) : v;
  }
  return out;
}

function isNumericColumn(prop: PropertyDecorator): boolean {
  const key = ((prop as unknown as { property: BaseProperty & { sequelizePath?: { type?: { key?: string } } } }).property.sequelizePath?.type?.key) ?? '';
  return ['SMALLINT', 'INTEGER', 'BIGINT', 'DECIMAL', 'FLOAT', 'DOUBLE', 'REAL', 'NUMERIC'].includes(key);
}

/** Every row of the list, as cells: batches of 1,000, references resolved per batch. */
async function* listRows(t: Target, q: ListQuery, p: Principal, columns: ExportColumn[]): AsyncIterable<Record<string, unknown>> {
  const refColumns = columns.filter((c) => c.property.reference());
  let batch: Record<string, unknown>[] = [];
  const flush = async function* () {
    const refs = new Map<string, Map<string, string>>();
    for (const c of refColumns) {
      const target = refOf(c.property) as unknown as ScopedResource;
      const ids = [...new Set(batch.map((r) => r[c.key]).filter((x) => x !== null && x !== undefined && x !== '').map(String))];
      const known = refs.get(target.id()) ?? new Map<string, string>();
      if (ids.length && typeof target?.titleMap === 'function') for (const [k, v] of await target.titleMap(ids)) known.set(k, v);
      refs.set(target.id(), known);
    }
    for (const r of batch) yield cellsOf(r, columns, refs);
    batch = [];
  };
  for await (const row of t.resource.exportRows(filterOf(t, q), { sortBy: q.sortBy, direction: q.direction }, p)) {
    batch.push(row);
    if (batch.length >= 1_000) yield* flush();
  }
  if (batch.length) yield* flush();
}

const labelOfResource = (id: string) => (zhCN as unknown as { resources: Record<string, { labels?: Record<string, string> }> }).resources[id]?.labels?.[id] ?? id;

/** The export job's report: the list named by its params, read as the job's principal. */
export const listExportReport: ReportDefinition = {
  key: LIST_EXPORT,
  title: '列表导出',
  permission: EXPORT_VIEW,
  allowed: (p, params) => typeof params.resource === 'string' && mayExportList(p, params.resource),
  columns: [],
  titleOf: (params) => `${labelOfResource(String(params.resource))}导出`,
  columnsOf: (ctx: ReportContext) => columnsOf(targetOf(ctx.principal, String(ctx.params.resource))),
  async *rows(ctx) {
    const t = targetOf(ctx.principal, String(ctx.params.resource));
    yield* listRows(t, listQueryOf((ctx.params.query ?? {}) as Record<string, unknown>), ctx.principal, columnsOf(t));
  },
};
registerReport(listExportReport);

/** How many rows an export of this list would hold, and whether it downloads at once. */
export async function listExportPlan(p: Principal, resourceId: string, q: ListQuery) {
  const t = targetOf(p, resourceId);
  const rows = await t.resource.exactCount(filterOf(t, q), p);
  return { rows, inline: rows <= listExportLimits.inlineRows, limit: listExportLimits.inlineRows, columns: columnsOf(t).map((c) => c.header), fullIds: !!t.resource.policy.personalData && holds(p, personPersonalData.fullOn) };
}

/** A large list: an export job of the admin's own organisation, started now (progress in 导出任务). */
export async function requestListExport(sequelize: Sequelize, p: Principal, resourceId: string, q: ListQuery): Promise<number> {
  const plan = await listExportPlan(p, resourceId, q);
  const params = { resource: resourceId, query: q };
  const jobId = await sequelize.transaction(async (transaction) => {
    const [[job]] = await sequelize.query(
      `INSERT INTO export_jobs (report, params, organisation_id, org_path, requested_by, trigger, total_rows)
       VALUES (:report, :params, :org, :path, :me, 'manual', :total) RETURNING id`,
      { replacements: { report: LIST_EXPORT, params: JSON.stringify(params), org: p.organisationId, path: p.orgPath, me: p.accountId, total: plan.rows }, transaction },
    ) as unknown as [[{ id: number }]];
    await audit({ actor: p, action: 'export_request', resource: 'export_jobs', recordId: job.id, after: { report: LIST_EXPORT, ...params, rows: plan.rows } }, transaction);
    return job.id;
  });
  // Run here, where the panel's resources are: the worker has none (PANEL_REPORTS).
  startExportJob(sequelize, jobId, { inProcess: true });
  return jobId;
}

/** Writes the list to a temp file now (a small list); the caller sends and deletes it. */
export async function writeListExport(sequelize: Sequelize, p: Principal, resourceId: string, q: ListQuery, file: string) {
  const params = { resource: resourceId, query: q };
  const written = await writeReport(listExportReport, { sequelize, principal: p, params }, file);
  return { ...written, name: `${labelOfResource(resourceId)}-${new Date().toISOString().slice(0, 10)}.xlsx` };
}

/** GET /admin/list-export/:resource?<list query>: a small list's file at once (a large one: 409, run it as a job). */
export function mountListExportRoutes(router: Router, sequelize: Sequelize): void {
  router.get('/list-export/:resource', async (req, res, next) => {
    const file = tempPath('list-export', '.xlsx');
    try {
      const p = req.session.adminUser as Principal;
      const resourceId = req.params.resource;
      const q = listQueryOf(req.query as Record<string, unknown>);
      let plan;
      try {
        plan = await listExportPlan(p, resourceId, q);
      } catch (e) {
        if (e instanceof AccessDenied) {
          await audit({ actor: p, action: 'export', resource: resourceId.slice(0, 60), outcome: 'refused', reason: e.message });
          return res.status(403).json({ notice: { message: e.message, type: 'error' } });
        }
        if (e instanceof PlatformError) return res.status(400).json({ notice: { message: e.message, type: 'error' } });
        const message = (e as { baseMessage?: string; message?: string }).baseMessage;
        if (message) return res.status(400).json({ notice: { message, type: 'error' } });
        throw e;
      }
      if (!plan.inline) return res.status(409).json({ notice: { message: `共 ${plan.rows} 行，超过 ${plan.limit} 行，请以导出任务方式运行`, type: 'error' }, rows: plan.rows });
      const written = await writeListExport(sequelize, p, resourceId, q, file);
      await audit({ actor: p, action: 'export', resource: resourceId, after: { query: q, rows: written.rows, fullIds: plan.fullIds } });
      res.setHeader('Content-Type', XLSX);
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(written.name)}`);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('X-Row-Count', String(written.rows));
      res.send(await fs.readFile(file));
    } catch (e) {
      next(e);
    } finally {
      await fs.rm(file, { force: true });
    }
  });
}
