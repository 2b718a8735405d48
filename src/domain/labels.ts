/**
 * Chinese labels (简体中文) for every enumerated value of the schema
 * (src/db/migrations/001-domain-schema.ts), in the terms of the HR administrator's manual.
 *
 * Use `options(labels)` for AdminJS `availableValues`; the admin locale (src/admin/locale.ts)
 * derives its per-resource value labels from these same constants.
 */

export type Labels = Record<string, string>;

/** organisations.kind */
export const organisationKind: Labels = {
  province_hr: '省级人社部门',
  city_hr: '市级人社部门',
  county_hr: '区（县）人社部门',
  unit: '用人单位',
  ce_base: '继续教育基地',
  department: '内设部门',
};

/** accounts.status, persons.status */
export const accountStatus: Labels = {
  pending: '待审核',
  active: '正常',
  rejected: '已驳回',
  disabled: '已停用',
};

/** organisations.status */
export const organisationStatus: Labels = { ...accountStatus };

/** persons.status (same values as an account) */
export const personStatus: Labels = { ...accountStatus };

/** registrations / change_requests / superior_changes / transfers / approval_tasks / training_plans .status */
export const requestStatus: Labels = {
  pending: '待审核',
  approved: '已通过',
  rejected: '已驳回',
  withdrawn: '已撤回',
};

/** hour_declarations.status */
export const hourStatus: Labels = {
  pending_unit: '待单位审核',
  pending: '待审核',
  approved: '已通过',
  rejected: '已驳回',
  withdrawn: '已撤回',
  verification_failed: '审验不通过',
};

/** 计入科目: training_plans.subject_type, hour_declarations.subject_type, learning_forms.subject_types[] */
export const subjectType: Labels = {
  public: '公需科目',
  professional: '专业科目',
};

/** learning_forms.conversion.method: how a learning form turns an activity into hours */
export const conversionMethod: Labels = {
  per_unit: '按单位折算',
  fixed: '固定学时',
  declared: '按申报学时',
  by_option: '按选项折算',
  by_two_options: '按两项折算（级别 × 排名）',
};

/** learning_forms.fields[].type */
export const fieldType: Labels = {
  text: '文字',
  date: '日期',
  number: '数字',
  select: '选择',
  file: '附件',
};

/** 申报方式: hour_declarations.channel */
export const channel: Labels = {
  person: '个人申报',
  ce_base: '继教基地代申报',
  unit: '单位申报',
  hr: '人社部门申报',
};

/** registrations.kind */
export const registrationKind: Labels = {
  unit: '用人单位',
  ce_base: '继续教育基地',
  person: '专业技术人员',
};

/** change_requests.kind */
export const changeKind: Labels = {
  person_title: '专业技术职务变更',
  organisation_info: '机构信息变更',
};

/** training_plans.kind */
export const trainingPlanKind: Labels = {
  annual_plan: '年度培训计划',
  plan_declaration: '培训计划申报',
  work_summary: '年度工作总结',
  unit_plan: '单位培训计划',
  unit_hours: '单位培训学时',
};

/** approval_tasks.side */
export const approvalSide: Labels = {
  source: '调出方',
  target: '调入方',
};

/** approval_tasks.request_type */
export const approvalRequestType: Labels = {
  transfer: '人员调转',
  superior_change: '更换上级部门',
};

/** persons.gender */
export const gender: Labels = {
  M: '男',
  F: '女',
};

/** persons.title_level */
export const titleLevel: Labels = {
  senior: '正高级',
  vice_senior: '副高级',
  intermediate: '中级',
  assistant: '助理级',
  junior: '员级',
};

/** persons.education */
export const education: Labels = {
  doctor: '博士研究生',
  master: '硕士研究生',
  bachelor: '大学本科',
  college: '大学专科',
  secondary: '中专',
  other: '其他',
};

/** export_jobs.status */
export const exportStatus: Labels = {
  queued: '排队中',
  running: '运行中',
  succeeded: '已完成',
  failed: '失败',
};

/** recompute_jobs.status (migration 018) */
export const recomputeStatus: Labels = {
  queued: '排队中',
  running: '重算中',
  done: '已完成',
  failed: '已中止',
  superseded: '已被新任务取代',
};

/** recompute_jobs.kind: which rule of the year asked for it */
export const recomputeKind: Labels = {
  form_rule: '学习形式年度规则',
  requirement: '年度学时要求',
};

/** export_jobs.trigger */
export const exportTrigger: Labels = {
  manual: '手动',
  schedule: '定时',
};

/** audit_log.outcome */
export const auditOutcome: Labels = {
  ok: '成功',
  refused: '已拒绝',
  failed: '失败',
};

/** password_reset_codes.channel (找回密码的验证方式) */
export const resetChannel: Labels = {
  email: '电子邮箱',
  mobile: '手机号',
};

/** 用户类型: the choice on the login page */
export const userType: Labels = {
  hr_admin: '市、区（县）系统管理员',
  unit_admin: '单位管理员',
  ce_base_admin: '继续教育基地管理员',
  person: '专业技术人员',
};

/** 必修/选修: training_plans.compulsory, hour_declarations.compulsory */
export const compulsory: Labels = {
  true: '必修',
  false: '选修',
};

/** Generic yes/no for boolean columns (是否重点审核, 超级管理员, …). */
export const yesNo: Labels = {
  true: '是',
  false: '否',
};

/** person_year_hours.completed */
export const completion: Labels = {
  true: '已完成',
  false: '未完成',
};

export interface LabelOption {
  value: string;
  label: string;
}

/** AdminJS `availableValues` shape, in the declaration order of `labels`. */
export function options(labels: Labels): LabelOption[] {
  return Object.entries(labels).map(([value, label]) => ({ value, label }));
}

/** The Chinese label of `value`, or the value itself when it has none (never throws). */
export function labelOf(labels: Labels, value: unknown): string {
  if (value === null || value === undefined) return '';
  const key = String(value);
  return Object.prototype.hasOwnProperty.call(labels, key) ? (labels[key] as string) : key;
}

/** api_clients.status (接口客户端, issue 19) */
export const apiClientStatus: Labels = { active: '正常', suspended: '已暂停', revoked: '已吊销' };
/** api_callbacks.delivery */
export const apiCallbackDelivery: Labels = { queued: '待发送', delivered: '已送达', failed: '已放弃', cancelled: '已取消' };

/** reminder_figures.scope (年末提醒统计, issue 19.5) */
export const reminderFigureScope: Labels = { province: '全省合计', city: '设区市', direct: '省直单位' };

/** reminder_settings booleans (年末提醒设置) */
export const enabledLabels: Labels = { true: '启用', false: '停用' };
