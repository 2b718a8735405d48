/**
 * 年末提醒 (issue 19.5): who reads and changes the province's reminder settings, and who reads
 * the figures (how many were reminded per run and city, how many completed since). Both are the
 * province's: a provincial admin holding 年度规则配置 · 查看 reads them; changing the settings
 * takes 年度规则配置 · 编辑 (the provincial super admin, the 系统管理员 role). A person's own
 * opt-out is the persons resource's `reminderOptions` (resources/persons/policy.ts).
 */
import type { Policy } from '../../src/access/policy.js';
import type { Principal } from '../../src/access/principal.js';

const province = (code: string) => (p: Principal) => p.kind === 'province_hr' && p.permissions.includes(code);
export const mayViewReminders = province('system.year_rules:view');
export const mayEditReminders = province('system.year_rules:edit');

export const reminderSettingsPolicy: Policy = {
  id: 'reminder_settings',
  table: 'reminder_settings',
  actions: { list: mayViewReminders, show: mayViewReminders, edit: mayEditReminders },
  scope: () => [{}],
  readable: ['id', 'enabled', 'start_month', 'start_day', 'interval_days', 'email_enabled', 'sms_enabled', 'digest_enabled', 'updated_by', 'updated_at'],
  writable: { edit: ['enabled', 'start_month', 'start_day', 'interval_days', 'email_enabled', 'sms_enabled', 'digest_enabled'] },
};

export const reminderFiguresPolicy: Policy = {
  id: 'reminder_figures',
  table: 'reminder_figures',
  actions: { list: mayViewReminders, show: mayViewReminders },
  scope: () => [{}],
  readable: ['id', 'run_id', 'due_date', 'year', 'scope', 'city_id', 'at_risk', 'reminded', 'failed', 'not_sent', 'completed_since'],
  writable: {},
};
