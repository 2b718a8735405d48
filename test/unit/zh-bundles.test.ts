/**
 * react-select's defaults in AdminJS's served bundles are Chinese (issue 17: "Select..." in
 * every dropdown): each bundle AdminJS serves that carries react-select is served localised.
 */
import fs from 'node:fs';
import { Router as AdminRouter } from 'adminjs';
import { LOCALISED_BUNDLES, localiseBundle } from '../../src/admin/zh-bundles.js';

describe('localised react-select bundles', () => {
  const served = AdminRouter.assets.filter((a) => a.path.endsWith('.js'));
  it('every served bundle with react-select in it is one the panel localises', () => {
    const carrying = served.filter((a) => /(["'])Select\.\.\.\1/.test(fs.readFileSync(a.src, 'utf8'))).map((a) => a.path);
    expect(carrying.length).toBeGreaterThan(0);
    expect(LOCALISED_BUNDLES).toEqual(expect.arrayContaining(carrying));
  });
  it.each(served.filter((a) => LOCALISED_BUNDLES.includes(a.path)).map((a) => [a.path, a.src]))('%s has no English default left', (_p, src) => {
    const { text, replaced } = localiseBundle(fs.readFileSync(src, 'utf8'));
    expect(replaced).toBeGreaterThanOrEqual(3);
    expect(text).not.toMatch(/(["'])(Select\.\.\.|Loading\.\.\.|No options)\1/);
    expect(text).toContain('"请选择…"');
  });
});
