/**
 * 年末提醒 (issue 19.5) as a periodic task: daily at 09:00 (Asia/Shanghai). From the province's
 * start date on, each run reminds the persons short of the year's requirement whose period has
 * no reminder yet, and sends the unit digests (src/services/reminders.ts). Once per due day
 * however many processes fire it: the run is a unique row per due day (reminder_runs), and each
 * person's reminder a unique row per period (reminders).
 */
import type { PeriodicTask } from './periodic.js';
import { runYearEndReminders } from '../services/reminders.js';

export const yearEndRemindersTask: PeriodicTask = {
  key: 'year-end-reminders',
  title: '年末提醒',
  cron: '0 9 * * *',
  async run(sequelize, dueAt, log) {
    // YEAR_END_REMINDERS=0: no reminders from this process (tests that spawn the app).
    if (process.env.YEAR_END_REMINDERS === '0') return;
    await runYearEndReminders(sequelize, dueAt, { log });
  },
};
