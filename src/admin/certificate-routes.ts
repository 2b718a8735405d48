/**
 * Certificate PDFs (/admin/certificates/…), behind the login gate: a GET that only reads
 * certificates already issued (issuing is the POST of actions/print-certificates.ts), through
 * the `certificate_years` scope, for completed years only. Every print is in the audit log,
 * and so is every refusal.
 */
import type { NextFunction, Request, Response, Router } from 'express';
import type { Sequelize } from 'sequelize';
import type { Principal } from '../access/principal.js';
import { isProofNumber, normaliseCertificateNumber } from '../services/certificates/number.js';
import { printableCertificates, unitInScope } from '../services/certificates/issue.js';
import { printableProof, PROOF_OUTSIDE } from '../services/certificates/proof.js';
import { renderCertificates, renderHourProof } from '../services/certificates/render.js';
import { audit, auditMany } from '../services/audit.js';

const BATCH_PART = 500;
/** The panel's root (src/admin/admin.ts's ROOT_PATH; not imported, which would be a cycle through the resources). */
const ROOT_PATH = '/admin';

export const certificatePdfPath = (number: string) => `${ROOT_PATH}/certificates/${encodeURIComponent(number)}.pdf`;

/** A 学时证明's PDF (rendered from its stored figures on each download). */
export const hourProofPdfPath = (number: string) => `${ROOT_PATH}/hour-proofs/${encodeURIComponent(number)}.pdf`;

export function batchPdfPaths(unitId: number, year: number, count: number, partSize = BATCH_PART): string[] {
  const parts = Math.max(1, Math.ceil(count / partSize));
  return Array.from({ length: parts }, (_, i) => `${ROOT_PATH}/certificates/batch.pdf?unit=${unitId}&year=${year}&part=${i + 1}`);
}

function sendPdf(res: Response, name: string, pdf: Buffer) {
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  res.send(pdf);
}

const refuse = (res: Response, status: number, message: string) => res.status(status).json({ notice: { message, type: 'error' } });

export function mountCertificateRoutes(router: Router, sequelize: Sequelize): void {
  const printed = (p: Principal, req: Request, numbers: string[], orgPaths: string[]) => auditMany(numbers.map((n, i) => ({
    actor: p, action: 'print', resource: 'certificates', recordId: n, orgPath: orgPaths[i], ip: req.ip,
  })));

  // The batch first: `batch.pdf` is not a certificate number.
  router.get('/certificates/batch.pdf', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const p = req.session.adminUser as Principal;
      const year = Number(req.query.year);
      const part = Math.max(1, Number(req.query.part) || 1);
      if (!Number.isInteger(year)) return refuse(res, 400, '请指定年度');
      const unit = await unitInScope(sequelize, p, 'printBatch', Number(req.query.unit));
      const { facts, orgPaths } = await printableCertificates(sequelize, p, 'printBatch', { unit_id: unit.id, year }, BATCH_PART, (part - 1) * BATCH_PART);
      if (!facts.length) return refuse(res, 404, `${unit.name}${year}年度没有已发放的证书，请先生成证书`);
      const pdf = await renderCertificates(facts, `${unit.name} ${year}年度继续教育证书`);
      await printed(p, req, facts.map((f) => f.number), orgPaths);
      sendPdf(res, `${unit.name}-${year}年度继续教育证书${part > 1 ? `-${part}` : ''}.pdf`, pdf);
    } catch (e) { next(e); }
  });

  // 学时证明: the person's own, its unit's and its jurisdiction's, or a transfer's to both its sides.
  router.get('/hour-proofs/:file', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const p = req.session.adminUser as Principal;
      const number = normaliseCertificateNumber(req.params.file.replace(/\.pdf$/i, ''));
      const found = number && isProofNumber(number) ? await printableProof(sequelize, p, number) : null;
      if (!found) {
        await audit({ actor: p, action: 'print', resource: 'hour_proofs', recordId: number ?? req.params.file.slice(0, 40), outcome: 'refused', ip: req.ip, reason: PROOF_OUTSIDE });
        return refuse(res, 404, PROOF_OUTSIDE);
      }
      const pdf = await renderHourProof(found.facts);
      await audit({ actor: p, action: 'print', resource: 'hour_proofs', recordId: found.facts.number, orgPath: found.orgPath, ip: req.ip });
      sendPdf(res, `学时证明-${found.facts.name}-${found.facts.from}-${found.facts.to}.pdf`, pdf);
    } catch (e) { next(e); }
  });

  router.get('/certificates/:file', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const p = req.session.adminUser as Principal;
      const number = normaliseCertificateNumber(req.params.file.replace(/\.pdf$/i, ''));
      const { facts, orgPaths } = number
        ? await printableCertificates(sequelize, p, 'printCertificate', { certificate_number: number }, 1)
        : { facts: [], orgPaths: [] };
      if (!facts.length) {
        await audit({ actor: p, action: 'print', resource: 'certificates', recordId: number ?? req.params.file.slice(0, 40), outcome: 'refused', ip: req.ip,
          reason: '证书不存在、年度学时已不达标或不在管辖范围内' });
        return refuse(res, 404, '证书不存在或不在您的管辖范围内');
      }
      const pdf = await renderCertificates(facts);
      await printed(p, req, [facts[0].number], orgPaths);
      sendPdf(res, `继续教育证书-${facts[0].name}-${facts[0].year}.pdf`, pdf);
    } catch (e) { next(e); }
  });
}
