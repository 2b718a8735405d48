/**
 * The admin panel's only language: Simplified Chinese (简体中文), in the terms of the
 * HR administrator's manual (summarised in docs/manual.md).
 *
 * This is the FULL translation tree: every key of AdminJS's bundled `en` translation has a
 * Chinese value here (the bundled zh-CN lacks several and words others poorly), so nothing
 * falls back to English.
 *
 * How AdminJS 7 looks keys up (lib/utils/translate-functions.factory.js): for a call with a
 * resource id it tries `resources.<resourceId>.<namespace>.<name>` first, then
 * `<namespace>.<name>`, and finally lodash `startCase(name)` (English-looking). Hence:
 *  - a resource's name in the sidebar / breadcrumbs is `translateLabel(resource.name, resource.id)`
 *    where `resource.name === resource.id` → `resources.<id>.labels.<id>` (and `labels.<id>`);
 *  - a column's label is `translateProperty(path, resourceId)` → `resources.<id>.properties.<path>`;
 *  - enum / boolean values in edit forms, filters and boolean badges use
 *    `translateLabel('<path>.<value>', resourceId)` → `resources.<id>.labels.<path>.<value>`
 *    (booleans would otherwise read "Yes" / "No");
 *  - navigation group names are `translateLabel(navigation.name)` → `labels.<name>`.
 */
import type { Locale, LocaleTranslations, LocaleTranslationsBlock } from 'adminjs';
import * as L from '../domain/labels.js';

type Dict = Record<string, string>;
type Tree = { [key: string]: string | Tree };

export const PLATFORM_NAME = '山东省专业技术人员继续教育公共服务平台';

// ---------------------------------------------------------------------------------------------
// Column labels per table (every column of src/db/migrations/001-domain-schema.ts)
// ---------------------------------------------------------------------------------------------

const stamps = { created_at: '创建时间', updated_at: '更新时间' } as const;
const decision = {
  status: '审核状态',
  reason: '审核意见',
  decided_by: '审核人',
  decided_at: '审核时间',
} as const;

export const columnLabels = {
  organisations: {
    id: '编号',
    parent_id: '上级部门',
    kind: '机构类型',
    name: '机构名称',
    region_code: '行政区划代码',
    credit_code: '统一社会信用代码',
    path: '机构路径',
    depth: '层级',
    contact_name: '联系人',
    mobile: '手机号',
    phone: '固定电话',
    email: '电子邮箱',
    address: '地址',
    status: '状态',
    version: '版本',
    ...stamps,
  },
  accounts: {
    id: '编号',
    id_number: '证件号（身份证号）',
    name: '姓名',
    mobile: '手机号',
    email: '电子邮箱',
    phone: '固定电话',
    status: '账号状态',
    must_change_password: '下次登录须修改密码',
    failed_logins: '连续登录失败次数',
    locked_until: '锁定至',
    password_changed_at: '密码修改时间',
    version: '版本',
    ...stamps,
  },
  admins: {
    id: '编号',
    account_id: '账号',
    organisation_id: '所属机构',
    org_path: '管辖路径',
    department_id: '工作部门',
    is_super: '超级管理员',
    ...stamps,
  },
  permissions: {
    code: '权限编码',
    module: '功能模块',
    label: '权限名称',
    sort: '排序',
  },
  roles: {
    id: '编号',
    organisation_id: '所属机构',
    org_path: '管辖路径',
    name: '角色名称',
    description: '角色描述',
    builtin: '系统内置',
    ...stamps,
  },
  role_permissions: {
    role_id: '角色',
    permission_code: '权限',
  },
  admin_roles: {
    admin_id: '管理员',
    role_id: '角色',
  },
  persons: {
    id: '编号',
    account_id: '登录账号',
    id_number: '证件号（身份证号）',
    name: '姓名',
    gender: '性别',
    birth_date: '出生日期',
    unit_id: '所在单位',
    org_path: '管辖路径',
    title_series: '专业技术职务系列',
    title_level: '职称级别',
    title: '专业技术职务任职资格',
    education: '学历',
    mobile: '手机号',
    email: '电子邮箱',
    status: '状态',
    version: '版本',
    remind_email: '接收邮件提醒',
    remind_sms: '接收短信提醒',
    ...stamps,
  },
  registrations: {
    id: '编号',
    kind: '注册类型',
    organisation_id: '注册机构',
    person_id: '专技人员',
    superior_id: '上级人社部门',
    org_path: '管辖路径',
    applicant_name: '申请人',
    licence_kind: '营业执照（登记证书）',
    licence_name: '营业执照文件',
    ...decision,
    created_at: '申请时间',
    updated_at: '更新时间',
  },
  change_requests: {
    id: '编号',
    kind: '变更类型',
    person_id: '专技人员',
    organisation_id: '所属机构',
    org_path: '管辖路径',
    old_values: '变更前信息',
    new_values: '变更后信息',
    evidence: '证明材料说明',
    evidence_kind: '证明材料',
    evidence_name: '证明材料文件',
    ...decision,
    created_at: '申请时间',
    updated_at: '更新时间',
  },
  superior_changes: {
    id: '编号',
    organisation_id: '申请机构',
    from_superior_id: '原上级部门',
    to_superior_id: '新上级部门',
    reason_for_change: '变更原因',
    status: '审核状态',
    created_at: '申请时间',
    updated_at: '更新时间',
  },
  transfers: {
    id: '编号',
    person_id: '姓名',
    from_unit_id: '原单位',
    to_unit_id: '调入单位',
    from_path: '调出方管辖路径',
    to_path: '调入方管辖路径',
    reason_for_transfer: '调转原因',
    status: '处理结果',
    requested_by: '发起人',
    // Added to each record by the transfers' list and show (src/workflow/transfer-records.ts).
    id_number: '证件号',
    title_series: '职务系列',
    title: '任职资格',
    direction: '调转方向',
    progress: '审核进度',
    hour_proof: '学时证明',
    hour_proof_url: '学时证明下载地址',
    created_at: '申请时间',
    updated_at: '更新时间',
  },
  approval_tasks: {
    id: '编号',
    request_type: '申请类型',
    request_id: '申请编号',
    side: '审核方',
    organisation_id: '审核机构',
    org_path: '管辖路径',
    ...decision,
    created_at: '提交时间',
  },
  training_plans: {
    id: '编号',
    kind: '计划类型',
    organisation_id: '申报单位（机构）',
    org_path: '管辖路径',
    year: '培训年度',
    title: '名称',
    subject_type: '计入科目',
    compulsory: '必修/选修',
    content: '计划内容',
    attachment_name: '附件名称',
    attachment: '附件',
    ...decision,
    created_at: '申报时间',
    updated_at: '更新时间',
  },
  learning_forms: {
    id: '编号',
    code: '编码',
    name: '学习形式名称',
    subject_types: '适用科目',
    fields: '录入项',
    conversion: '学时折算规则',
    cap_per_activity: '单次学时上限',
    cap_per_year: '年度学时上限',
    evidence: '证明材料要求',
    key_review: '是否重点审核',
    bulk_import: '支持批量导入',
    active: '是否启用',
    sort: '排序',
    ...stamps,
  },
  hour_declarations: {
    id: '编号',
    person_id: '姓名',
    unit_id: '所在单位',
    org_path: '管辖路径',
    year: '认定年度',
    subject_type: '计入科目',
    compulsory: '必修/选修',
    learning_form_id: '学习形式',
    channel: '申报方式',
    ce_base_id: '继续教育基地',
    declared_by: '申报人',
    activity_name: '培训班/活动名称',
    details: '学习信息',
    declared_hours: '申报学时',
    approved_hours: '认定学时',
    key_review: '是否重点审核',
    evidence_kind: '证明材料',
    evidence_name: '证明材料文件',
    ...decision,
    verification_reason: '审验不通过原因',
    verified_by: '审验人',
    verified_at: '审验时间',
    created_at: '申报时间',
    updated_at: '更新时间',
    source: '来源',
    api_client_id: '接口客户端',
    external_id: '报送方记录编号',
  },
  person_year_hours: {
    person_id: '姓名',
    year: '年度',
    org_path: '管辖路径',
    public_hours: '公需科目学时',
    professional_hours: '专业科目学时',
    total_hours: '总学时',
    completed: '是否完成',
    updated_at: '更新时间',
  },
  certificates: {
    id: '编号',
    number: '证书编号',
    person_id: '姓名',
    org_path: '管辖路径',
    year: '年度',
    total_hours: '总学时',
    public_hours: '公需科目学时',
    professional_hours: '专业科目学时',
    issued_by: '发证人',
    issuer_org_id: '发证机构',
    issuer_name: '发证机构名称',
    issued_at: '发证时间',
  },
  certificate_years: {
    id: '编号',
    person_id: '专技人员',
    year: '认定年度',
    org_path: '管辖路径',
    name: '姓名',
    id_number: '身份证号',
    unit_id: '所在单位',
    public_hours: '公需科目学时',
    professional_hours: '专业科目学时',
    total_hours: '总学时',
    completed: '是否完成',
    certificate_number: '证书编号',
    issued_at: '发证时间',
  },
  export_jobs: {
    id: '编号',
    report: '报表名称',
    params: '查询条件',
    organisation_id: '所属机构',
    org_path: '管辖路径',
    requested_by: '申请人',
    trigger: '触发方式',
    status: '状态',
    attempts: '尝试次数',
    started_at: '开始时间',
    finished_at: '完成时间',
    file_name: '文件',
    file_size: '文件大小',
    file: '文件',
    error: '错误信息',
    created_at: '创建时间',
    schedule_key: '定时导出',
    scheduled_for: '计划运行时间',
    row_count: '行数',
    contains_full_id: '含完整证件号',
    duration: '用时',
    progress_rows: '已写入行数',
    progress: '进度',
    total_rows: '总行数',
    schedule_id: '定时导出',
  },
  saved_reports: {
    id: '编号',
    organisation_id: '所属机构',
    org_path: '管辖路径',
    owner_id: '创建人',
    name: '报表名称',
    kind: '类型',
    resource: '列表',
    report: '内置报表',
    params: '查询条件',
    version: '版本',
    ...stamps,
  },
  export_schedules: {
    id: '编号',
    organisation_id: '所属机构',
    org_path: '管辖路径',
    created_by: '创建人',
    name: '名称',
    report: '内置报表',
    saved_report_id: '保存的报表',
    area_id: '地区',
    preset: '运行频率',
    cron: '定时规则（分 时 日 月 周）',
    year_param: '年度',
    recipients: '收件人',
    status: '状态',
    paused_reason: '暂停原因',
    next_run_at: '下次运行时间',
    seed_key: '配置来源',
    version: '版本',
    runs: '运行记录',
    ...stamps,
  },
  export_notices: {
    id: '编号',
    account_id: '收件人',
    org_path: '管辖路径',
    job_id: '导出任务',
    schedule_id: '定时导出',
    title: '通知',
    link: '链接',
    read_at: '已读时间',
    created_at: '通知时间',
  },
  audit_log: {
    id: '编号',
    at: '操作时间',
    actor_id: '操作人编号',
    actor_name: '操作人',
    org_path: '管辖路径',
    action: '操作',
    resource: '操作对象',
    record_id: '记录编号',
    outcome: '结果',
    before: '操作前',
    after: '操作后',
    reason: '原因',
    ip: 'IP 地址',
  },
  password_reset_codes: {
    id: '编号',
    account_id: '账号',
    channel: '验证方式',
    expires_at: '过期时间',
    attempts: '尝试次数',
    used_at: '使用时间',
    created_at: '创建时间',
  },
  notification_outbox: {
    id: '编号',
    channel: '发送渠道',
    recipient: '接收人',
    subject: '主题',
    body: '内容',
    created_at: '创建时间',
  },
  session: {
    sid: '会话编号',
    sess: '会话数据',
    expire: '过期时间',
  },
  app_settings: {
    key: '配置项',
    value: '配置值',
  },
  yearly_requirements: {
    id: '编号',
    effective_year: '自何年度起生效',
    region_code: '适用地区（行政区划代码，空为全省）',
    total_hours: '总学时',
    public_hours: '公需科目学时',
    professional_hours: '专业科目学时',
    source: '依据',
    created_by: '录入人',
    created_at: '录入时间',
  },
  learning_form_rules: {
    id: '编号',
    learning_form_id: '学习形式',
    effective_year: '自何年度起生效',
    cap_per_activity: '单次学时上限',
    cap_per_year: '年度学时上限',
    conversion: '学时折算规则',
    source: '依据',
    created_by: '录入人',
    created_at: '录入时间',
  },
  recompute_jobs: {
    id: '编号',
    kind: '规则类型',
    rule_id: '规则编号',
    learning_form_id: '学习形式',
    from_year: '起算年度',
    // Short: the list's header must fit 1366 px (an empty code is the province's rule, as the rule's own page says).
    region_code: '适用地区代码',
    org_path: '管辖路径',
    status: '状态',
    total: '需重算的人员年度数',
    done_count: '已重算的人员年度数',
    cursor_person_id: '已重算到的人员编号',
    attempts: '运行次数',
    error: '说明',
    superseded_by: '取代它的任务',
    claimed_by: '处理进程',
    run_after: '最早运行时间',
    heartbeat_at: '最近心跳',
    created_by: '发起人',
    created_at: '创建时间',
    started_at: '开始时间',
    finished_at: '完成时间',
    progress: '进度',
  },
  key_review_rules: {
    id: '编号',
    effective_year: '自何年度起生效',
    above_hours: '单次申报超过此学时即重点审核',
    source: '依据',
    created_by: '录入人',
    created_at: '录入时间',
  },
  api_clients: {
    id: '编号',
    name: '客户端名称',
    organisation_id: '所属机构',
    org_path: '管辖路径',
    key_id: '密钥标识',
    secret_hash: '密钥摘要',
    scopes: '权限范围',
    allowed_addresses: '允许访问地址',
    rate_limit_per_minute: '每分钟调用上限',
    status: '状态',
    created_by: '登记人',
    secret_rotated_at: '密钥生成时间',
    last_used_at: '最近调用时间',
    last_used_ip: '最近调用地址',
    callback_url: '回调地址',
    ...stamps,
  },
  api_callbacks: {
    id: '事件编号',
    api_client_id: '接口客户端',
    org_path: '管辖路径',
    declaration_id: '学时记录',
    external_id: '报送方记录编号',
    event: '事件',
    status: '审核结果',
    declared_hours: '申报学时',
    approved_hours: '认定学时',
    reason: '原因',
    decided_at: '审核时间',
    changed_at: '状态变更时间',
    delivery: '发送状态',
    attempts: '已尝试次数',
    next_attempt_at: '下次发送时间',
    lease_until: '发送锁定至',
    last_status_code: '对方响应码',
    last_error: '最近错误',
    delivered_at: '送达时间',
    created_at: '生成时间',
  },
  hours_reads: {
    id: '编号',
    person_id: '姓名',
    org_path: '管辖路径',
    api_client_id: '接口客户端',
    client_name: '查阅方',
    organisation_name: '查阅机构',
    from_year: '起始年度',
    to_year: '截止年度',
    ip: 'IP 地址',
    at: '查阅时间',
  },
  reminder_settings: {
    id: '编号',
    enabled: '年末提醒',
    start_month: '每年起始月份',
    start_day: '起始日',
    interval_days: '同一人员两次提醒间隔（天）',
    email_enabled: '电子邮件提醒',
    sms_enabled: '短信提醒',
    digest_enabled: '单位管理员汇总邮件',
    updated_by: '修改人',
    updated_at: '修改时间',
  },
  reminder_figures: {
    id: '编号',
    run_id: '运行批次',
    due_date: '提醒日期',
    year: '年度',
    scope: '统计范围',
    city_id: '设区市',
    at_risk: '未达标人数',
    reminded: '已提醒人数',
    failed: '发送失败人数',
    not_sent: '未发送人数（退订或无联系方式）',
    completed_since: '提醒后已完成人数',
  },
} as const satisfies Record<string, Dict>;

export type TableName = keyof typeof columnLabels;

/** Labels of enumerated / boolean values, per table and column (edit forms, filters, badges). */
const valueLabels: Partial<Record<TableName, Record<string, L.Labels>>> = {
  organisations: { kind: L.organisationKind, status: L.organisationStatus },
  accounts: { status: L.accountStatus, must_change_password: L.yesNo },
  admins: { is_super: L.yesNo },
  roles: { builtin: L.yesNo },
  persons: {
    gender: L.gender,
    title_level: L.titleLevel,
    education: L.education,
    status: L.personStatus,
    remind_email: L.yesNo,
    remind_sms: L.yesNo,
  },
  registrations: { kind: L.registrationKind, status: L.requestStatus },
  change_requests: { kind: L.changeKind, status: L.requestStatus },
  superior_changes: { status: L.requestStatus },
  transfers: { status: L.requestStatus },
  approval_tasks: {
    request_type: L.approvalRequestType,
    side: L.approvalSide,
    status: L.requestStatus,
  },
  training_plans: {
    kind: L.trainingPlanKind,
    subject_type: L.subjectType,
    compulsory: L.compulsory,
    status: L.requestStatus,
  },
  learning_forms: {
    subject_types: L.subjectType,
    key_review: L.yesNo,
    bulk_import: L.yesNo,
    active: L.yesNo,
  },
  hour_declarations: {
    subject_type: L.subjectType,
    compulsory: L.compulsory,
    channel: L.channel,
    key_review: L.yesNo,
    status: L.hourStatus,
  },
  person_year_hours: { completed: L.completion },
  certificate_years: { completed: L.completion },
  export_jobs: { trigger: L.exportTrigger, status: L.exportStatus },
  recompute_jobs: { kind: L.recomputeKind, status: L.recomputeStatus },
  audit_log: { outcome: L.auditOutcome },
  api_clients: { status: L.apiClientStatus },
  api_callbacks: { delivery: L.apiCallbackDelivery, status: L.hourStatus, event: { 'hour_declaration.decided': '学时审核结果' } },
  reminder_settings: { enabled: L.enabledLabels, email_enabled: L.enabledLabels, sms_enabled: L.enabledLabels, digest_enabled: L.enabledLabels },
  reminder_figures: { scope: L.reminderFigureScope },
  password_reset_codes: { channel: L.resetChannel },
};

// ---------------------------------------------------------------------------------------------
// Resources: id → table, name in the navigation, column overrides, action overrides
// ---------------------------------------------------------------------------------------------

interface ResourceSpec {
  table: TableName;
  label: string;
  properties?: Dict;
  actions?: Dict;
  messages?: Dict;
}

const hourReviewColumns: Dict = {
  year: '认定年度',
  subject_type: '科目类型',
  unit_id: '所在单位',
  ce_base_id: '继续教育基地',
  activity_name: '培训班名称',
  status: '审核状态',
  created_at: '申报时间',
};

export const resourceSpecs = {
  organisations: {
    table: 'organisations',
    label: '下属机构',
    properties: { parent_id: '上级部门', name: '机构名称' },
  },
  departments: {
    table: 'organisations',
    label: '内设部门',
    properties: {
      parent_id: '所属机构',
      kind: '类型',
      name: '部门名称',
      phone: '部门电话',
      contact_name: '负责人',
    },
    actions: { new: '添加部门' },
  },
  my_organisation: {
    table: 'organisations',
    label: '基本信息',
    properties: { credit_code: '组织机构代码/统一社会信用代码', parent_id: '上级部门' },
    actions: { edit: '修改单位信息' },
  },
  admins: {
    table: 'admins',
    label: '管理员',
    properties: { account_id: '管理员账号' },
    actions: { new: '新增管理员' },
  },
  roles: {
    table: 'roles',
    label: '角色',
    properties: { permissions: '权限' },
    actions: { new: '新增角色', permissionTree: '权限设置' },
  },
  persons: {
    table: 'persons',
    label: '专技人员信息',
    properties: { year_totals: '年度学时', completion: '年度完成情况' },
  },
  registrations: {
    table: 'registrations',
    label: '注册审核',
    properties: { facts: '审核要点' },
    actions: { facts: '审核要点' },
  },
  change_requests: {
    table: 'change_requests',
    label: '变更审核',
  },
  superior_changes: {
    table: 'superior_changes',
    label: '更换上级部门',
    actions: { new: '更换上级部门' },
  },
  transfers: {
    table: 'transfers',
    label: '调转记录',
    actions: { new: '发起调出' },
  },
  transfer_out_reviews: {
    table: 'approval_tasks',
    label: '人员调出审核',
    properties: { request_id: '调转申请', organisation_id: '审核机构（调出方）', id_number: '证件号', title_series: '职务系列', title: '任职资格', progress: '审核进度', hour_proof: '学时证明', hour_proof_url: '学时证明下载地址' },
  },
  transfer_in_reviews: {
    table: 'approval_tasks',
    label: '人员调入审核',
    properties: { request_id: '调转申请', organisation_id: '审核机构（调入方）', id_number: '证件号', title_series: '职务系列', title: '任职资格', progress: '审核进度', hour_proof: '学时证明', hour_proof_url: '学时证明下载地址' },
    actions: { approve: '确认调转', bulkApprove: '批量确认调转' },
  },
  superior_change_reviews: {
    table: 'approval_tasks',
    label: '上级部门变更审核',
    properties: { request_id: '变更申请', side: '审核方（原/新上级部门）' },
  },
  annual_plan_reviews: {
    table: 'training_plans',
    label: '审核继教机构年度培训计划',
    properties: { title: '培训班名称', organisation_id: '所在单位', year: '培训年度', subject_type: '计入科目', created_at: '申报时间' },
  },
  plan_declaration_reviews: {
    table: 'training_plans',
    label: '审核培训计划申报',
    properties: { title: '培训班名称', organisation_id: '所在单位', year: '培训年度', subject_type: '计入科目', created_at: '申报时间' },
  },
  work_summary_reviews: {
    table: 'training_plans',
    label: '审核继教机构年度工作总结',
    properties: { title: '培训班名称', organisation_id: '所在单位', year: '培训年度', subject_type: '计入科目', created_at: '申报时间' },
  },
  unit_plan_reviews: {
    table: 'training_plans',
    label: '单位培训计划审核',
    properties: { title: '培训班名称', organisation_id: '所在单位', year: '培训年度', subject_type: '计入科目', created_at: '申报时间' },
  },
  unit_hours_reviews: {
    table: 'training_plans',
    label: '单位培训学时审核',
    properties: { title: '培训班名称', organisation_id: '所在单位', year: '培训年度', subject_type: '计入科目', created_at: '申报时间' },
  },
  ce_base_hour_reviews: {
    table: 'hour_declarations',
    label: '继教基地学时（分）审核',
    properties: { ce_base_id: '代申报基地', activity_name: '培训班名称', year: '继续教育年度', unit_id: '所属单位', status: '申报状态', declared_hours: '学时', created_at: '申报时间' },
  },
  unit_first_reviews: {
    table: 'hour_declarations',
    label: '学时（分）初审',
    properties: { year: '认定年度', declared_hours: '申报学时', status: '审核状态', created_at: '申报时间' },
  },
  sessions: {
    table: 'accounts',
    label: '在线会话',
    properties: { sid: '会话', account_id: '管理员', login_at: '登录时间', expire: '过期时间' },
  },
  plan_filings: {
    table: 'training_plans',
    label: '培训计划申报',
    properties: { title: '名称（培训班名称）', start_date: '开始日期', end_date: '结束日期', hours: '学时', summary: '内容摘要', attachment: '附件', content: '申报内容' },
  },
  training_plans: {
    table: 'training_plans',
    label: '培训计划审核',
  },
  learning_forms: {
    table: 'learning_forms',
    label: '学习形式',
    properties: { subject_types_json: '适用科目（配置）', fields_json: '录入项（配置）', conversion_json: '学时折算规则（配置）' },
  },
  hour_declarations: {
    table: 'hour_declarations',
    label: '学时申报记录',
    properties: { status: '认定结果' },
    actions: { new: '学时（分）申报' },
  },
  hour_reviews: {
    table: 'hour_declarations',
    label: '学时（分）审核',
    properties: hourReviewColumns,
  },
  hour_verifications: {
    table: 'hour_declarations',
    label: '学时审验',
    properties: { unit_id: '单位', subject_type: '科目类型', status: '状态' },
  },
  person_year_hours: {
    table: 'person_year_hours',
    label: '年度学时汇总',
  },
  certificates: {
    table: 'certificates',
    label: '已发电子证书',
  },
  certificate_years: {
    table: 'certificate_years',
    label: '电子证书查询打印',
    actions: { printCertificate: '打印证书', printByIdNumber: '按身份证号打印', printBatch: '按单位批量打印' },
  },
  export_jobs: {
    table: 'export_jobs',
    label: '导出任务',
  },
  saved_reports: {
    table: 'saved_reports',
    label: '保存的报表',
    properties: { area_id: '统计区域', year_param: '年度' },
    actions: { runSaved: '立即运行' },
  },
  export_schedules: {
    table: 'export_schedules',
    label: '定时导出管理',
    actions: { runSchedule: '立即运行', pause: '暂停', resume: '恢复', new: '新增定时导出', previewCron: '预览运行时间', runs: '运行记录' },
  },
  export_notices: {
    table: 'export_notices',
    label: '导出通知',
  },
  audit_log: {
    table: 'audit_log',
    label: '审计日志',
  },
  api_clients: {
    table: 'api_clients',
    label: '接口客户端',
    actions: { register: '登记客户端', rotate: '更换密钥', suspend: '暂停', resume: '恢复', revoke: '吊销', setCallback: '设置回调地址' },
  },
  api_callbacks: {
    table: 'api_callbacks',
    label: '接口回调记录',
    actions: { resend: '重新发送' },
  },
  hours_reads: {
    table: 'hours_reads',
    label: '学时查阅记录',
  },
  reminder_settings: {
    table: 'reminder_settings',
    label: '年末提醒设置',
  },
  reminder_figures: {
    table: 'reminder_figures',
    label: '年末提醒统计',
  },
  accounts: {
    table: 'accounts',
    label: '账号',
  },
  statistics_overview: {
    table: 'organisations',
    label: '继教综合统计查询',
  },
  statistics_completion: {
    table: 'organisations',
    label: '继教完成情况查询',
  },
  statistics_series: {
    table: 'organisations',
    label: '职称系列分布查询',
  },
  yearly_requirements: {
    table: 'yearly_requirements',
    label: '年度学时要求',
    actions: { new: '新增年度学时要求' },
    messages: { successfullyCreated: '已保存。受影响的年度学时汇总正在后台重算，进度见“系统管理 → 重算任务”' },
  },
  recompute_jobs: {
    table: 'recompute_jobs',
    label: '重算任务',
  },
  learning_form_rules: {
    table: 'learning_form_rules',
    label: '学习形式年度规则',
    properties: { conversion_json: '学时折算规则（留空则沿用该学习形式的现行规则）' },
    actions: { new: '新增学习形式年度规则' },
    messages: { successfullyCreated: '已保存。受影响的年度学时汇总正在后台重算，进度见“系统管理 → 重算任务”' },
  },
  key_review_rules: {
    table: 'key_review_rules',
    label: '重点审核规则',
    actions: { new: '新增重点审核规则' },
  },
} as const satisfies Record<string, ResourceSpec>;

export type ResourceId = keyof typeof resourceSpecs;

// ---------------------------------------------------------------------------------------------
// Global namespaces
// ---------------------------------------------------------------------------------------------

const actions: Dict = {
  // AdminJS built-ins
  list: '列表',
  show: '详情',
  edit: '编辑',
  new: '新增',
  delete: '删除',
  bulkDelete: '批量删除',
  search: '搜索',
  // custom actions used across resources
  approve: '通过',
  reject: '驳回',
  bulkApprove: '批量通过',
  bulkReject: '批量驳回',
  approveAll: '全部通过',
  rejectAll: '全部驳回',
  verificationFail: '审验不通过',
  setSuperAdmin: '设为超级管理员',
  resetPassword: '重置密码',
  transferOut: '发起调出',
  runNow: '立即运行',
  download: '下载',
  exportList: '导出',
  changeSuperior: '更换上级部门',
  yearTotals: '年度学时',
  overview: '继教综合统计查询',
  completion: '继教完成情况查询',
  series: '职称系列分布查询',
  bulkVerificationFail: '批量审验不通过',
  requestTitleChange: '申请职称变更',
  requestInfoChange: '申请信息变更',
  enable: '启用',
  disable: '停用',
  changePassword: '修改密码',
  importHours: '批量导入',
  importPersons: '批量导入',
  exportXlsx: '导出数据',
  printCertificate: '打印证书',
  printByIdNumber: '按身份证号打印',
  printBatch: '按单位批量打印',
  printHourProof: '打印学时证明',
  setPermissions: '权限设置',
  assignRoles: '分配角色',
  addAdmin: '新增管理员',
  withdraw: '撤回',
  declareHours: '学时（分）申报',
  downloadTemplate: '下载导入模板',
  exportFailedRows: '导出失败信息',
  // 接口客户端 (issue 19)
  register: '登记客户端',
  rotate: '更换密钥',
  suspend: '暂停',
  resume: '恢复',
  revoke: '吊销',
  // 年末提醒 (issue 19.5): a person's own choice of channels
  reminderOptions: '提醒设置',
};

const buttons: Dict = {
  save: '保存',
  addNewItem: '添加一项',
  filter: '筛选',
  filterActive: '筛选（{{count}}）',
  applyChanges: '查询',
  resetFilter: '清空',
  confirmRemovalMany: '确认删除 {{count}} 条记录',
  confirmRemovalMany_plural: '确认删除 {{count}} 条记录',
  logout: '退出登录',
  login: '登录',
  seeTheDocumentation: '参见：<1>操作手册</1>',
  createFirstRecord: '新增第一条记录',
  cancel: '取消',
  confirm: '确定',
  contactUs: '联系我们',
  // used by AdminJS's alert modal, absent from its en file
  ok: '确定',
  // used by the platform's own components
  back: '返回',
  close: '关闭',
  submit: '提交',
  query: '查询',
  clear: '清空',
  next: '下一步',
  previous: '上一步',
  print: '打印',
  import: '导入',
  importFile: '导入文件',
  downloadTemplate: '下载导入文件',
  exportFailedRows: '导出失败信息',
  changePassword: '修改密码',
  forgotPassword: '忘记密码？',
};

const components: Tree = {
  DropZone: {
    placeholder: '将文件拖到此处，或点击选择文件',
    acceptedSize: '文件大小上限：{{maxSize}}',
    acceptedType: '支持的文件类型：{{mimeTypes}}',
    unsupportedSize: '文件“{{fileName}}”超过大小上限',
    unsupportedType: '文件“{{fileName}}”的类型（{{fileType}}）不受支持',
  },
  LanguageSelector: {
    availableLanguages: {
      de: '德语',
      en: '英语',
      es: '西班牙语',
      it: '意大利语',
      ja: '日语',
      pl: '波兰语',
      'pt-BR': '葡萄牙语（巴西）',
      ua: '乌克兰语',
      'zh-CN': '简体中文',
    },
  },
  Login: {
    welcomeHeader: PLATFORM_NAME,
    welcomeMessage:
      '人社部门管理后台：账户管理、学时（分）申报、学时（分）审核、学时审验与查询统计。请选择用户类型，使用身份证号和密码登录。',
    properties: {
      email: '登录账号（身份证号）',
      password: '密码',
      userType: '用户类型',
    },
    loginButton: '登录',
    forgotPassword: '忘记密码？',
    idNumberPlaceholder: '请输入身份证号',
    passwordPlaceholder: '请输入密码',
    userTypePlaceholder: '请选择用户类型',
  },
  ChangePassword: {
    title: '修改密码',
    oldPassword: '原密码',
    newPassword: '新密码',
    confirmPassword: '确认新密码',
    submit: '确定修改',
  },
  ForgotPassword: {
    title: '找回密码',
    idNumber: '身份证号',
    emailOrMobile: '电子邮箱或手机号',
    code: '验证码',
    sendCode: '获取验证码',
    newPassword: '新密码',
    confirmPassword: '确认新密码',
    submit: '重置密码',
    backToLogin: '返回登录',
  },
  ToDoPanel: {
    title: '待办事项',
    empty: '暂无待办事项',
    count: '{{count}} 项',
  },
};

const labels: Tree = {
  navigation: '功能菜单',
  pages: '功能页面',
  selectedRecords: '已选择 {{selected}} 条',
  filters: '筛选条件',
  adminVersion: '管理后台版本：{{version}}',
  appVersion: '平台版本：{{version}}',
  dashboard: '首页',
  // AdminJS's default modal label (use-modal.js), and the label of an action's guard dialog
  // (build-action-click-handler.js passes label 'confirm': without this it read "Confirm")
  'modal-label': '提示',
  confirm: '操作确认',
  // navigation groups (resource options `navigation: { name: '<key>' }`)
  accountManagement: '账户管理',
  ownOrganisation: '本级机构管理',
  subordinateOrganisations: '下属机构管理',
  registrationReview: '注册审核管理',
  changeReview: '变更审核管理',
  trainingPlanManagement: '培训计划管理',
  personnelTransfer: '人员调转',
  hourDeclaration: '学时（分）申报',
  hourReview: '学时（分）审核',
  hourVerification: '学时审验',
  statistics: '查询统计',
  systemManagement: '系统管理',
  toDoPanel: '待办事项',
  // review tabs
  pendingTab: '待审核',
  decidedTab: '已审核',
};

/** Column labels used when a resource has no own label (union over all tables, plus virtual fields). */
const properties: Dict = {
  // AdminJS's own (date-range filter, text length)
  length: '长度',
  from: '起始',
  to: '截止',
  // every column of every table, generic wording
  ...Object.assign({}, ...Object.values(columnLabels).reverse()),
  // generic wording for the columns shared by many tables
  id: '编号',
  name: '名称',
  kind: '类型',
  status: '状态',
  reason: '原因',
  title: '专业技术职务任职资格',
  year: '年度',
  version: '版本',
  org_path: '管辖路径',
  organisation_id: '所属机构',
  person_id: '姓名',
  // the reviewer's text filters (src/admin/text-filters.ts)
  person_name: '姓名',
  person_id_number: '身份证号',
  unit_name: '工作单位',
  account_id: '账号',
  channel: '申报方式',
  created_at: '创建时间',
  updated_at: '更新时间',
  decided_at: '审核时间',
  decided_by: '审核人',
  evidence: '证明材料',
  attempts: '尝试次数',
  // virtual fields of the platform's forms
  password: '密码',
  oldPassword: '原密码',
  newPassword: '新密码',
  confirmPassword: '确认密码',
  userType: '用户类型',
  roles: '角色',
  roleIds: '角色',
  permissionCodes: '权限',
  file: '文件',
};

const messages: Dict = {
  // AdminJS built-ins
  successfullyBulkDeleted: '已删除 {{count}} 条记录',
  successfullyBulkDeleted_plural: '已删除 {{count}} 条记录',
  successfullyDeleted: '删除成功',
  successfullyUpdated: '保存成功',
  thereWereValidationErrors: '表单有误，请检查后重新提交',
  forbiddenError: '您无权执行该操作',
  anyForbiddenError: '您无权执行该操作',
  successfullyCreated: '新增成功',
  bulkDeleteError: '批量删除失败，请稍后重试',
  errorFetchingRecords: '数据加载失败，请稍后重试',
  errorFetchingRecord: '记录加载失败，请稍后重试',
  noRecordsSelected: '请先勾选记录',
  theseRecordsWillBeRemoved: '以下记录将被删除',
  theseRecordsWillBeRemoved_plural: '以下记录将被删除',
  pickSomeFirstToRemove: '请先勾选要删除的记录',
  error404Resource: '您访问的功能不存在',
  error404Action: '该操作不存在，或您无权使用',
  error404Record: '记录不存在、已被删除，或不在您的管辖范围内',
  seeConsoleForMore: '如问题持续存在，请联系平台运维人员',
  noActionComponent: '该操作尚未配置页面',
  noRecordsInResource: '暂无数据',
  noRecords: '暂无数据',
  confirmDelete: '确定要删除该记录吗？',
  welcomeOnBoard_title: `欢迎使用${PLATFORM_NAME}`,
  welcomeOnBoard_subtitle: '请从左侧功能菜单选择业务模块，待办事项会实时提示需要您处理的审核。',
  addingResources_title: '账户管理',
  addingResources_subtitle: '本级机构、下属机构、注册审核、变更审核、培训计划与人员调转',
  customizeResources_title: '学时（分）申报',
  customizeResources_subtitle: '为本级专业技术人员申报公需科目和专业科目学时',
  customizeActions_title: '学时（分）审核',
  customizeActions_subtitle: '审核专技人员、继教基地申报的学时及单位培训计划、培训学时',
  writeOwnComponents_title: '学时审验',
  writeOwnComponents_subtitle: '复核管辖范围内已认定的学时，必要时作“审验不通过”处理',
  customDashboard_title: '查询统计',
  customDashboard_subtitle: '继教综合统计、完成情况、职称系列分布、专技人员信息与电子证书',
  roleBasedAccess_title: '角色与权限',
  roleBasedAccess_subtitle: '超级管理员可自定义角色、分配权限并授予本机构其他管理员',
  community_title: '待办事项',
  community_subtitle: '请及时处理待审核的注册、变更、调转和学时申报',
  foundBug_title: '遇到问题？',
  foundBug_subtitle: '请联系上级人社部门或平台运维人员',
  needMoreSolutions_title: '操作手册',
  needMoreSolutions_subtitle: '详细操作说明请参阅《人社部门操作手册》',
  invalidCredentials: '账号或密码错误',
  keyPlaceholder: '键',
  valuePlaceholder: '值',
  initialKey: '键-{{number}}',
  keyInUse: '键名不能重复',
  keyValuePropertyDefaultDescription: '所有值均按文本保存；键名必须唯一，重复的键不会被保存。',
  pageNotFound_title: '页面不存在',
  pageNotFound_subtitle: '您访问的页面不存在',
  componentNotFound_title: '未配置页面组件',
  componentNotFound_subtitle: '请为该页面指定要显示的组件',
  // AdminJS's default modal texts (use-modal.js)
  'modal-title': '操作确认',
  'modal-subTitle': '请确认是否继续',

  // platform: access and records
  forbidden: '无权访问该记录，或该记录不在您的管辖范围内',
  outsideJurisdiction: '所选机构不在您的管辖范围内',
  notFound: '记录不存在或已被删除',
  staleRecord: '该记录已被他人修改，请刷新后重试',
  operationFailed: '操作失败，请稍后重试',
  saved: '保存成功',
  deleted: '删除成功',
  cannotDeleteUndecided: '待审核的记录不能删除',
  // platform: reviews
  rejectReasonRequired: '驳回时必须填写原因',
  verificationReasonRequired: '审验不通过时必须填写原因',
  decided: '审核完成',
  nothingToDecide: '没有可审核的记录',
  alreadyDecided: '该记录已被他人审核',
  approved: '审核通过',
  rejected: '已驳回',
  approvedCount: '已通过 {{count}} 条',
  rejectedCount: '已驳回 {{count}} 条',
  skippedCount: '{{count}} 条已被他人处理，已跳过',
  confirmApproveAll: '确定要通过全部 {{count}} 条待审核记录吗？',
  confirmRejectAll: '确定要驳回全部 {{count}} 条待审核记录吗？',
  confirmApproveSelected: '确定要通过选中的 {{count}} 条记录吗？',
  confirmRejectSelected: '确定要驳回选中的 {{count}} 条记录吗？',
  verificationFailed: '已标记为审验不通过，相应学时已从年度汇总中扣除',
  verificationFailedCount: '审验不通过 {{count}} 条',
  onlyApprovedCanBeVerified: '只有已通过的学时才能审验',
  // platform: hours
  hoursOverCap: '申报学时超过该学习形式的上限（{{cap}} 学时）',
  learningFormNotAllowed: '所选学习形式不适用于该计入科目',
  learningFormInactive: '该学习形式已停用',
  hoursDeclared: '学时（分）申报成功',
  // platform: admins, roles, accounts
  lastSuperAdmin: '不能删除机构唯一的超级管理员',
  superAdminSet: '已设为超级管理员，原超级管理员的超级管理权限已取消',
  cannotDeleteSelf: '不能删除自己的管理员账号',
  roleExceedsGrantor: '角色权限不能超出您自身拥有的权限',
  alreadyAdmin: '该用户已是管理员',
  passwordVerifyFailed: '该用户的密码验证未通过',
  // platform: login and passwords
  loginRequired: '请先登录',
  sessionExpired: '登录已超时，请重新登录',
  mustChangePassword: '首次登录或密码已被重置，请先修改密码',
  userTypeMismatch: '所选用户类型与该账号不符',
  accountLocked: '连续登录失败次数过多，账号已被锁定，请稍后再试',
  accountDisabled: '账号已停用，请联系管理员',
  accountPending: '账号尚未审核通过',
  tooManyRequests: '操作过于频繁，请稍后再试',
  oldPasswordWrong: '原密码不正确',
  passwordMismatch: '两次输入的密码不一致',
  passwordTooWeak: '密码强度不足：至少 8 位，且须同时包含字母和数字',
  passwordSameAsOld: '新密码不能与原密码相同',
  passwordChanged: '密码修改成功',
  passwordResetDone: '密码已重置，请通知本人登录后立即修改',
  resetCodeSent: '验证码已发送，请注意查收',
  resetCodeInvalid: '验证码错误或已过期',
  resetIdentityMismatch: '身份证号与登记的电子邮箱或手机号不符',
  // platform: identifiers and uniqueness
  invalidIdNumber: '身份证号格式或校验位不正确',
  invalidCreditCode: '统一社会信用代码格式或校验位不正确',
  invalidMobile: '手机号格式不正确',
  invalidEmail: '电子邮箱格式不正确',
  duplicateIdNumber: '该身份证号已被注册',
  duplicateCreditCode: '该统一社会信用代码已被使用',
  required: '此项为必填项',
  // platform: transfers and superior changes
  transferRequested: '调出申请已提交，待调出方和调入方审核通过后生效',
  transferSameUnit: '调入单位不能与原单位相同',
  transferPending: '该人员已有进行中的调转申请',
  transferCompleted: '人员调转成功',
  superiorChangeRequested: '更换上级部门申请已提交，待原上级部门和新上级部门审核通过后生效',
  superiorChangeSame: '新上级部门不能与原上级部门相同',
  superiorChangeCompleted: '上级部门变更成功',
  // platform: import / export
  importSucceeded: '成功导入 {{count}} 条',
  importFailedRows: '{{count}} 条导入失败，可导出失败信息',
  importFileRequired: '请先选择要导入的文件',
  importTemplateInvalid: '导入文件与模板格式不符，请下载最新模板后重新填写',
  importedPersonsPassword: '导入成功后登录账号为身份证号，初始密码为身份证号后六位，首次登录须修改密码',
  exportQueued: '导出任务已提交，完成后可在“导出任务”中下载',
  exportFailed: '导出失败',
  exportNotReady: '导出文件尚未生成',
  // platform: to-do panel
  todoCount: '您有 {{count}} 项待办事项',
};

const pages: Dict = {
  overallStatistics: '继教综合统计查询',
  completionStatus: '继教完成情况查询',
  titleSeriesDistribution: '职称系列分布查询',
  personSearch: '专技人员信息查询',
  certificateQuery: '电子证书查询打印',
  hourDeclaration: '学时（分）申报',
  changePassword: '修改密码',
  toDoPanel: '待办事项',
};

// ---------------------------------------------------------------------------------------------
// Assembly
// ---------------------------------------------------------------------------------------------

function valueLabelTree(table: TableName): Tree {
  const out: Tree = {};
  for (const [column, values] of Object.entries(valueLabels[table] ?? {})) out[column] = { ...values };
  return out;
}

/** Global value labels for every boolean column, so no "Yes"/"No" appears on any resource. */
function globalBooleanLabels(): Tree {
  const out: Tree = {};
  for (const table of Object.keys(valueLabels) as TableName[]) {
    for (const [column, values] of Object.entries(valueLabels[table] ?? {})) {
      // A null boolean (e.g. 必修/选修 of a professional subject) reads "—", as in the manual.
      if ('true' in values && 'false' in values && !(column in out)) out[column] = { ...values, null: '—' };
    }
  }
  return out;
}

function buildResources(): Record<string, LocaleTranslationsBlock> {
  const out: Record<string, LocaleTranslationsBlock> = {};
  for (const [id, spec] of Object.entries(resourceSpecs) as [ResourceId, ResourceSpec][]) {
    const block: LocaleTranslationsBlock = {
      labels: { [id]: spec.label, ...valueLabelTree(spec.table) },
      properties: { ...columnLabels[spec.table], ...(spec.properties ?? {}) },
    };
    // The list page is headed by the resource's own name (学时（分）审核), not a bare 列表.
    block.actions = { list: spec.label, ...(spec.actions ?? {}) };
    if (spec.messages) block.messages = { ...spec.messages };
    out[id] = block;
  }
  return out;
}

/** Resource names in the navigation, also reachable without a resource id. */
const resourceNames: Dict = Object.fromEntries(
  Object.entries(resourceSpecs).map(([id, spec]) => [id, spec.label]),
);

export const zhCN: LocaleTranslations = {
  actions,
  buttons,
  components,
  labels: { ...labels, ...resourceNames, ...globalBooleanLabels() },
  properties,
  messages,
  pages,
  resources: buildResources(),
};

export const locale: Locale = {
  language: 'zh-CN',
  availableLanguages: ['zh-CN'],
  // Keep the UI in Chinese whatever the browser announces.
  localeDetection: false,
  translations: { 'zh-CN': zhCN },
};

export default locale;
