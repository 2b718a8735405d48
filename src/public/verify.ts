/**
 * 证书核验 (public, no login): what a certificate's QR code opens. GET /verify/<number> shows
 * the certificate's key facts — name, ID number masked, year, hours, issuing authority, issue
 * date — and whether it still stands (the year's hours can be withdrawn by 学时审验 later).
 * An unknown or malformed number is a 404 page "未找到该证书". Rate-limited per address, so
 * the page is no oracle for guessing numbers (which carry 4 random characters besides).
 */
import type { Express, Request, Response, NextFunction, RequestHandler } from 'express';
import type { Sequelize } from 'sequelize';
import { asPlatform } from '../access/context.js';
import { esc, layout, notice } from '../auth/pages.js';
import { isProofNumber, normaliseCertificateNumber } from '../services/certificates/number.js';
import { publicFacts, type PublicFacts } from '../services/certificates/issue.js';
import { publicProof, type PublicProof } from '../services/certificates/proof.js';
import { chineseDate, VERIFICATION_LABEL } from '../services/certificates/render.js';

const NOT_FOUND = '未找到该证书或学时证明，请核对编号';
const hours = (n: number) => String(Number(n));

const style = `<style>.facts{width:100%;border-collapse:collapse;font-size:14px;margin:12px 0}
.facts th{text-align:left;font-weight:normal;color:#6b7785;width:88px;padding:7px 0;vertical-align:top}
.facts td{padding:7px 0;border-bottom:1px solid #eef1f4}</style>`;

function form(number = ''): string {
  return `<form method="get" action="/verify" autocomplete="off">
<label for="no">证书编号</label><input id="no" name="no" required maxlength="40" value="${esc(number)}" placeholder="请输入证书编号或学时证明编号">
<button type="submit">核验</button></form>`;
}

const factsTable = (rows: Array<[string, string]>, testId: string) =>
  `<table class="facts" data-testid="${testId}">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${esc(v)}</td></tr>`).join('')}</table>`;

/**
 * A 学时证明: what it states (each year's hours, completion, verification state) and whether
 * the record still says the same; where a year changed since, the current figures beside it.
 */
export function proofPage(found: PublicProof): string {
  const { facts: f, valid, current, changedYears } = found;
  const status = valid ? notice(undefined, '该学时证明真实有效，所载学时与当前记录一致')
    : notice(`该学时证明已失效：${changedYears.map((y) => `${y}年度`).join('、')}的学时与当前记录不一致（已经审验变更），请以当前记录为准`);
  const line = (y: PublicProof['current'][number]) => `${hours(y.totalHours)} 学时（公需科目 ${hours(y.publicHours)}，专业科目 ${hours(y.professionalHours)}）`
    + `，${y.completed ? '达标' : '未达标'}，${VERIFICATION_LABEL[y.verification.state]}`;
  const rows: Array<[string, string]> = [
    ['证明编号', f.number], ['姓名', f.name], ['身份证号', f.idNumber], ['工作单位', f.unitName], ['证明年度', `${f.from}年度至${f.to}年度`],
    ...f.years.map((y): [string, string] => {
      const now = current.find((c) => c.year === y.year);
      return [`${y.year}年度`, changedYears.includes(y.year) && now ? `证明所载：${line(y)}；当前记录：${line(now)}` : line(y)];
    }),
    ['出具机构', f.issuerName], ['出具日期', chineseDate(f.issuedAt)],
  ];
  return layout('学时证明核验', `${style}${status}${factsTable(rows, 'proof-facts')}${form()}`);
}

export function verifyPage(o: { number?: string; found?: PublicFacts | null; error?: string } = {}): string {
  if (!o.found) return layout('电子证书核验', `${notice(o.error)}${form(o.number)}`);
  const { facts: f, valid } = o.found;
  const rows: Array<[string, string]> = [
    ['证书编号', f.number], ['姓名', f.name], ['身份证号', f.idNumber], ['认定年度', `${f.year}年度`],
    ['学时', `${hours(f.totalHours)} 学时（公需科目 ${hours(f.publicHours)}，专业科目 ${hours(f.professionalHours)}）`],
    ['发证机构', f.issuerName], ['发证日期', chineseDate(f.issuedAt)],
  ];
  const status = valid ? notice(undefined, '该证书真实有效') : notice('该证书对应年度的学时已经审验变更，证书已失效');
  return layout('电子证书核验', `${style}${status}
${factsTable(rows, 'certificate-facts')}
${form()}`);
}

/** The answer once an address has used up its look-ups. */
export function tooManyLookups(_req: Request, res: Response): void {
  res.status(429).type('html').send(verifyPage({ error: '查询过于频繁，请稍后再试' }));
}

/** `limiter`: the per-address limit of look-ups (src/auth/rate-limit.ts, counted in PostgreSQL). */
export function mountVerification(app: Express, sequelize: Sequelize, limiter: RequestHandler): void {
  app.get('/verify', limiter, (req: Request, res: Response) => {
    const no = typeof req.query.no === 'string' ? req.query.no.trim().slice(0, 40) : '';
    if (no) return res.redirect(303, `/verify/${encodeURIComponent(no)}`);
    res.type('html').send(verifyPage());
  });
  app.get('/verify/:number', limiter, async (req: Request, res: Response, next: NextFunction) => {
    try {
      res.setHeader('Cache-Control', 'no-store');
      const number = normaliseCertificateNumber(req.params.number);
      if (number && isProofNumber(number)) {
        const proof = await asPlatform('学时证明核验', () => publicProof(sequelize, number));
        if (proof) return res.type('html').send(proofPage(proof));
      }
      const found = number ? await asPlatform('证书核验', () => publicFacts(sequelize, number)) : null;
      if (!found) return res.status(404).type('html').send(verifyPage({ number: req.params.number.slice(0, 40), error: NOT_FOUND }));
      res.type('html').send(verifyPage({ found }));
    } catch (e) { next(e); }
  });
}
