/**
 * 定时导出: one node-cron task per schedule in config/scheduled-exports.ts, started at boot and
 * stopped at shutdown. Every app process schedules them; each run happens once all the same
 * (see runScheduledExport: a unique row per schedule and due time).
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Sequelize } from 'sequelize';
import type { ScheduledExport } from '../../config/scheduled-exports.js';
import { reportByKey } from '../services/reports/index.js';
import { runScheduledExport } from '../services/exports/jobs.js';

export interface ExportScheduler { stop(): Promise<void> }

/** Refuses a schedule that names an unknown report or an invalid cron expression (at start, not at 2 a.m.). */
export function checkSchedules(schedules: ScheduledExport[]): void {
  const keys = new Set<string>();
  for (const s of schedules) {
    if (keys.has(s.key)) throw new Error(`定时导出标识重复：${s.key}`);
    keys.add(s.key);
    if (!cron.validate(s.schedule)) throw new Error(`定时导出「${s.key}」的 cron 表达式无效：${s.schedule}`);
    if (!reportByKey(s.report)) throw new Error(`定时导出「${s.key}」的报表不存在：${s.report}`);
  }
}

export function scheduleExports(sequelize: Sequelize, schedules: ScheduledExport[], log: (s: string) => void = console.log): ExportScheduler {
  checkSchedules(schedules);
  const tasks: ScheduledTask[] = schedules.map((s) => cron.schedule(s.schedule, async (ctx) => {
    try {
      const jobId = await runScheduledExport(sequelize, s, ctx.date);
      if (jobId !== null) log(`定时导出「${s.title}」已运行（导出任务 ${jobId}）`);
    } catch (e) {
      console.error(`定时导出「${s.title}」失败：`, e);
    }
  }, { timezone: s.timezone, name: `export:${s.key}` }));
  return {
    async stop() {
      for (const t of tasks) {
        await t.stop();
        await t.destroy();
      }
    },
  };
}
