/**
 * 立即运行 (导出任务): GET lists the reports and schedules the admin may run; POST {report, year}
 * or {schedule} creates a job that runs in the background; GET ?jobId= reports a job's state
 * through the export-jobs resource's scope (the panel polls it).
 */
import { ForbiddenError, type ActionContext, type ActionRequest } from 'adminjs';
import { Op } from 'sequelize';
import { holds } from '../src/access/policy.js';
import { allows, scopeOf } from '../src/access/scope.js';
import { principalOf } from '../src/admin/scoped-resource.js';
import { Components } from '../src/admin/components/index.js';
import { scheduledExports } from '../config/scheduled-exports.js';
import { allReports, reportByKey } from '../src/services/reports/index.js';
import { reportYear } from '../src/services/reports/params.js';
import {
  jurisdictionOf, manualParams, requestExport, requestScheduledExportNow, startExportJob,
} from '../src/services/exports/jobs.js';
import { PlatformError } from '../src/domain/errors.js';
import { bodyOf, isPost, sequelizeOf, stringField } from './request-data.js';

const JOB_FIELDS = ['id', 'report', 'status', 'attempts', 'started_at', 'finished_at', 'file_name', 'file_size', 'row_count', 'progress_rows', 'total_rows', 'error'];

export function runExportAction() {
  return {
    actionType: 'resource' as const,
    icon: 'Play',
    component: Components.RunExport,
    async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
      const p = principalOf(context);
      const sequelize = sequelizeOf(context);
      if (!isPost(request)) {
        const jobId = Number(request.query?.jobId);
        if (jobId) {
          const job = await sequelize.model('ExportJob').findOne({
            where: { [Op.and]: [{ id: jobId }, scopeOf(p, 'export_jobs', 'list').where] }, attributes: JOB_FIELDS, raw: true,
          });
          if (!job) throw new ForbiddenError('无权访问该导出任务，或该任务不在您的管辖范围内');
          return { job };
        }
        const schedules = [];
        for (const s of scheduledExports) {
          const def = reportByKey(s.report);
          if (!def || !holds(p, def.permission)) continue;
          const org = await jurisdictionOf(sequelize, s).catch(() => null);
          if (org && allows(p, 'export_jobs', 'runNow', { org_path: org.path })) schedules.push({ key: s.key, title: s.title, jurisdiction: org.name, report: def.title, schedule: s.schedule });
        }
        return {
          reports: allReports().filter((r) => !r.allowed && holds(p, r.permission)).map((r) => ({ key: r.key, title: r.title })),
          schedules,
          year: reportYear({}),
        };
      }
      const body = bodyOf(request);
      try {
        const schedule = stringField(body, 'schedule', 100);
        const jobId = schedule
          ? await requestScheduledExportNow(sequelize, p, schedule)
          : await requestExport(sequelize, p, stringField(body, 'report', 100), manualParams(body));
        startExportJob(sequelize, jobId);
        return { jobId, notice: { message: '导出任务已创建，正在后台运行', type: 'success' } };
      } catch (e) {
        if (e instanceof RangeError) throw new PlatformError(e.message);
        throw e;
      }
    },
  };
}
