/**
 * Memory and time of one export: the 专技人员名册 of a jurisdiction written by writeReport, in
 * its system principal (what a scheduled run does), on real PostgreSQL. Prints
 * rows, seconds, file size and peak RSS. Not part of `npm test`.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/ce_exp_big npx tsx bench/export-roster.ts [--year=2025] [--region=370000] [--lean]
 *
 * --lean: only the database, the models and the resources' access rules, not the HTTP app
 * (what a separate export worker process would hold), to see the export's own footprint.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootPlatform } from '../src/boot.js';
import { openDatabase } from '../src/db/connection.js';
import { defineModels } from '../src/db/models.js';
import { allResources } from '../resources/index.js';
import { writeReport } from '../src/services/exports/writer.js';
import { reportByKey } from '../src/services/reports/index.js';
import { systemPrincipal } from '../src/services/exports/jobs.js';
import { QueryTypes } from 'sequelize';
import { asPlatform, runAs } from '../src/access/context.js';

if (!process.env.DATABASE_URL) {
  console.error('请设置 DATABASE_URL（真实 PostgreSQL）');
  process.exit(2);
}
const flag = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const year = Number(flag('year', '2025'));
/** The jurisdiction: a region code of an HR bureau (default the province). */
const region = flag('region', '370000');

const lean = process.argv.includes('--lean');
const platform = lean
  ? await (async () => {
    const db = await openDatabase();
    allResources(defineModels(db.sequelize)); // registers the access rules the report reads through
    return { db, close: () => db.close() };
  })()
  : await bootPlatform({ seed: false, scheduledExports: false });
const sequelize = platform.db.sequelize;
// Every query names whom it runs for (src/access/wall.ts): the lookup as the platform, the export as the bureau.
const [bureau] = await asPlatform('导出基准', () => sequelize.query<{ id: number }>(
  "SELECT id FROM organisations WHERE region_code = :region AND kind IN ('province_hr', 'city_hr', 'county_hr')", { replacements: { region }, type: QueryTypes.SELECT }));
const principal = await asPlatform('导出基准', () => systemPrincipal(sequelize, bureau.id));
const file = path.join(os.tmpdir(), `export-roster-${process.pid}.xlsx`);

const rssBefore = process.memoryUsage().rss;
let peak = rssBefore;
let peakHeap = 0; let peakExternal = 0;
const sampler = setInterval(() => { const m = process.memoryUsage(); peak = Math.max(peak, m.rss); peakHeap = Math.max(peakHeap, m.heapUsed); peakExternal = Math.max(peakExternal, m.external); }, 20);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const written = await runAs(principal, () => writeReport(reportByKey('person-roster')!, { sequelize, principal, params: { year } }, file));
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);

console.log(JSON.stringify({
  report: 'person-roster', region, process: lean ? 'lean' : 'platform', rows: written.rows, seconds: Number(seconds.toFixed(2)),
  cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)), loadAverage: os.loadavg()[0], fileMb: Number((written.bytes / 1024 / 1024).toFixed(1)),
  rssBeforeMb: Math.round(rssBefore / 1024 / 1024), peakHeapMb: Math.round(peakHeap / 1048576), peakExternalMb: Math.round(peakExternal / 1048576), peakRssMb: Math.round(peak / 1024 / 1024),
  maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
}));
fs.rmSync(file, { force: true });
await platform.close();
