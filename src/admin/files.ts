/**
 * Attachments (/admin/files/<resource>/<id>): read through the resource's scope for `show`,
 * so a file is served exactly to those who may see its record. The type sent is the one
 * detected from the content; a file is a download, except an image or PDF asked for as the
 * reviewer's preview (`?inline=1`), sent under a CSP that runs nothing.
 */
import type { Request, Response, NextFunction, Router } from 'express';
import { literal, Op, type Sequelize } from 'sequelize';
import { templateOf } from '../services/import/engine.js';
import '../services/import/hours-import.js';
import '../services/import/persons-import.js';
import type { Principal } from '../access/principal.js';
import { scopeOf } from '../access/scope.js';
import { AccessDenied, PlatformError } from '../domain/errors.js';
import { detectKind } from '../services/uploads.js';
import { downloadableExport } from '../services/exports/download.js';
import fs from 'node:fs/promises';
import { once } from 'node:events';
import { holds } from '../access/policy.js';
import { policies, policyOf } from '../../resources/policies.js';
import { reportByKey } from '../services/reports/index.js';
import { writeReport } from '../services/exports/writer.js';
import { audit } from '../services/audit.js';
import { tempPath } from '../services/temp-files.js';

/** Tables whose rows carry a file: its bytes and its name (migrations 001 and 017). */
const STORED_FILES: Record<string, { bytes: string; name: string }> = {
  training_plans: { bytes: 'attachment', name: 'attachment_name' },
  hour_declarations: { bytes: 'evidence_file', name: 'evidence_name' },
  change_requests: { bytes: 'evidence_file', name: 'evidence_name' },
  registrations: { bytes: 'licence_file', name: 'licence_name' },
};
const POLICY_IDS = new Set(policies.map((x) => x.id));
const MIME = { pdf: 'application/pdf', docx_or_xlsx: 'application/octet-stream', jpeg: 'image/jpeg', png: 'image/png' } as const;

export function mountFileRoutes(router: Router, sequelize: Sequelize): void {
  const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const headers = (res: Response, name: string, type: string) => {
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
  };
  const download = (res: Response, name: string, type: string, bytes: Buffer) => {
    headers(res, name, type);
    res.send(bytes);
  };
  // 下载导入文件: the blank template of an import.
  router.get('/files/templates/:kind', async (req, res, next) => {
    try {
      const names: Record<string, string> = { hours: '岗位培训学时导入模板.xlsx', persons: '专业技术人员批量导入模板.xlsx' };
      if (!names[req.params.kind]) return res.status(404).json({ notice: { message: '模板不存在', type: 'error' } });
      download(res, names[req.params.kind], xlsx, await templateOf(req.params.kind));
    } catch (e) { next(e); }
  });
  // 导出失败信息: the failed rows of an import job, with their reasons, through the import jobs' policy.
  router.get('/files/import-jobs/:id', async (req, res, next) => {
    try {
      const p = req.session.adminUser as Principal;
      const id = /^\d{1,9}$/.test(req.params.id) ? Number(req.params.id) : 0;
      const job = await sequelize.model('ImportJob').findOne({
        where: { [Op.and]: [{ id }, scopeOf(p, 'import_jobs', 'report').where] }, attributes: ['error_report'], raw: true,
      }).catch((e) => { if (e instanceof AccessDenied) return null; throw e; }) as { error_report: Buffer | null } | null;
      if (!job?.error_report) return res.status(404).json({ notice: { message: '文件不存在', type: 'error' } });
      download(res, `导入失败信息-${req.params.id}.xlsx`, xlsx, job.error_report);
    } catch (e) { next(e); }
  });
  // 导出任务: the file of an export job in the admin's jurisdiction (403 for any other id).
  router.get('/files/export-jobs/:id', async (req, res, next) => {
    try {
      const file = await downloadableExport(sequelize, req.session.adminUser as Principal, req.params.id);
      if ('refused' in file) return res.status(file.status).json({ notice: { message: file.refused, type: 'error' } });
      // Sent part by part as read (4 MiB each): a process holds one part of a 450 MB file, not the file.
      headers(res, file.name, xlsx);
      if (file.size !== null) res.setHeader('Content-Length', String(file.size));
      for await (const part of file.parts) {
        if (res.destroyed) return; // the browser went away: read no further part
        if (!res.write(part)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
      }
      res.end();
    } catch (e) { next(e); }
  });
  // 导出数据 of a statistics page: the page's report for its area and year, written on request.
  router.get('/files/statistics/:report', async (req, res, next) => {
    const file = tempPath('statistics', '.xlsx');
    try {
      const p = req.session.adminUser as Principal;
      const def = req.params.report.startsWith('statistics-') ? reportByKey(req.params.report) : undefined;
      if (!def || !holds(p, def.permission)) return res.status(403).json({ notice: { message: '无权导出该统计', type: 'error' } });
      const params = { area: typeof req.query.area === 'string' ? req.query.area : undefined, year: typeof req.query.year === 'string' ? req.query.year : undefined };
      try {
        await writeReport(def, { sequelize, principal: p, params }, file);
      } catch (e) {
        if (e instanceof AccessDenied) return res.status(403).json({ notice: { message: '无权访问该地区的统计', type: 'error' } });
        if (e instanceof RangeError) return res.status(400).json({ notice: { message: e.message, type: 'error' } });
        if (e instanceof PlatformError) return res.status(400).json({ notice: { message: e.message, type: 'error' } });
        throw e;
      }
      await audit({ actor: p, action: 'export', resource: def.key, after: params });
      // Named with its area and year (济南市-2026-继教综合统计.xlsx), so two downloads never share a name.
      download(res, `${def.fileName ? await def.fileName({ sequelize, principal: p, params }) : def.title}.xlsx`, xlsx, await fs.readFile(file));
    } catch (e) { next(e); } finally { await fs.rm(file, { force: true }); }
  });
  // A record's file (a plan filing's attachment, a declaration's or a change request's proof, a
  // registration's licence): the record is read through the resource's `show` scope, so the file
  // reaches exactly those who may open the record; anything else is 404, never a hint.
  // `?inline=1` (the reviewer's preview): images and PDFs are shown in the page, under a CSP that
  // lets the document run nothing (images) or as application/pdf with nosniff (PDFs).
  router.get('/files/:resourceId/:id', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const { resourceId, id } = req.params;
      const missing = () => res.status(404).json({ notice: { message: '文件不存在或无权访问', type: 'error' } });
      const policy = POLICY_IDS.has(resourceId) ? policyOf(resourceId) : undefined;
      const stored = policy ? STORED_FILES[policy.table] : undefined;
      const model = policy && stored ? Object.values(sequelize.models).find((m) => m.getTableName() === policy.table) : undefined;
      if (!policy || !stored || !model || !/^\d{1,12}$/.test(id)) return missing();
      const p = req.session.adminUser as Principal;
      const row = await model.findOne({
        where: { [Op.and]: [{ id }, scopeOf(p, resourceId, 'show').where] },
        attributes: [[literal(stored.bytes), 'bytes'], [literal(stored.name), 'name']], raw: true,
      }).catch((e) => { if (e instanceof AccessDenied) return null; throw e; }) as unknown as { bytes: Buffer | null; name: string | null } | null;
      if (!row?.bytes) return missing();
      const kind = detectKind(row.bytes.subarray(0, 16));
      const inline = req.query.inline === '1' && (kind === 'jpeg' || kind === 'png' || kind === 'pdf');
      res.setHeader('Content-Type', kind ? MIME[kind] : 'application/octet-stream');
      res.setHeader('Content-Disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(row.name ?? '附件')}`);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Cache-Control', 'private, no-store');
      // A sandboxing CSP would also stop Chromium's PDF viewer; a PDF is sent as application/pdf with nosniff, never as a page.
      if (inline && kind !== 'pdf') res.setHeader('Content-Security-Policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
      res.send(row.bytes);
    } catch (e) { next(e); }
  });
}
