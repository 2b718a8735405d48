/**
 * Who may export a list (issue 20, item 1) — the engine's half, without AdminJS: the principal
 * may list the resource, and holds the resource's own `exportList` requirement where its policy
 * names one (persons: 专技人员信息查询 · 导出). Saved reports and schedules check the same.
 */
import { holds } from '../../access/policy.js';
import type { Principal } from '../../access/principal.js';
import { mayRun } from '../../access/scope.js';
import { policies, policyOf } from '../../../resources/policies.js';

/** Lists without 导出: jobs, sessions and the export configuration itself. */
export const NO_LIST_EXPORT = new Set(['export_jobs', 'sessions', 'saved_reports', 'export_schedules', 'export_notices', 'my_organisation', 'accounts', 'import_jobs',
  'statistics_overview', 'statistics_completion', 'statistics_series']);

export function exportableList(resourceId: string): boolean {
  return policies.some((x) => x.id === resourceId) && !NO_LIST_EXPORT.has(resourceId) && policyOf(resourceId).actions.list !== undefined;
}

export function mayExportList(p: Principal, resourceId: string): boolean {
  if (!exportableList(resourceId) || !mayRun(p, resourceId, 'list')) return false;
  const extra = policyOf(resourceId).actions.exportList;
  return extra === undefined || holds(p, extra);
}
