/**
 * 定时导出: statistics exports that run on a schedule, as data. Each run writes an xlsx into
 * 导出任务 (export_jobs) of its jurisdiction, read in the scope of that jurisdiction's system
 * principal (its HR bureau's office, without 查看完整证件号: scheduled files mask ID numbers).
 *
 * - key: stable identifier; with the minute a run is due it makes the run unique (once only,
 *   however many app processes run the scheduler);
 * - schedule: a cron expression (minute hour day month weekday), read in `timezone`;
 * - report: a key of the report registry (src/services/reports);
 * - jurisdiction: the HR bureau whose scope the rows are read in, by region code
 *   ('370000' the province, '370100' 济南, '370102' 历下 …) or by organisation id;
 * - params: the report's parameters; a function receives the run's due time (e.g. the year).
 */
import { yearIn } from '../src/services/reports/params.js';

export interface ScheduledExport {
  key: string;
  title: string;
  schedule: string;
  timezone: 'Asia/Shanghai';
  report: string;
  jurisdiction: { regionCode: string } | { organisationId: number };
  params: Record<string, unknown> | ((dueAt: Date) => Record<string, unknown>);
}


export const scheduledExports: ScheduledExport[] = [
  {
    key: 'province-completion-weekly',
    title: '全省继教完成情况（每周一）',
    schedule: '0 3 * * 1',
    timezone: 'Asia/Shanghai',
    report: 'statistics-completion',
    jurisdiction: { regionCode: '370000' },
    params: (dueAt) => ({ year: yearIn(dueAt) }),
  },
  {
    key: 'province-overview-monthly',
    title: '全省继教综合统计（每月）',
    schedule: '30 3 1 * *',
    timezone: 'Asia/Shanghai',
    report: 'statistics-overview',
    jurisdiction: { regionCode: '370000' },
    params: (dueAt) => ({ year: yearIn(dueAt) }),
  },
  {
    key: 'province-roster-monthly',
    title: '全省专技人员名册（每月）',
    schedule: '0 2 1 * *',
    timezone: 'Asia/Shanghai',
    report: 'person-roster',
    jurisdiction: { regionCode: '370000' },
    params: (dueAt) => ({ year: yearIn(dueAt) }),
  },
  {
    key: 'jinan-roster-weekly',
    title: '济南市专技人员名册（每周一）',
    schedule: '30 2 * * 1',
    timezone: 'Asia/Shanghai',
    report: 'person-roster',
    jurisdiction: { regionCode: '370100' },
    params: (dueAt) => ({ year: yearIn(dueAt) }),
  },
];

/** Failed runs are retried: at most `maxAttempts` in all, waiting base × 4^(n−1) between them. */
export const exportRetry = {
  maxAttempts: Math.max(1, Number(process.env.EXPORT_MAX_ATTEMPTS ?? 3) || 3),
  baseDelayMs: Math.max(0, Number(process.env.EXPORT_RETRY_SECONDS ?? 30) || 0) * 1000,
};
