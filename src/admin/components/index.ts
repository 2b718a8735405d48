/** The panel's own React components, bundled by AdminJS (no CDN): one loader for all. */
import path from 'node:path';
import { ComponentLoader } from 'adminjs';
import { projectRoot } from '../../../config/index.js';

export const componentLoader = new ComponentLoader();
const add = (name: string) => componentLoader.add(name, path.join(projectRoot, 'src/admin/components', `${name}.tsx`));

// The top bar's user menu with 修改密码 (AdminJS's offers only 退出登录).
componentLoader.override('LoggedIn', path.join(projectRoot, 'src/admin/components', 'LoggedIn.tsx'));
// Breadcrumbs that do not name a page twice (the statistics pages are their own menu entries).
componentLoader.override('Breadcrumbs', path.join(projectRoot, 'src/admin/components', 'Breadcrumbs.tsx'));

export const Components = {
  Dashboard: add('Dashboard'),
  /** Confirmation (and, where asked, a reason) before a state-changing record action; POSTs. */
  ConfirmAction: add('ConfirmAction'),
  PermissionTree: add('PermissionTree'),
  /** 新增角色: name, description and the permission tree in one form. */
  RoleForm: add('RoleForm'),
  /** A role's detail: its permissions as the tree. */
  RolePermissions: add('RolePermissions'),
  AssignRoles: add('AssignRoles'),
  AddAdminWizard: add('AddAdminWizard'),
  TransferOut: add('TransferOut'),
  ChangeSuperior: add('ChangeSuperior'),
  RequestChange: add('RequestChange'),
  ChangeDiff: add('ChangeDiff'),
  FileInput: add('FileInput'),
  ReviewList: add('ReviewList'),
  DeclareHours: add('DeclareHours'),
  ImportJob: add('ImportJob'),
  JsonEdit: add('JsonEdit'),
  YearTotals: add('YearTotals'),
  /** 审核要点: what a reviewer must check on a request's detail (its `facts` action). */
  RecordFacts: add('RecordFacts'),
  AttachmentLink: add('AttachmentLink'),
  /** 查询统计 pages: area drill-down, year, table and an ECharts chart (bundled, no CDN). */
  Statistics: add('Statistics'),
  /** 重置密码: confirm, then the one-time password shown once. */
  ResetPassword: add('ResetPassword'),
  /** 导出任务: run a report or a schedule now, watch it, download the file. */
  RunExport: add('RunExport'),
  /** 导出任务's list and detail cells: duration, file size, download link. */
  ExportJobField: add('ExportJobField'),
  LearningDetails: add('LearningDetails'),
  /** 计划内容 of a plan filing: the summary, a course's dates and hours. */
  PlanContent: add('PlanContent'),
  /** 申报类型: only the kinds the filing organisation files. */
  PlanKindSelect: add('PlanKindSelect'),
  /** 审核进度 of a transfer: each side's reviewer, state and date. */
  TransferProgress: add('TransferProgress'),
  /** 证明材料: the proof previewed on a detail (image inline, PDF link) and one click from a review list. */
  EvidencePreview: add('EvidencePreview'),
  /** 学习形式目录: fields (the date that decides the year), the conversion table and whether Shandong confirmed it. */
  LearningFormRules: add('LearningFormRules'),
  /** 电子证书: print one (a row, or by ID number and year) or a unit's batch; downloads the PDF. */
  CertificatePrint: add('CertificatePrint'),
  /** 学时证明 of a transfer: its number, a link to its PDF. */
  HourProofLink: add('HourProofLink'),
  /** 接口客户端: register one (form, then its credentials shown once), rotate / suspend / resume / revoke. */
  ApiClientSecret: add('ApiClientSecret'),
  /** 提醒设置: a person's own choice of year-end reminder channels (e-mail, SMS). */
  ReminderOptions: add('ReminderOptions'),
  /** 导出 of any list: rows and columns of the list as it stands, a download or an export job, 保存为报表. */
  ListExport: add('ListExport'),
  /** 定时导出: the next three run times of a cron expression, before saving. */
  CronPreview: add('CronPreview'),
  /** 定时导出's run history (due, started, finished, rows, file, error, attempts) and 立即运行. */
  ScheduleRuns: add('ScheduleRuns'),
  /** 定时导出's recipients: the organisation's admins, by name. */
  ScheduleRecipients: add('ScheduleRecipients'),
  /** An array property as its values' labels (公需科目、专业科目), not AdminJS's 「长度: 2」. */
  ValueList: add('ValueList'),
};
