/**
 * 定时导出 made in the panel (export_schedules), as a periodic task: every minute, the schedules
 * due run — once per due time however many processes run periodic tasks (see
 * src/services/exports/schedules.ts: a unique run row per schedule and due time).
 */
import type { PeriodicTask } from './periodic.js';
import { runDueSchedules } from '../services/exports/schedules.js';

export const exportSchedulesTask: PeriodicTask = {
  key: 'export-schedules',
  title: '定时导出',
  cron: '* * * * *',
  async run(sequelize, dueAt, log) {
    // EXPORT_SCHEDULES=0: no scheduled exports in this process (tests that spawn the app).
    if (process.env.EXPORT_SCHEDULES === '0') return;
    const jobs = await runDueSchedules(sequelize, dueAt, { log });
    if (jobs.length) log(`定时导出已运行：导出任务 ${jobs.join('、')}`);
  },
};
