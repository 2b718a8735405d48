/**
 * 导出任务: the export jobs of the admin's jurisdiction — report, trigger, status, attempts,
 * duration, file size, error — with the file to download (/admin/files/export-jobs/<id>,
 * through this resource's scope) and 立即运行 (run a report or a schedule now).
 */
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { exportStatus, exportTrigger, options as opts } from '../../src/domain/labels.js';
import { Components } from '../../src/admin/components/index.js';
import { allReports } from '../../src/services/reports/index.js';
import { runExportAction } from '../../actions/run-export.js';
import { exportJobsPolicy } from './policy.js';

const field = { list: Components.ExportJobField, show: Components.ExportJobField };

export const exportJobsResource = ({ ExportJob }: Models) => defineResource({
  policy: exportJobsPolicy,
  model: ExportJob,
  options: {
    navigation: nav.stats,
    sort: { sortBy: 'created_at', direction: 'desc' },
    listProperties: ['id', 'report', 'organisation_id', 'trigger', 'status', 'progress', 'attempts', 'duration', 'file_size', 'file_name', 'error', 'created_at'],
    showProperties: ['id', 'report', 'params', 'organisation_id', 'trigger', 'scheduled_for', 'status', 'attempts',
      'created_at', 'started_at', 'finished_at', 'duration', 'progress', 'row_count', 'file_size', 'file_name', 'error'],
    filterProperties: ['report', 'trigger', 'status', 'organisation_id', 'created_at'],
    actions: { runNow: runExportAction() },
    properties: {
      report: { availableValues: allReports().map((r) => ({ value: r.key, label: r.title })) },
      status: { availableValues: opts(exportStatus) },
      trigger: { availableValues: opts(exportTrigger) },
      organisation_id: { reference: 'organisations' },
      params: { type: 'mixed' },
      duration: { type: 'string', isSortable: false, components: field },
      progress: { type: 'string', isSortable: false, components: field },
      file_size: { components: field },
      file_name: { components: field },
    },
  },
});
