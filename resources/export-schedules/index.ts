/**
 * 定时导出管理 (issue 20, items 3–4): an organisation's schedules of saved or built-in reports,
 * made in the panel by admins holding the permission — preset or cron (next three runs shown
 * before saving), area, year parameter, recipients — with each schedule's run history and
 * 立即运行, 暂停 and 恢复. 导出通知: the recipient's "your export is ready" notices.
 */
import type { ActionContext, ActionRequest } from 'adminjs';
import { QueryTypes } from 'sequelize';
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { Components } from '../../src/admin/components/index.js';
import { principalOf } from '../../src/admin/scoped-resource.js';
import { allReports } from '../../src/services/reports/index.js';
import { holds } from '../../src/access/policy.js';
import { PRESETS } from '../../src/services/exports/cron.js';
import {
  checkSchedule, pauseSchedule, previewRuns, runAndNotify, runScheduleNow, runSpecOf, type ScheduleRow,
} from '../../src/services/exports/schedules.js';
import { asPlatform } from '../../src/access/context.js';
import { audit } from '../../src/services/audit.js';
import { nextRuns } from '../../src/services/exports/cron.js';
import { PlatformError } from '../../src/domain/errors.js';
import { isPost, sequelizeOf, bodyOf } from '../../actions/request-data.js';
import { exportNoticesPolicy, exportSchedulesPolicy } from './policy.js';

const PRESET_OPTIONS = [...Object.entries(PRESETS).map(([value, p]) => ({ value, label: p.label })), { value: 'cron', label: '自定义（cron 表达式）' }];
const YEAR_OPTIONS = [{ value: 'current', label: '本年度' }, { value: 'previous', label: '上一年度' }];
const STATUS_OPTIONS = [{ value: 'active', label: '启用' }, { value: 'paused', label: '已暂停' }];

export const exportSchedulesResource = ({ ExportSchedule }: Models) => defineResource({
  policy: exportSchedulesPolicy,
  model: ExportSchedule,
  scoped: {
    prepareCreate: (values, p, transaction) => checkSchedule(ExportSchedule.sequelize!, p, values, transaction),
    prepareUpdate: async (values, current, p, transaction) => {
      const { organisation_id, org_path, ...checked } = await checkSchedule(ExportSchedule.sequelize!, p, values, transaction, current);
      void organisation_id; void org_path;
      return checked;
    },
  },
  options: {
    navigation: nav.stats,
    sort: { sortBy: 'id', direction: 'desc' },
    listProperties: ['name', 'report', 'saved_report_id', 'area_id', 'preset', 'cron', 'year_param', 'status', 'next_run_at'],
    showProperties: ['name', 'report', 'saved_report_id', 'area_id', 'preset', 'cron', 'year_param', 'recipients', 'status', 'paused_reason', 'next_run_at', 'created_by', 'created_at', 'runs'],
    editProperties: ['name', 'report', 'saved_report_id', 'area_id', 'preset', 'cron', 'year_param', 'recipients'],
    filterProperties: ['name', 'status', 'report'],
    properties: {
      report: { availableValues: allReports().filter((r) => !r.allowed).map((r) => ({ value: r.key, label: r.title })), props: { inputId: 'report' } },
      // inputId: the picker's input is addressable (labels, keyboard users, the browser journey).
      saved_report_id: { reference: 'saved_reports', props: { inputId: 'saved_report_id' } },
      area_id: { reference: 'organisations', props: { inputId: 'area_id' } },
      preset: { availableValues: PRESET_OPTIONS, props: { inputId: 'preset' } },
      cron: { components: { edit: Components.CronPreview } },
      year_param: { availableValues: YEAR_OPTIONS, props: { inputId: 'year_param' } },
      status: { availableValues: STATUS_OPTIONS },
      recipients: { type: 'number', isArray: true, components: { edit: Components.ScheduleRecipients, show: Components.ScheduleRecipients, list: Components.ScheduleRecipients } },
      created_by: { reference: 'accounts' },
      next_run_at: { type: 'datetime' },
      runs: { isVisible: { list: false, show: true, edit: false, filter: false }, components: { show: Components.ScheduleRuns } },
    },
    actions: {
      // The form's helpers: next three runs of a preset or cron expression; the organisation's admins (recipients).
      previewCron: {
        actionType: 'resource', isVisible: false, component: false,
        async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
          const p = principalOf(context);
          const q = (request.query ?? {}) as Record<string, unknown>;
          const admins = await ExportSchedule.sequelize!.query<{ id: number; name: string }>(
            `SELECT ad.id, a.name FROM admins ad JOIN accounts a ON a.id = ad.account_id
              WHERE ad.organisation_id = :org AND a.status = 'active' ORDER BY a.name`,
            { replacements: { org: p.organisationId }, type: QueryTypes.SELECT });
          try {
            return { ...previewRuns(q.preset, q.cron), admins };
          } catch (e) {
            return { error: (e as Error).message, runs: [], admins };
          }
        },
      },
      // 运行记录 (run history) and 立即运行.
      runs: {
        actionType: 'record', isVisible: false, component: false,
        async handler(_request: ActionRequest, _res: unknown, context: ActionContext) {
          const id = Number(context.record!.id());
          const runs = await sequelizeOf(context).query(
            `SELECT id, trigger, scheduled_for, created_at, started_at, finished_at, status, row_count, progress_rows, total_rows, attempts, error, file_size
               FROM export_jobs WHERE schedule_id = :id ORDER BY created_at DESC, id DESC LIMIT 50`,
            { replacements: { id }, type: QueryTypes.SELECT });
          return { record: context.record!.toJSON(context.currentAdmin), runs, mayRun: holds(principalOf(context), 'stats.schedules:run') };
        },
      },
      runSchedule: {
        actionType: 'record', icon: 'Play', component: Components.ConfirmAction, custom: { confirm: '以本机构的系统身份立即运行该定时导出，完成后通知收件人。确定运行吗？', reason: false, submit: '立即运行' },
        async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
          const record = context.record!;
          if (!isPost(request)) return { record: record.toJSON(context.currentAdmin) };
          const sequelize = sequelizeOf(context);
          const jobId = await runScheduleNow(sequelize, principalOf(context), Number(record.id()));
          void runAndNotify(sequelize, jobId).catch((e) => console.error(`导出任务 ${jobId} 异常：`, e));
          void bodyOf(request);
          return { record: record.toJSON(context.currentAdmin), jobId, notice: { message: `已开始运行（导出任务 ${jobId}），完成后通知收件人`, type: 'success' } };
        },
      },
      pause: {
        actionType: 'record', icon: 'Pause', component: Components.ConfirmAction, custom: { confirm: '暂停后不再按时运行，可随时恢复。确定暂停吗？', reason: false, submit: '暂停' },
        isVisible: ({ record }: ActionContext) => record?.params?.status === 'active',
        async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
          const record = context.record!;
          if (!isPost(request)) return { record: record.toJSON(context.currentAdmin) };
          const p = principalOf(context);
          await pauseSchedule(sequelizeOf(context), Number(record.id()), `由 ${p.name} 暂停`, p);
          return { record: record.toJSON(context.currentAdmin), redirectUrl: `/admin/resources/export_schedules/records/${record.id()}/show`, notice: { message: '已暂停', type: 'success' } };
        },
      },
      resume: {
        actionType: 'record', icon: 'Play', component: Components.ConfirmAction, custom: { confirm: '恢复后按计划继续运行。确定恢复吗？', reason: false, submit: '恢复' },
        isVisible: ({ record }: ActionContext) => record?.params?.status === 'paused',
        async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
          const record = context.record!;
          if (!isPost(request)) return { record: record.toJSON(context.currentAdmin) };
          const p = principalOf(context);
          const sequelize = sequelizeOf(context);
          const id = Number(record.id());
          const [s] = await sequelize.query<ScheduleRow>('SELECT * FROM export_schedules WHERE id = :id AND organisation_id = :org', { replacements: { id, org: p.organisationId }, type: QueryTypes.SELECT });
          // Still runnable? (its report, the organisation's rights, the area)
          try { await asPlatform('定时导出', () => runSpecOf(sequelize, s, new Date())); } catch (e) {
            if (e instanceof PlatformError) throw new PlatformError(`无法恢复：${e.message}`);
            throw e;
          }
          await sequelize.query(`UPDATE export_schedules SET status = 'active', paused_reason = NULL, next_run_at = :next, updated_at = now() WHERE id = :id AND organisation_id = :org`,
            { replacements: { id, org: p.organisationId, next: nextRuns(s.cron, new Date(), 1)[0] ?? null } });
          await audit({ actor: p, action: 'resume', resource: 'export_schedules', recordId: id });
          return { record: record.toJSON(context.currentAdmin), redirectUrl: `/admin/resources/export_schedules/records/${id}/show`, notice: { message: '已恢复', type: 'success' } };
        },
      },
    },
  },
});

export const exportNoticesResource = ({ ExportNotice }: Models) => defineResource({
  policy: exportNoticesPolicy,
  model: ExportNotice,
  options: {
    navigation: nav.stats,
    sort: { sortBy: 'created_at', direction: 'desc' },
    listProperties: ['title', 'job_id', 'created_at'],
    showProperties: ['title', 'link', 'job_id', 'schedule_id', 'created_at'],
    filterProperties: ['title', 'created_at'],
    properties: {
      job_id: { reference: 'export_jobs' },
      schedule_id: { reference: 'export_schedules' },
    },
  },
});
