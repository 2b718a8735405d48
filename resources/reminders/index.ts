/**
 * 系统管理 → 年末提醒设置 / 年末提醒统计 (issue 19.5).
 * - 年末提醒设置: the province's one row — whether reminders run, from which day of the year
 *   (month, day), how many days between two reminders of one person, and the channels (e-mail,
 *   SMS, the unit admins' digest). Edited by the provincial super admin; every change is audited
 *   (the scoped resource's update) and takes effect at the next daily run.
 * - 年末提醒统计: per run (the province's total) and per city, how many persons were found short,
 *   how many were reminded, how many sends failed or were not made (opted out, no contact), and
 *   how many of the reminded have completed the year since.
 */
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { options as opts, reminderFigureScope } from '../../src/domain/labels.js';
import { reminderSettingsInput, type ReminderSettings } from '../../src/domain/reminders.js';
import { reminderFiguresPolicy, reminderSettingsPolicy } from './policy.js';

const MONTHS = Array.from({ length: 12 }, (_, i) => ({ value: String(i + 1), label: `${i + 1}月` }));

export const reminderSettingsResource = ({ ReminderSetting }: Models) => defineResource({
  policy: reminderSettingsPolicy,
  model: ReminderSetting,
  scoped: {
    async prepareUpdate(values, current, p) {
      return { ...reminderSettingsInput(values, current as Partial<ReminderSettings>), updated_by: p.accountId || null, updated_at: new Date() };
    },
  },
  options: {
    navigation: nav.system,
    listProperties: ['enabled', 'start_month', 'start_day', 'interval_days', 'email_enabled', 'sms_enabled', 'digest_enabled', 'updated_by', 'updated_at'],
    showProperties: ['enabled', 'start_month', 'start_day', 'interval_days', 'email_enabled', 'sms_enabled', 'digest_enabled', 'updated_by', 'updated_at'],
    editProperties: ['enabled', 'start_month', 'start_day', 'interval_days', 'email_enabled', 'sms_enabled', 'digest_enabled'],
    filterProperties: [],
    properties: {
      start_month: { availableValues: MONTHS },
      updated_by: { reference: 'accounts', isVisible: { list: true, show: true, edit: false, filter: false } },
      updated_at: { isVisible: { list: true, show: true, edit: false, filter: false } },
    },
  },
});

export const reminderFiguresResource = ({ ReminderFigure }: Models) => defineResource({
  policy: reminderFiguresPolicy,
  model: ReminderFigure,
  options: {
    navigation: nav.system,
    sort: { sortBy: 'due_date', direction: 'desc' },
    listProperties: ['due_date', 'scope', 'city_id', 'at_risk', 'reminded', 'failed', 'not_sent', 'completed_since'],
    showProperties: ['due_date', 'year', 'scope', 'city_id', 'at_risk', 'reminded', 'failed', 'not_sent', 'completed_since'],
    filterProperties: ['due_date', 'year', 'scope', 'city_id'],
    properties: {
      scope: { availableValues: opts(reminderFigureScope) },
      city_id: { reference: 'organisations' },
    },
  },
});
