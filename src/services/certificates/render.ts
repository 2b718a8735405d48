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

function drawPage(doc: PDFKit.PDFDocument, f: CertificateFacts): void {
  const W = doc.page.width;
  const H = doc.page.height;
  // Frame: a red outer rule, a gold inner rule.
  doc.lineWidth(6).strokeColor(RED).rect(24, 24, W - 48, H - 48).stroke();
  doc.lineWidth(1.2).strokeColor(GOLD).rect(36, 36, W - 72, H - 72).stroke();

  doc.font('bold').fontSize(11).fillColor(INK).text(`证书编号：${f.number}`, 60, 52, { width: W - 120, align: 'right', lineBreak: false });

  doc.font('bold').fontSize(34).fillColor(RED).text('专业技术人员继续教育证书', 60, 90, { width: W - 120, align: 'center' });
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

/** One PDF with a page per certificate (a batch), or a single certificate. */
export async function renderCertificates(list: CertificateFacts[], title = '专业技术人员继续教育证书'): Promise<Buffer> {
  if (!list.length) throw new Error('没有可打印的证书');
  const { regular, bold } = loadFonts();
  const doc = new PDFDocument({
    size: 'A4', layout: 'landscape', margin: 0, autoFirstPage: false, compress: true,
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
  for (const f of list) {
    doc.addPage();
    drawPage(doc, f);
  }
  doc.end();
  return done;
}
