/**
 * The platform's periodic tasks, in one list: whatever runs on a clock (audit retention, and the
 * tasks later issues add — scheduled exports, year-end reminders, API callbacks) is a
 * `PeriodicTask` registered in `periodicTasks`, and one place starts them all
 * (`startPeriodicTasks`, node-cron, Asia/Shanghai). Each task makes its own run happen once
 * however many processes fire it (an advisory lock, or a unique row per due time).
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Sequelize } from 'sequelize';
import { auditRetentionTask } from './audit-retention.js';
import { exportSchedulesTask } from './export-schedules.js';
import { apiCallbacksTask } from './api-callbacks.js';
import { yearEndRemindersTask } from './year-end-reminders.js';

export interface PeriodicTask {
  key: string;
  /** What it is, in Chinese, for the log. */
  title: string;
  /** node-cron expression, in `timezone` (default Asia/Shanghai). */
  cron: string;
  timezone?: string;
  /** One run, due at `dueAt` (the clock's time). */
  run(sequelize: Sequelize, dueAt: Date, log: (s: string) => void): Promise<void>;
}

export const periodicTasks: PeriodicTask[] = [auditRetentionTask, exportSchedulesTask, yearEndRemindersTask, apiCallbacksTask];

export interface PeriodicScheduler { stop(): Promise<void> }

export function startPeriodicTasks(sequelize: Sequelize, tasks: PeriodicTask[] = periodicTasks, log: (s: string) => void = console.log): PeriodicScheduler {
  for (const t of tasks) if (!cron.validate(t.cron)) throw new Error(`定时任务「${t.key}」的 cron 表达式无效：${t.cron}`);
  const running = new Set<Promise<void>>();
  const scheduled: ScheduledTask[] = tasks.map((t) => cron.schedule(t.cron, (ctx) => {
    const run = t.run(sequelize, ctx.date, log).catch((e) => console.error(`定时任务「${t.title}」失败：`, e)).finally(() => running.delete(run));
    running.add(run);
    return run;
  }, { timezone: t.timezone ?? 'Asia/Shanghai', name: t.key }));
  return {
    async stop() {
      for (const s of scheduled) { await s.stop(); await s.destroy(); }
      await Promise.allSettled([...running]);
    },
  };
}
