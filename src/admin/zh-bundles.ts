/**
 * react-select's own words, in Chinese. AdminJS's dropdowns (every filter, every reference and
 * enum field) are react-select inside AdminJS's bundles, and AdminJS passes it no placeholder:
 * the panel showed "Select...", "Loading..." and "No options" in every dropdown (issue 17).
 * No AdminJS option or translation key reaches these defaults, so the two bundles that carry
 * react-select (design-system.bundle.js and global.bundle.js) are served with the defaults
 * replaced, each read once per process at its first request (measured: production builds 1.9 MB +
 * 0.7 MB in 32 + 13 ms, development builds 11.7 MB + 9.7 MB in ~260 ms each; 5 literals each).
 */
import fs from 'node:fs';
import type { Router } from 'express';

// Each is a string literal of react-select's defaults (placeholder, loadingMessage,
// noOptionsMessage and their components' default children), in either build of the bundles.
const REPLACEMENTS: Array<[RegExp, string]> = [
  [/(["'])Select\.\.\.\1/g, '"请选择…"'],
  [/(["'])Loading\.\.\.\1/g, '"加载中…"'],
  [/(["'])No options\1/g, '"无匹配选项"'],
];

export const LOCALISED_BUNDLES = ['/frontend/assets/design-system.bundle.js', '/frontend/assets/global.bundle.js'];

/** The bundle's text with react-select's English defaults replaced; how many were replaced. */
export function localiseBundle(source: string): { text: string; replaced: number } {
  let replaced = 0;
  let text = source;
  for (const [re, to] of REPLACEMENTS) text = text.replace(re, () => { replaced++; return to; });
  return { text, replaced };
}

/** Mounts the localised bundles before AdminJS's own asset routes (the first route wins). */
export function mountLocalisedBundles(router: Router, assets: Array<{ path: string; src: string }>): void {
  for (const asset of assets.filter((a) => LOCALISED_BUNDLES.includes(a.path))) {
    // A Buffer, so that the router's HTML rewriting of string answers leaves it alone.
    let cached: Buffer | null = null;
    router.get(asset.path, (_req, res, next) => {
      try {
        cached ??= Buffer.from(localiseBundle(fs.readFileSync(asset.src, 'utf8')).text);
        res.type('application/javascript').setHeader('Cache-Control', 'public, max-age=3600');
        res.send(cached);
      } catch (e) { next(e); }
    });
  }
}
