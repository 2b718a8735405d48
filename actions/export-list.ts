/**
 * 导出 (every list, issue 20 item 1), opened from the list's header in a drawer so that the
 * list's query (filters, tab, sort) comes along: GET tells how many rows and which columns the
 * file will hold, and whether it downloads at once; POST runs a large list as an export job.
 * POST {saveAs} saves the list's query under a name (保存为报表, item 2).
 */
import type { ActionContext, ActionRequest } from 'adminjs';
import { principalOf } from '../src/admin/scoped-resource.js';
import { Components } from '../src/admin/components/index.js';
import { listExportPlan, listQueryOf, mayExportList, requestListExport } from '../src/admin/list-export.js';
import { saveListReport } from '../src/services/exports/saved-reports.js';
import { bodyOf, isPost, sequelizeOf, stringField } from './request-data.js';
import type { Principal } from '../src/access/principal.js';

export function exportListAction(resourceId: string) {
  return {
    actionType: 'resource' as const,
    icon: 'Download',
    showInDrawer: true,
    component: Components.ListExport,
    isAccessible: ({ currentAdmin }: Pick<ActionContext, 'currentAdmin'>) => {
      const p = currentAdmin as Principal | undefined;
      return !!p && Array.isArray(p.permissions) && mayExportList(p, resourceId);
    },
    async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
      const p = principalOf(context);
      const sequelize = sequelizeOf(context);
      const body = isPost(request) ? bodyOf(request) : {};
      const query = listQueryOf((isPost(request) ? (body.query as Record<string, unknown> | undefined) : request.query) ?? {});
      if (!isPost(request)) {
        const plan = await listExportPlan(p, resourceId, query);
        const search = new URLSearchParams(query).toString();
        return { ...plan, download: `/admin/list-export/${resourceId}${search ? `?${search}` : ''}` };
      }
      const saveAs = stringField(body, 'saveAs', 60);
      if (saveAs) {
        const id = await saveListReport(sequelize, p, { name: saveAs, resource: resourceId, query });
        return { savedReportId: id, notice: { message: `已保存为报表「${saveAs}」`, type: 'success' } };
      }
      const jobId = await requestListExport(sequelize, p, resourceId, query);
      return { jobId, notice: { message: '数据较多，已创建导出任务，可在「导出任务」查看进度并下载', type: 'success' } };
    },
  };
}
