/**
 * The certificate as PDF: A4 landscape, one page per certificate, Chinese set in Noto Serif SC
 * (SIL OFL 1.1, shipped by the npm package @expo-google-fonts/noto-serif-sc, so no system font
 * and no network). pdfkit embeds only the glyphs used (a subset) with a ToUnicode map, so the
 * text can be searched and copied. The QR code, drawn as vectors, opens the public
 * verification page of the certificate's number.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

const fontDir = path.dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-serif-sc/package.json'));
let fonts: { regular: Buffer; bold: Buffer } | undefined;
/** Read once per process (two 15 MB files); pdfkit subsets them into each document. */
function loadFonts() {
  fonts ??= {
    regular: readFileSync(path.join(fontDir, '400Regular/NotoSerifSC_400Regular.ttf')),
    bold: readFileSync(path.join(fontDir, '700Bold/NotoSerifSC_700Bold.ttf')),
  };
  return fonts;
}

export interface CertificateFacts {
  number: string;
  name: string;
  /** As the reader may see it: whole or masked. */
  idNumber: string;
  unitName: string;
  year: number;
  publicHours: number;
  professionalHours: number;
  totalHours: number;
  issuerName: string;
  issuedAt: Date;
  /** The address the QR code opens. */
  verifyUrl: string;
}

const INK = '#1c2733';
const RED = '#9b1c1c';
const GOLD = '#b8862b';

/** 2026年11月29日, in China's time zone whatever the server's. */
export function chineseDate(d: Date): string {
  const [y, m, day] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(d).split('-').map(Number);
  return `${y}年${m}月${day}日`;
}

const hours = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 2;
  const cell = size / (modules.size + quiet * 2);
  doc.save().rect(x, y, size, size).fill('#ffffff');
  doc.fillColor('#000000');
  for (let r = 0; r < modules.size; r++) {
    // One rectangle per run of dark modules in a row: fewer drawing operations.
    let c = 0;
    while (c < modules.size) {
      if (!modules.get(r, c)) { c++; continue; }
      const start = c;
      while (c < modules.size && modules.get(r, c)) c++;
      doc.rect(x + (start + quiet) * cell, y + (r + quiet) * cell, (c - start) * cell, cell);
    }
  }
  doc.fill().restore();
}

/**
 * The frame (a red outer rule, a gold inner rule `inset` inside it), the number in the upper
 * right corner and the title centred below it; `margin` is their distance from the page's edges.
 */
function drawHeading(doc: PDFKit.PDFDocument, o: { rules: [number, number]; inset: number; margin: number; number: string; numberSize: number; title: string; titleSize: number; titleY: number }): void {
  const W = doc.page.width;
  const H = doc.page.height;
  doc.lineWidth(o.rules[0]).strokeColor(RED).rect(24, 24, W - 48, H - 48).stroke();
  doc.lineWidth(o.rules[1]).strokeColor(GOLD).rect(24 + o.inset, 24 + o.inset, W - 48 - 2 * o.inset, H - 48 - 2 * o.inset).stroke();
  doc.font('bold').fontSize(o.numberSize).fillColor(INK).text(o.number, o.margin, 24 + o.inset + 16, { width: W - 2 * o.margin, align: 'right', lineBreak: false });
  doc.font('bold').fontSize(o.titleSize).fillColor(RED).text(o.title, o.margin, o.titleY, { width: W - 2 * o.margin, align: 'center' });
}

function drawPage(doc: PDFKit.PDFDocument, f: CertificateFacts): void {
  const W = doc.page.width;
  const H = doc.page.height;
  drawHeading(doc, { rules: [6, 1.2], inset: 12, margin: 60, number: `证书编号：${f.number}`, numberSize: 11, title: '专业技术人员继续教育证书', titleSize: 34, titleY: 90 });
  doc.moveTo(W / 2 - 170, 146).lineTo(W / 2 + 170, 146).lineWidth(1).strokeColor(GOLD).stroke();

  const left = 110;
  const width = W - 2 * left;
  doc.font('bold').fontSize(20).fillColor(INK).text(`${f.name} 同志：`, left, 180, { width, lineBreak: false });
  doc.font('regular').fontSize(16).fillColor(INK).text(
    `您于${f.year}年度参加专业技术人员继续教育，经审核认定，共完成继续教育 ${hours(f.totalHours)} 学时`
      + `（公需科目 ${hours(f.publicHours)} 学时，专业科目 ${hours(f.professionalHours)} 学时），达到年度学时要求，特发此证。`,
    left, 222, { width, indent: 32, lineGap: 10 },
  );

  // The facts, one per line, as a reader of the certificate checks them.
  const facts: Array<[string, string]> = [['身份证号', f.idNumber], ['工作单位', f.unitName], ['认定年度', `${f.year}年度`]];
  let y = 318;
  for (const [label, value] of facts) {
    doc.font('bold').fontSize(13).fillColor(INK).text(`${label}：`, left, y, { lineBreak: false });
    doc.font('regular').fontSize(13).text(value, left + 80, y, { width: width - 80, lineBreak: false, ellipsis: true });
    y += 26;
  }

  // QR in the lower left corner, the issuing authority and date in the lower right.
  const qr = 96;
  drawQr(doc, f.verifyUrl, 64, H - 64 - qr - 16, qr);
  doc.font('regular').fontSize(9).fillColor(INK).text('扫码核验证书真伪', 64, H - 70, { width: qr, align: 'center', lineBreak: false });

  const right = W - 90;
  doc.font('bold').fontSize(16).fillColor(INK).text(f.issuerName, right - 360, H - 150, { width: 360, align: 'right', lineBreak: false });
  doc.font('regular').fontSize(14).text(chineseDate(f.issuedAt), right - 360, H - 120, { width: 360, align: 'right', lineBreak: false });
}

/** A PDF of pages drawn by `draw`, in Noto Serif SC (regular and bold registered as such). */
function renderPdf(title: string, layout: 'landscape' | 'portrait', draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const { regular, bold } = loadFonts();
  const doc = new PDFDocument({
    size: 'A4', layout, margin: 0, autoFirstPage: false, compress: true,
    info: { Title: title, Creator: '山东省专业技术人员继续教育公共服务平台', Producer: 'pdfkit' },
  });
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  draw(doc);
  doc.end();
  return done;
}

/** One PDF with a page per certificate (a batch), or a single certificate. */
export async function renderCertificates(list: CertificateFacts[], title = '专业技术人员继续教育证书'): Promise<Buffer> {
  if (!list.length) throw new Error('没有可打印的证书');
  return renderPdf(title, 'landscape', (doc) => {
    for (const f of list) {
      doc.addPage();
      drawPage(doc, f);
    }
  });
}

/** What a 学时证明 prints (src/services/certificates/proof.ts's ProofFacts, without importing it). */
export interface HourProofFacts {
  number: string; name: string; idNumber: string; unitName: string; from: number; to: number;
  years: Array<{ year: number; publicHours: number; professionalHours: number; totalHours: number; completed: boolean;
    verification: { state: 'ok' | 'failed' | 'none'; failedHours: number } }>;
  issuerName: string; issuedAt: Date; hash: string; verifyUrl: string;
}

export const VERIFICATION_LABEL = { ok: '审验通过', failed: '审验不通过', none: '无已审核学时' } as const;

/**
 * 学时证明: A4 portrait, one page — the person, a table of the years (公需科目, 专业科目, 合计,
 * 是否达标, 审验状态), the issuing bureau and date, the QR code of its verification page and a
 * short check of its figures' hash (校验码).
 */
export async function renderHourProof(f: HourProofFacts): Promise<Buffer> {
  return renderPdf(`专业技术人员继续教育学时证明 ${f.number}`, 'portrait', (doc) => {
    doc.addPage();
    const W = doc.page.width;
    const H = doc.page.height;
    drawHeading(doc, { rules: [4, 1], inset: 8, margin: 50, number: `证明编号：${f.number}`, numberSize: 10, title: '专业技术人员继续教育学时证明', titleSize: 26, titleY: 80 });

    const left = 64;
    const width = W - 2 * left;
    doc.font('regular').fontSize(12).fillColor(INK).text(
      `兹证明 ${f.name}（身份证号 ${f.idNumber}，工作单位 ${f.unitName}）${f.from}年度至${f.to}年度参加专业技术人员继续教育，`
        + '经审核认定的学时如下（学时审验不通过的已扣除）：', left, 136, { width, indent: 24, lineGap: 6 });

    const cols: Array<[string, number]> = [['年度', 70], ['公需科目', 80], ['专业科目', 80], ['合计', 70], ['是否达标', 80], ['审验状态', width - 380]];
    const row = (cells: string[], y: number, font: 'regular' | 'bold') => {
      let x = left;
      cells.forEach((c, i) => {
        doc.font(font).fontSize(11).fillColor(INK).text(c, x + 4, y + 7, { width: cols[i][1] - 8, align: 'center', lineBreak: false });
        x += cols[i][1];
      });
      doc.moveTo(left, y + 26).lineTo(left + width, y + 26).lineWidth(0.5).strokeColor('#8a96a3').stroke();
    };
    let y = 206;
    doc.moveTo(left, y).lineTo(left + width, y).lineWidth(0.8).strokeColor(INK).stroke();
    row(cols.map((c) => c[0]), y, 'bold');
    for (const r of f.years) {
      y += 26;
      const state = VERIFICATION_LABEL[r.verification.state] + (r.verification.failedHours ? `（扣除 ${hours(r.verification.failedHours)} 学时）` : '');
      row([`${r.year}`, hours(r.publicHours), hours(r.professionalHours), hours(r.totalHours), r.completed ? '达标' : '未达标', state], y, 'regular');
    }
    const sum = (k: 'publicHours' | 'professionalHours' | 'totalHours') => hours(f.years.reduce((a, r) => a + r[k], 0));
    y += 26;
    row(['合计', sum('publicHours'), sum('professionalHours'), sum('totalHours'), `${f.years.filter((r) => r.completed).length}/${f.years.length} 年达标`, ''], y, 'bold');

    doc.font('regular').fontSize(10).fillColor(INK).text(`校验码：${f.hash.slice(0, 16).toUpperCase()}　本证明所载学时以出具时平台记录为准，可扫码核验是否与当前记录一致。`,
      left, y + 44, { width, lineGap: 4 });

    const qr = 96;
    drawQr(doc, f.verifyUrl, left, H - 70 - qr - 14, qr);
    doc.font('regular').fontSize(9).fillColor(INK).text('扫码核验学时证明', left, H - 76, { width: qr, align: 'center', lineBreak: false });
    doc.font('regular').fontSize(8).text(f.verifyUrl, left + qr + 12, H - 76, { width: 260, lineBreak: false, ellipsis: true });
    const right = W - 70;
    doc.font('bold').fontSize(15).fillColor(INK).text(f.issuerName, right - 300, H - 150, { width: 300, align: 'right', lineBreak: false });
    doc.font('regular').fontSize(13).text(chineseDate(f.issuedAt), right - 300, H - 124, { width: 300, align: 'right', lineBreak: false });
  });
}
