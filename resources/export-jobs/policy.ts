/**
 * Who may see, run and download export jobs (导出任务). The download also needs the report's own
 * permission, and 查看完整证件号 for a file with whole ID numbers (src/services/exports/download.ts).
 */
import type { Policy } from '../../src/access/policy.js';
import { inJurisdiction } from '../../src/access/scopes.js';

export const EXPORT_VIEW = 'stats.exports:view';
export const EXPORT_RUN = 'stats.exports:run';

export const exportJobsPolicy: Policy = {
  id: 'export_jobs',
  table: 'export_jobs',
  actions: { list: EXPORT_VIEW, show: EXPORT_VIEW, download: EXPORT_VIEW, runNow: EXPORT_RUN },
  scope: inJurisdiction(),
  readable: ['id', 'report', 'params', 'organisation_id', 'trigger', 'schedule_key', 'scheduled_for', 'status', 'attempts',
    'started_at', 'finished_at', 'file_name', 'file_size', 'row_count', 'progress_rows', 'total_rows', 'schedule_id', 'error', 'created_at'],
  writable: {},
};
