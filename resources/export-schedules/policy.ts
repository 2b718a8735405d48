/**
 * 定时导出管理 (issue 20, item 3): an organisation's schedules, managed by its admins holding the
 * permission; each run's history and 立即运行 (item 4). Schedules are their organisation's:
 * a superior bureau sees its own, not its counties'. 导出通知: a recipient's own notices only.
 */
import type { Policy } from '../../src/access/policy.js';
import { hrWith, ofOwnOrganisation } from '../../src/access/scopes.js';

export const SCHEDULE_VIEW = 'stats.schedules:view';
export const SCHEDULE_CREATE = 'stats.schedules:create';
export const SCHEDULE_EDIT = 'stats.schedules:edit';
export const SCHEDULE_DELETE = 'stats.schedules:delete';
export const SCHEDULE_RUN = 'stats.schedules:run';

export const exportSchedulesPolicy: Policy = {
  id: 'export_schedules',
  table: 'export_schedules',
  actions: {
    list: hrWith(SCHEDULE_VIEW), show: hrWith(SCHEDULE_VIEW), search: hrWith(SCHEDULE_VIEW), runs: hrWith(SCHEDULE_VIEW),
    new: hrWith(SCHEDULE_CREATE), edit: hrWith(SCHEDULE_EDIT), delete: hrWith(SCHEDULE_DELETE), pause: hrWith(SCHEDULE_EDIT),
    resume: hrWith(SCHEDULE_EDIT), runSchedule: hrWith(SCHEDULE_RUN), previewCron: hrWith(SCHEDULE_VIEW),
  },
  scope: ofOwnOrganisation(),
  readable: ['id', 'name', 'report', 'saved_report_id', 'area_id', 'preset', 'cron', 'year_param', 'recipients', 'status', 'paused_reason',
    'next_run_at', 'created_by', 'seed_key', 'version', 'created_at', 'updated_at'],
  writable: {
    new: ['name', 'report', 'saved_report_id', 'area_id', 'preset', 'cron', 'year_param', 'recipients'],
    edit: ['name', 'report', 'saved_report_id', 'area_id', 'preset', 'cron', 'year_param', 'recipients', 'version'],
  },
};

export const exportNoticesPolicy: Policy = {
  id: 'export_notices',
  table: 'export_notices',
  actions: { list: (p) => p.adminId !== null, show: (p) => p.adminId !== null },
  scope: (p) => (p.adminId !== null ? [{ account_id: p.accountId }] : []),
  readable: ['id', 'title', 'link', 'job_id', 'schedule_id', 'read_at', 'created_at'],
  writable: {},
};
