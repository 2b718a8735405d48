/** Reading PDFs as a user's reader would: the download, and its text layer page by page. */
import type { Client } from './platform.js';

export async function pdfOf(c: Client, url: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const r = await c.get(url);
  return { status: r.status, type: r.headers.get('content-type'), bytes: Buffer.from(await r.arrayBuffer()) };
}

/** The text layer, page by page, as a PDF reader extracts it (pdf.js, through the fonts' ToUnicode maps). */
export async function textOf(pdf: Buffer): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), disableFontFace: true, useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((it) => ('str' in it ? it.str : '')).join(''));
  }
  await doc.destroy();
  return pages;
}
