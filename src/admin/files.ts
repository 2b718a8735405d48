/**
 * Attachments (/admin/files/<resource>/<id>): read through the resource's scope for `show`,
 * so a file is served exactly to those who may see its record. The type sent is the one
 * detected from the content, and the file is always a download (never rendered inline).
 */
import type { Request, Response, NextFunction, Router } from 'express';
import type AdminJS from 'adminjs';
import { Op } from 'sequelize';
import type { ScopedResource } from '../access/scoped-resource.js';
import type { Principal } from '../access/principal.js';
import { detectKind } from '../services/uploads.js';

const WITH_ATTACHMENTS = new Set(['annual_plan_reviews', 'plan_declaration_reviews', 'work_summary_reviews', 'unit_plan_reviews', 'unit_hours_reviews', 'plan_filings']);
const MIME = { pdf: 'application/pdf', docx_or_xlsx: 'application/octet-stream', jpeg: 'image/jpeg', png: 'image/png' } as const;

export function mountFileRoutes(router: Router, admin: AdminJS): void {
  router.get('/files/:resourceId/:id', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const { resourceId, id } = req.params;
      if (!WITH_ATTACHMENTS.has(resourceId) || !/^\d+$/.test(id)) return res.status(404).json({ notice: { message: '文件不存在', type: 'error' } });
      const resource = admin.findResource(resourceId) as unknown as ScopedResource;
      const p = req.session.adminUser as Principal;
      const row = await resource.model.findOne({
        where: { [Op.and]: [{ id: Number(id) }, resource.scopeWhere(p, 'show')] }, attributes: ['attachment', 'attachment_name'], raw: true,
      }) as unknown as { attachment: Buffer | null; attachment_name: string | null } | null;
      if (!row?.attachment) return res.status(404).json({ notice: { message: '文件不存在或无权访问', type: 'error' } });
      const kind = detectKind(row.attachment.subarray(0, 16));
      res.setHeader('Content-Type', kind ? MIME[kind] : 'application/octet-stream');
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(row.attachment_name ?? '附件')}`);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.send(row.attachment);
    } catch (e) { next(e); }
  });
}
