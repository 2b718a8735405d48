/**
 * 保存的报表 (issue 20, item 2): the organisation's saved lists and reports. A list is saved
 * from its 导出 drawer (保存为报表); a built-in report with its area and year is made here (新增).
 * 立即运行 exports it now through the runner's own scope; 编辑 renames or changes its parameters,
 * 删除 removes it — both the owner's or the super admin's only (the policy's edit/delete scope).
 */
import type { ActionContext, ActionRequest } from 'adminjs';
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { Components } from '../../src/admin/components/index.js';
import { principalOf } from '../../src/admin/scoped-resource.js';
import { resourceSpecs } from '../../src/admin/locale.js';
import { allReports, yearIn } from '../../src/services/reports/index.js';
import { requestListExport } from '../../src/admin/list-export.js';
import { requestExport, startExportJob } from '../../src/services/exports/jobs.js';
import { checkName, reportParams, resolveYear, savedReportFor, schedulableReport } from '../../src/services/exports/saved-reports.js';
import { checkArea } from '../../src/services/exports/schedules.js';
import { isPost, sequelizeOf } from '../../actions/request-data.js';
import { savedReportsPolicy } from './policy.js';

/** The report's parameters from the form's flat fields (统计区域, 年度), or a params object as sent. */
const paramsOf = (values: Record<string, unknown>) => ('area_id' in values || 'year_param' in values
  ? { area: values.area_id, year: values.year_param } : values.params);

const YEAR_OPTIONS = [{ value: 'current', label: '本年度' }, { value: 'previous', label: '上一年度' }];

export const savedReportsResource = ({ SavedReport }: Models) => defineResource({
  policy: savedReportsPolicy,
  model: SavedReport,
  scoped: {
    prepareCreate: async (values, p, transaction) => {
      const name = checkName(values.name);
      const def = schedulableReport(p, values.report);
      const params = reportParams(paramsOf(values));
      if (params.area !== undefined) params.area = await checkArea(SavedReport.sequelize!, p, params.area, transaction);
      return { name, kind: 'report', report: def.key, params, organisation_id: p.organisationId, org_path: p.orgPath, owner_id: p.accountId };
    },
    prepareUpdate: async (values, current, p, transaction) => {
      const out: Record<string, unknown> = {};
      if ('name' in values) out.name = checkName(values.name);
      if ('params' in values || 'area_id' in values || 'year_param' in values) {
        if (current.kind === 'list') {
          // A list keeps its query; only its name changes here (save the list anew to change its filters).
          delete values.params;
        } else {
          const params = reportParams(paramsOf(values));
          if (params.area !== undefined) params.area = await checkArea(SavedReport.sequelize!, p, params.area, transaction);
          out.params = params;
        }
      }
      return out;
    },
  },
  options: {
    navigation: nav.stats,
    sort: { sortBy: 'id', direction: 'desc' },
    listProperties: ['name', 'kind', 'resource', 'report', 'owner_id', 'updated_at'],
    showProperties: ['name', 'kind', 'resource', 'report', 'params', 'owner_id', 'created_at', 'updated_at'],
    // Flat fields, not the JSON column's sub-fields: their labels (统计区域, 年度) cannot be looked up
    // under the column's own label in i18next, and would read "Params Area".
    editProperties: ['name', 'report', 'area_id', 'year_param'],
    filterProperties: ['name', 'kind', 'report'],
    properties: {
      kind: { availableValues: [{ value: 'list', label: '列表' }, { value: 'report', label: '内置报表' }] },
      // The list a saved list report reads, by its menu name (专业技术人员), not its id (persons).
      resource: { availableValues: Object.entries(resourceSpecs).map(([value, spec]) => ({ value, label: spec.label })) },
      report: { availableValues: allReports().filter((r) => !r.allowed).map((r) => ({ value: r.key, label: r.title })) },
      params: { type: 'mixed', isVisible: { list: false, show: true, edit: false, filter: false } },
      area_id: { type: 'reference', reference: 'organisations', isVisible: { list: false, show: false, edit: true, filter: false } },
      year_param: { availableValues: YEAR_OPTIONS, isVisible: { list: false, show: false, edit: true, filter: false } },
      owner_id: { reference: 'accounts' },
      version: { isVisible: false },
    },
    actions: {
      runSaved: {
        actionType: 'record', icon: 'Play', component: Components.ConfirmAction,
        custom: { confirm: '按您当前的管辖范围立即导出该报表。确定运行吗？', reason: false, submit: '立即运行' },
        async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
          const record = context.record!;
          if (!isPost(request)) return { record: record.toJSON(context.currentAdmin) };
          const p = principalOf(context);
          const sequelize = sequelizeOf(context);
          const saved = await savedReportFor(sequelize, p, record.id());
          let jobId: number;
          if (saved.kind === 'list') {
            jobId = await requestListExport(sequelize, p, saved.resource!, ((saved.params as { query?: Record<string, string> }).query ?? {}));
          } else {
            const params = { ...saved.params, year: resolveYear(saved.params.year, new Date(), yearIn) };
            jobId = await requestExport(sequelize, p, saved.report!, params);
            startExportJob(sequelize, jobId);
          }
          return { record: record.toJSON(context.currentAdmin), jobId, redirectUrl: `/admin/resources/export_jobs/records/${jobId}/show`, notice: { message: `已开始导出（导出任务 ${jobId}）`, type: 'success' } };
        },
      },
    },
  },
});
