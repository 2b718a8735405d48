/**
 * Issue 16, item 1: the job worker (src/worker.ts) and the supervisor (src/main.ts) load no
 * AdminJS, no React and no panel code — the worker's heap is capped at 256 MB and the panel
 * would take a good part of it. esbuild bundles them as `npm run build` does (same options,
 * in memory) and its metafile lists every module of each graph: the files bundled in, and
 * the packages left external (imported at run time).
 */
import path from 'node:path';
import { build, type Metafile } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../..');
const PANEL_PACKAGE = /^(adminjs|@adminjs\/.*|react|react-dom|react-.*|@babel\/.*|rollup)(\/|$)/;
const PANEL_FILE = /^(src\/admin\/|actions\/|resources\/[^/]+\/index\.ts$|src\/server\.ts$|src\/boot\.ts$)|\.tsx$/;

async function graphOf(entry: string): Promise<{ files: string[]; packages: string[] }> {
  const r = await build({
    entryPoints: [path.join(ROOT, entry)], bundle: true, platform: 'node', format: 'esm', packages: 'external',
    target: 'node20', write: false, metafile: true, outdir: path.join(ROOT, 'dist'), logLevel: 'silent',
  });
  const meta: Metafile = r.metafile;
  const files = Object.keys(meta.inputs);
  const packages = [...new Set(Object.values(meta.inputs).flatMap((i) => i.imports.filter((x) => x.external).map((x) => x.path)))];
  return { files, packages };
}

describe.each(['src/worker.ts', 'src/main.ts'])('%s', (entry) => {
  let graph: { files: string[]; packages: string[] };
  beforeAll(async () => { graph = await graphOf(entry); }, 60_000);

  it('imports no AdminJS, React or bundler package', () => {
    expect(graph.packages.filter((p) => PANEL_PACKAGE.test(p))).toEqual([]);
    expect(graph.packages).toContain('sequelize');
  });

  it('bundles no panel file (src/admin, actions, resource declarations, the HTTP app, components)', () => {
    expect(graph.files.filter((f) => PANEL_FILE.test(f))).toEqual([]);
    expect(graph.files.length).toBeGreaterThan(10);
  });
});

it('the worker graph holds what it runs: both imports, the exports, the schedules, the recovery', async () => {
  const { files } = await graphOf('src/worker.ts');
  for (const f of ['src/services/import/hours-import.ts', 'src/services/import/persons-import.ts', 'src/services/exports/jobs.ts',
    'src/jobs/periodic.ts', 'src/jobs/export-schedules.ts', 'src/jobs/recovery.ts']) expect(files).toContain(f);
});

it('the check sees AdminJS where it is: the web process graph has it', async () => {
  const { packages, files } = await graphOf('src/web.ts');
  expect(packages).toContain('adminjs');
  expect(files.some((f) => PANEL_FILE.test(f))).toBe(true);
});
