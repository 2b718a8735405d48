/**
 * The report registry (报表目录). A report is a module exporting a ReportDefinition; it is
 * registered here once, and from then on it can be run now from the panel (导出任务 → 立即运行),
 * named by a schedule in config/scheduled-exports.ts, and downloaded by those whose scope and
 * permissions allow it.
 */
import type { ReportDefinition } from './types.js';
import { personRoster } from './person-roster.js';
import { completionReport, overviewReport, seriesReport } from './statistics-reports.js';

export type { ReportColumn, ReportContext, ReportDefinition } from './types.js';
export { reportYear, yearIn } from './params.js';

const reports = new Map<string, ReportDefinition>();

export function registerReport(def: ReportDefinition): void {
  if (!/^[a-z0-9-]{1,60}$/.test(def.key)) throw new Error(`报表标识不合法：${def.key}`);
  const existing = reports.get(def.key);
  if (existing && existing !== def) throw new Error(`报表标识重复：${def.key}`);
  reports.set(def.key, def);
}

export function reportByKey(key: string): ReportDefinition | undefined {
  return reports.get(key);
}

export function allReports(): ReportDefinition[] {
  return [...reports.values()];
}

registerReport(personRoster);
registerReport(overviewReport);
registerReport(completionReport);
registerReport(seriesReport);
