/**
 * Sequelize models over the tables that the migrations create. Models describe; they never
 * shape the schema (no sync()).
 */
import { DataTypes, Model, type ModelStatic, type Sequelize } from 'sequelize';

const { INTEGER, BIGINT, STRING, TEXT, BOOLEAN, DATE, DATEONLY, DECIMAL, JSONB, ARRAY, SMALLINT, BLOB } = DataTypes;

// Sequelize's generic typing would force a class per model; records are plain attribute bags here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = ModelStatic<Model<any, any>>;

export interface Models {
  Organisation: AnyModel;
  Account: AnyModel;
  Admin: AnyModel;
  Permission: AnyModel;
  Role: AnyModel;
  RolePermission: AnyModel;
  AdminRole: AnyModel;
  Person: AnyModel;
  Registration: AnyModel;
  ChangeRequest: AnyModel;
  SuperiorChange: AnyModel;
  Transfer: AnyModel;
  ApprovalTask: AnyModel;
  TrainingPlan: AnyModel;
  LearningForm: AnyModel;
  HourDeclaration: AnyModel;
  PersonYearHours: AnyModel;
  Certificate: AnyModel;
  /** View: a person's year with its certificate, if issued (电子证书查询打印). */
  CertificateYear: AnyModel;
  ExportJob: AnyModel;
  /** Issue 18.5: recomputes of yearly totals a new rule of the year asked for (重算任务, migration 018). */
  RecomputeJob: AnyModel;
  /** Issue 20: saved reports, schedules made in the panel, "your export is ready" notices. */
  SavedReport: AnyModel;
  ExportSchedule: AnyModel;
  ExportNotice: AnyModel;
  ImportJob: AnyModel;
  AuditLog: AnyModel;
  Session: AnyModel;
  /** Rules of the year (migration 016): rows are history, only ever added. */
  YearlyRequirement: AnyModel;
  LearningFormRule: AnyModel;
  KeyReviewRule: AnyModel;
  /** 接口客户端 (issue 19): the integration API's credentials. */
  ApiClient: AnyModel;
  ApiCallback: AnyModel;
  /** 学时查阅记录: who read a person's hours through the API. */
  HoursRead: AnyModel;
  /** 年末提醒设置 (migration 020): one row, the province's. */
  ReminderSetting: AnyModel;
  /** View: 年末提醒统计 per run and city. */
  ReminderFigure: AnyModel;
}

const id = { type: INTEGER, primaryKey: true, autoIncrement: true };
const orgPath = { type: TEXT, allowNull: false };
const decision = {
  status: { type: TEXT, allowNull: false, defaultValue: 'pending' },
  reason: { type: TEXT },
  decided_by: { type: INTEGER },
  decided_at: { type: DATE },
};
const stamps = { timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at' };

export function defineModels(sequelize: Sequelize): Models {
  const def = (name: string, table: string, attrs: Record<string, unknown>, opts: Record<string, unknown> = stamps) =>
    sequelize.define(name, attrs as never, { tableName: table, ...opts }) as AnyModel;

  const Organisation = def('Organisation', 'organisations', {
    id,
    parent_id: { type: INTEGER },
    kind: { type: TEXT, allowNull: false },
    name: { type: TEXT, allowNull: false },
    region_code: { type: STRING(6) },
    credit_code: { type: STRING(18) },
    path: { type: TEXT, allowNull: false },
    depth: { type: SMALLINT, allowNull: false },
    contact_name: { type: TEXT },
    mobile: { type: TEXT },
    phone: { type: TEXT },
    email: { type: TEXT },
    address: { type: TEXT },
    status: { type: TEXT, allowNull: false, defaultValue: 'active' },
    version: { type: INTEGER, allowNull: false, defaultValue: 0 },
  });

  const Account = def('Account', 'accounts', {
    id,
    id_number: { type: STRING(18), allowNull: false },
    name: { type: TEXT, allowNull: false },
    password_hash: { type: TEXT, allowNull: false },
    mobile: { type: TEXT },
    email: { type: TEXT },
    phone: { type: TEXT },
    status: { type: TEXT, allowNull: false, defaultValue: 'active' },
    must_change_password: { type: BOOLEAN, allowNull: false, defaultValue: false },
    failed_logins: { type: INTEGER, allowNull: false, defaultValue: 0 },
    locked_until: { type: DATE },
    password_changed_at: { type: DATE },
    version: { type: INTEGER, allowNull: false, defaultValue: 0 },
  });

  const Admin = def('Admin', 'admins', {
    id,
    account_id: { type: INTEGER, allowNull: false },
    organisation_id: { type: INTEGER, allowNull: false },
    org_path: orgPath,
    department_id: { type: INTEGER },
    is_super: { type: BOOLEAN, allowNull: false, defaultValue: false },
  });

  const Permission = def('Permission', 'permissions', {
    code: { type: TEXT, primaryKey: true },
    module: { type: TEXT, allowNull: false },
    label: { type: TEXT, allowNull: false },
    sort: { type: INTEGER, allowNull: false, defaultValue: 0 },
  }, { timestamps: false });

  const Role = def('Role', 'roles', {
    id,
    organisation_id: { type: INTEGER, allowNull: false },
    org_path: orgPath,
    name: { type: TEXT, allowNull: false },
    description: { type: TEXT },
    builtin: { type: BOOLEAN, allowNull: false, defaultValue: false },
  });

  const RolePermission = def('RolePermission', 'role_permissions', {
    role_id: { type: INTEGER, primaryKey: true },
    permission_code: { type: TEXT, primaryKey: true },
  }, { timestamps: false });

  const AdminRole = def('AdminRole', 'admin_roles', {
    admin_id: { type: INTEGER, primaryKey: true },
    role_id: { type: INTEGER, primaryKey: true },
  }, { timestamps: false });

  const Person = def('Person', 'persons', {
    id,
    account_id: { type: INTEGER },
    id_number: { type: STRING(18), allowNull: false },
    name: { type: TEXT, allowNull: false },
    gender: { type: STRING(1), allowNull: false },
    birth_date: { type: DATEONLY, allowNull: false },
    unit_id: { type: INTEGER, allowNull: false },
    org_path: orgPath,
    title_series: { type: TEXT },
    title_level: { type: TEXT },
    title: { type: TEXT },
    education: { type: TEXT },
    mobile: { type: TEXT },
    email: { type: TEXT },
    status: { type: TEXT, allowNull: false, defaultValue: 'active' },
    version: { type: INTEGER, allowNull: false, defaultValue: 0 },
    // 提醒设置 (migration 020): the person's own choice of year-end reminder channels.
    remind_email: { type: BOOLEAN, allowNull: false, defaultValue: true },
    remind_sms: { type: BOOLEAN, allowNull: false, defaultValue: true },
  });

  const Registration = def('Registration', 'registrations', {
    id,
    kind: { type: TEXT, allowNull: false },
    organisation_id: { type: INTEGER },
    person_id: { type: INTEGER },
    superior_id: { type: INTEGER, allowNull: false },
    org_path: orgPath,
    applicant_name: { type: TEXT, allowNull: false },
    // The licence's name and detected type (migration 017); the bytes are read by the file route only.
    licence_name: { type: TEXT },
    licence_kind: { type: TEXT },
    ...decision,
  });

  const ChangeRequest = def('ChangeRequest', 'change_requests', {
    id,
    kind: { type: TEXT, allowNull: false },
    person_id: { type: INTEGER },
    organisation_id: { type: INTEGER },
    org_path: orgPath,
    old_values: { type: JSONB, allowNull: false },
    new_values: { type: JSONB, allowNull: false },
    evidence: { type: TEXT },
    // The proof file's name and detected type (migration 017); the bytes are read by the file route only.
    evidence_name: { type: TEXT },
    evidence_kind: { type: TEXT },
    ...decision,
  });

  const SuperiorChange = def('SuperiorChange', 'superior_changes', {
    id,
    organisation_id: { type: INTEGER, allowNull: false },
    from_superior_id: { type: INTEGER, allowNull: false },
    to_superior_id: { type: INTEGER, allowNull: false },
    reason_for_change: { type: TEXT },
    status: { type: TEXT, allowNull: false, defaultValue: 'pending' },
  });

  const Transfer = def('Transfer', 'transfers', {
    id,
    person_id: { type: INTEGER, allowNull: false },
    from_unit_id: { type: INTEGER, allowNull: false },
    to_unit_id: { type: INTEGER, allowNull: false },
    from_path: { type: TEXT, allowNull: false },
    to_path: { type: TEXT, allowNull: false },
    reason_for_transfer: { type: TEXT, allowNull: false },
    status: { type: TEXT, allowNull: false, defaultValue: 'pending' },
    requested_by: { type: INTEGER },
  });

  const ApprovalTask = def('ApprovalTask', 'approval_tasks', {
    id,
    request_type: { type: TEXT, allowNull: false },
    request_id: { type: INTEGER, allowNull: false },
    side: { type: TEXT, allowNull: false },
    organisation_id: { type: INTEGER, allowNull: false },
    org_path: orgPath,
    ...decision,
  }, { timestamps: true, createdAt: 'created_at', updatedAt: false });

  const TrainingPlan = def('TrainingPlan', 'training_plans', {
    id,
    kind: { type: TEXT, allowNull: false },
    organisation_id: { type: INTEGER, allowNull: false },
    org_path: orgPath,
    year: { type: SMALLINT, allowNull: false },
    title: { type: TEXT, allowNull: false },
    subject_type: { type: TEXT },
    compulsory: { type: BOOLEAN },
    content: { type: JSONB, allowNull: false, defaultValue: {} },
    attachment_name: { type: TEXT },
    attachment: { type: BLOB },
    ...decision,
  });

  const LearningForm = def('LearningForm', 'learning_forms', {
    id,
    code: { type: TEXT, allowNull: false },
    name: { type: TEXT, allowNull: false },
    subject_types: { type: ARRAY(TEXT), allowNull: false },
    fields: { type: JSONB, allowNull: false, defaultValue: [] },
    conversion: { type: JSONB, allowNull: false },
    cap_per_activity: { type: DECIMAL(6, 1) },
    cap_per_year: { type: DECIMAL(6, 1) },
    evidence: { type: TEXT },
    key_review: { type: BOOLEAN, allowNull: false, defaultValue: false },
    bulk_import: { type: BOOLEAN, allowNull: false, defaultValue: false },
    active: { type: BOOLEAN, allowNull: false, defaultValue: true },
    sort: { type: INTEGER, allowNull: false, defaultValue: 0 },
  });

  const HourDeclaration = def('HourDeclaration', 'hour_declarations', {
    id: { type: BIGINT, primaryKey: true, autoIncrement: true },
    person_id: { type: INTEGER, allowNull: false },
    unit_id: { type: INTEGER, allowNull: false },
    org_path: orgPath,
    year: { type: SMALLINT, allowNull: false },
    subject_type: { type: TEXT, allowNull: false },
    compulsory: { type: BOOLEAN },
    learning_form_id: { type: INTEGER, allowNull: false },
    channel: { type: TEXT, allowNull: false },
    ce_base_id: { type: INTEGER },
    declared_by: { type: INTEGER },
    activity_name: { type: TEXT },
    // Where the record came from (批量导入, 接口：<client>), shown in the review lists; NULL: the panel's form.
    source: { type: TEXT },
    details: { type: JSONB, allowNull: false, defaultValue: {} },
    declared_hours: { type: DECIMAL(6, 1), allowNull: false },
    approved_hours: { type: DECIMAL(6, 1) },
    key_review: { type: BOOLEAN, allowNull: false, defaultValue: false },
    // The proof file's name and detected type (migration 017); the bytes are read by the file route only.
    evidence_name: { type: TEXT },
    evidence_kind: { type: TEXT },
    ...decision,
    // 学时审验, its own step after the decision (migration 011).
    verification_reason: { type: TEXT },
    verified_by: { type: INTEGER },
    verified_at: { type: DATE },
  });

  // The surrogate id of migration 004 is the record's key: (person_id, year) is unique, but a
  // composite key made AdminJS take person_id alone as the id of every year of a person.
  const PersonYearHours = def('PersonYearHours', 'person_year_hours', {
    id: { type: BIGINT, primaryKey: true },
    person_id: { type: INTEGER, allowNull: false },
    year: { type: SMALLINT, allowNull: false },
    org_path: orgPath,
    public_hours: { type: DECIMAL(7, 1), allowNull: false },
    professional_hours: { type: DECIMAL(7, 1), allowNull: false },
    total_hours: { type: DECIMAL(7, 1) },
    completed: { type: BOOLEAN, allowNull: false },
  }, { timestamps: true, createdAt: false, updatedAt: 'updated_at' });

  const Certificate = def('Certificate', 'certificates', {
    id,
    number: { type: TEXT, allowNull: false },
    person_id: { type: INTEGER, allowNull: false },
    org_path: orgPath,
    year: { type: SMALLINT, allowNull: false },
    total_hours: { type: DECIMAL(7, 1), allowNull: false },
    public_hours: { type: DECIMAL(7, 1) },
    professional_hours: { type: DECIMAL(7, 1) },
    issued_by: { type: INTEGER },
    issuer_org_id: { type: INTEGER },
    issuer_name: { type: TEXT },
    issued_at: { type: DATE },
  }, { timestamps: false });

  const CertificateYear = def('CertificateYear', 'certificate_years', {
    id: { type: BIGINT, primaryKey: true },
    person_id: { type: INTEGER },
    year: { type: SMALLINT },
    org_path: orgPath,
    name: { type: TEXT },
    id_number: { type: STRING(18) },
    unit_id: { type: INTEGER },
    public_hours: { type: DECIMAL(7, 1) },
    professional_hours: { type: DECIMAL(7, 1) },
    total_hours: { type: DECIMAL(7, 1) },
    completed: { type: BOOLEAN },
    certificate_number: { type: TEXT },
    issued_at: { type: DATE },
  }, { timestamps: false });

  const ExportJob = def('ExportJob', 'export_jobs', {
    id,
    report: { type: TEXT, allowNull: false },
    params: { type: JSONB, allowNull: false, defaultValue: {} },
    organisation_id: { type: INTEGER, allowNull: false },
    org_path: orgPath,
    requested_by: { type: INTEGER },
    trigger: { type: TEXT, allowNull: false, defaultValue: 'manual' },
    status: { type: TEXT, allowNull: false, defaultValue: 'queued' },
    attempts: { type: INTEGER, allowNull: false, defaultValue: 0 },
    started_at: { type: DATE },
    finished_at: { type: DATE },
    file_name: { type: TEXT },
    file_size: { type: BIGINT },
    error: { type: TEXT },
    schedule_key: { type: TEXT },
    scheduled_for: { type: DATE },
    row_count: { type: INTEGER },
    contains_full_id: { type: BOOLEAN, allowNull: false, defaultValue: false },
    progress_rows: { type: INTEGER },
    total_rows: { type: INTEGER },
    schedule_id: { type: INTEGER },
  }, { timestamps: true, createdAt: 'created_at', updatedAt: false });

  const SavedReport = def('SavedReport', 'saved_reports', {
    id,
    organisation_id: { type: INTEGER, allowNull: false },
    org_path: orgPath,
    owner_id: { type: INTEGER },
    name: { type: TEXT, allowNull: false },
    kind: { type: TEXT, allowNull: false },
    resource: { type: TEXT },
    report: { type: TEXT },
    params: { type: JSONB, allowNull: false, defaultValue: {} },
    version: { type: INTEGER, allowNull: false, defaultValue: 0 },
  });

  const ExportSchedule = def('ExportSchedule', 'export_schedules', {
    id,
    organisation_id: { type: INTEGER, allowNull: false },
    org_path: orgPath,
    created_by: { type: INTEGER },
    name: { type: TEXT, allowNull: false },
    report: { type: TEXT },
    saved_report_id: { type: INTEGER },
    area_id: { type: INTEGER },
    preset: { type: TEXT, allowNull: false, defaultValue: 'weekly' },
    cron: { type: TEXT, allowNull: false },
    year_param: { type: TEXT, allowNull: false, defaultValue: 'current' },
    recipients: { type: ARRAY(INTEGER), allowNull: false, defaultValue: [] },
    status: { type: TEXT, allowNull: false, defaultValue: 'active' },
    paused_reason: { type: TEXT },
    next_run_at: { type: DATE },
    seed_key: { type: TEXT },
    version: { type: INTEGER, allowNull: false, defaultValue: 0 },
  });

  const ExportNotice = def('ExportNotice', 'export_notices', {
    id,
    account_id: { type: INTEGER, allowNull: false },
    org_path: orgPath,
    job_id: { type: INTEGER },
    schedule_id: { type: INTEGER },
    title: { type: TEXT, allowNull: false },
    link: { type: TEXT },
    read_at: { type: DATE },
  }, { timestamps: true, createdAt: 'created_at', updatedAt: false });

  const ImportJob = def('ImportJob', 'import_jobs', {
    id,
    kind: { type: TEXT, allowNull: false },
    organisation_id: { type: INTEGER, allowNull: false },
    org_path: orgPath,
    requested_by: { type: INTEGER, allowNull: false },
    params: { type: JSONB, allowNull: false, defaultValue: {} },
    file_name: { type: TEXT, allowNull: false },
    file: { type: BLOB, allowNull: false },
    status: { type: TEXT, allowNull: false, defaultValue: 'queued' },
    progress: { type: SMALLINT, allowNull: false, defaultValue: 0 },
    total_rows: { type: INTEGER, allowNull: false, defaultValue: 0 },
    valid_rows: { type: INTEGER, allowNull: false, defaultValue: 0 },
    error_rows: { type: INTEGER, allowNull: false, defaultValue: 0 },
    committed_rows: { type: INTEGER, allowNull: false, defaultValue: 0 },
    error: { type: TEXT },
    error_report: { type: BLOB },
    started_at: { type: DATE },
    heartbeat_at: { type: DATE },
    finished_at: { type: DATE },
  }, { timestamps: true, createdAt: 'created_at', updatedAt: false });

  const AuditLog = def('AuditLog', 'audit_log', {
    id: { type: BIGINT, primaryKey: true, autoIncrement: true },
    at: { type: DATE },
    actor_id: { type: INTEGER },
    actor_name: { type: TEXT },
    org_path: { type: TEXT },
    action: { type: TEXT, allowNull: false },
    resource: { type: TEXT },
    record_id: { type: TEXT },
    outcome: { type: TEXT, allowNull: false, defaultValue: 'ok' },
    before: { type: JSONB },
    after: { type: JSONB },
    reason: { type: TEXT },
    ip: { type: TEXT },
  }, { timestamps: false });

  const ruleStamps = { timestamps: true, createdAt: 'created_at', updatedAt: false };
  const YearlyRequirement = def('YearlyRequirement', 'yearly_requirements', {
    id,
    effective_year: { type: SMALLINT, allowNull: false },
    region_code: { type: STRING(6) },
    total_hours: { type: DECIMAL(6, 1), allowNull: false },
    public_hours: { type: DECIMAL(6, 1), allowNull: false },
    professional_hours: { type: DECIMAL(6, 1), allowNull: false },
    source: { type: TEXT },
    created_by: { type: INTEGER },
  }, ruleStamps);
  const LearningFormRule = def('LearningFormRule', 'learning_form_rules', {
    id,
    learning_form_id: { type: INTEGER, allowNull: false },
    effective_year: { type: SMALLINT, allowNull: false },
    cap_per_activity: { type: DECIMAL(6, 1) },
    cap_per_year: { type: DECIMAL(6, 1) },
    conversion: { type: JSONB, allowNull: false },
    source: { type: TEXT },
    created_by: { type: INTEGER },
  }, ruleStamps);
  const KeyReviewRule = def('KeyReviewRule', 'key_review_rules', {
    id,
    effective_year: { type: SMALLINT, allowNull: false },
    above_hours: { type: DECIMAL(6, 1), allowNull: false },
    source: { type: TEXT },
    created_by: { type: INTEGER },
  }, ruleStamps);

  const RecomputeJob = def('RecomputeJob', 'recompute_jobs', {
    id,
    kind: { type: TEXT, allowNull: false },
    rule_id: { type: INTEGER },
    learning_form_id: { type: INTEGER },
    from_year: { type: SMALLINT, allowNull: false },
    region_code: { type: STRING(6) },
    org_path: orgPath,
    status: { type: TEXT, allowNull: false },
    total: { type: INTEGER },
    done_count: { type: INTEGER, allowNull: false },
    cursor_person_id: { type: INTEGER, allowNull: false },
    attempts: { type: INTEGER, allowNull: false },
    error: { type: TEXT },
    superseded_by: { type: INTEGER },
    claimed_by: { type: TEXT },
    heartbeat_at: { type: DATE },
    created_by: { type: INTEGER },
    created_at: { type: DATE },
    started_at: { type: DATE },
    finished_at: { type: DATE },
  }, { timestamps: false });

  // Addressed by its surrogate id (migration 012): the sid is the cookie's secret and never leaves the server.
  const Session = def('Session', 'session', {
    id: { type: BIGINT, primaryKey: true },
    sid: { type: STRING },
    expire: { type: DATE },
    account_id: { type: INTEGER },
    organisation_id: { type: INTEGER },
    login_at: { type: DATE },
  }, { timestamps: false });

  // References, so AdminJS renders pickers and links.
  Organisation.belongsTo(Organisation, { as: 'parent', foreignKey: 'parent_id' });
  Admin.belongsTo(Account, { foreignKey: 'account_id' });
  Admin.belongsTo(Organisation, { as: 'organisation', foreignKey: 'organisation_id' });
  Admin.belongsTo(Organisation, { as: 'department', foreignKey: 'department_id' });
  Role.belongsTo(Organisation, { foreignKey: 'organisation_id' });
  Person.belongsTo(Organisation, { as: 'unit', foreignKey: 'unit_id' });
  Person.belongsTo(Account, { foreignKey: 'account_id' });
  Registration.belongsTo(Organisation, { as: 'organisation', foreignKey: 'organisation_id' });
  Registration.belongsTo(Organisation, { as: 'superior', foreignKey: 'superior_id' });
  Registration.belongsTo(Person, { foreignKey: 'person_id' });
  ChangeRequest.belongsTo(Person, { foreignKey: 'person_id' });
  ChangeRequest.belongsTo(Organisation, { foreignKey: 'organisation_id' });
  Transfer.belongsTo(Person, { foreignKey: 'person_id' });
  Transfer.belongsTo(Organisation, { as: 'fromUnit', foreignKey: 'from_unit_id' });
  Transfer.belongsTo(Organisation, { as: 'toUnit', foreignKey: 'to_unit_id' });
  TrainingPlan.belongsTo(Organisation, { foreignKey: 'organisation_id' });
  HourDeclaration.belongsTo(Person, { foreignKey: 'person_id' });
  HourDeclaration.belongsTo(Organisation, { as: 'unit', foreignKey: 'unit_id' });
  HourDeclaration.belongsTo(Organisation, { as: 'ceBase', foreignKey: 'ce_base_id' });
  HourDeclaration.belongsTo(LearningForm, { foreignKey: 'learning_form_id' });
  PersonYearHours.belongsTo(Person, { foreignKey: 'person_id' });
  Certificate.belongsTo(Person, { foreignKey: 'person_id' });
  CertificateYear.belongsTo(Person, { foreignKey: 'person_id' });
  CertificateYear.belongsTo(Organisation, { as: 'unit', foreignKey: 'unit_id' });
  ExportJob.belongsTo(Organisation, { foreignKey: 'organisation_id' });
  LearningFormRule.belongsTo(LearningForm, { foreignKey: 'learning_form_id' });
  for (const rule of [YearlyRequirement, LearningFormRule, KeyReviewRule]) rule.belongsTo(Account, { as: 'creator', foreignKey: 'created_by' });

  const ApiClient = def('ApiClient', 'api_clients', {
    id,
    name: { type: TEXT, allowNull: false },
    organisation_id: { type: INTEGER, allowNull: false },
    org_path: orgPath,
    key_id: { type: TEXT, allowNull: false },
    secret_hash: { type: TEXT, allowNull: false },
    scopes: { type: ARRAY(TEXT), allowNull: false },
    allowed_addresses: { type: ARRAY(TEXT), allowNull: false, defaultValue: [] },
    rate_limit_per_minute: { type: INTEGER, allowNull: false, defaultValue: 120 },
    status: { type: TEXT, allowNull: false, defaultValue: 'active' },
    created_by: { type: INTEGER },
    secret_rotated_at: { type: DATE },
    last_used_at: { type: DATE },
    last_used_ip: { type: TEXT },
    callback_url: { type: TEXT },
  });
  ApiClient.belongsTo(Organisation, { foreignKey: 'organisation_id' });
  const ApiCallback = def('ApiCallback', 'api_callbacks', {
    id: { type: BIGINT, primaryKey: true, autoIncrement: true },
    api_client_id: { type: INTEGER, allowNull: false },
    org_path: orgPath,
    declaration_id: { type: BIGINT, allowNull: false },
    external_id: { type: TEXT, allowNull: false },
    event: { type: TEXT, allowNull: false },
    status: { type: TEXT, allowNull: false },
    declared_hours: { type: DECIMAL(6, 1), allowNull: false },
    approved_hours: { type: DECIMAL(6, 1) },
    reason: { type: TEXT },
    decided_at: { type: DATE },
    changed_at: { type: DATE, allowNull: false },
    delivery: { type: TEXT, allowNull: false },
    attempts: { type: SMALLINT, allowNull: false },
    next_attempt_at: { type: DATE, allowNull: false },
    lease_until: { type: DATE },
    last_status_code: { type: SMALLINT },
    last_error: { type: TEXT },
    delivered_at: { type: DATE },
    created_at: { type: DATE },
  }, { timestamps: false });
  ApiCallback.belongsTo(ApiClient, { foreignKey: 'api_client_id' });
  ApiCallback.belongsTo(HourDeclaration, { foreignKey: 'declaration_id' });
  const HoursRead = def('HoursRead', 'hours_reads', {
    id: { type: BIGINT, primaryKey: true, autoIncrement: true },
    person_id: { type: INTEGER, allowNull: false },
    org_path: orgPath,
    api_client_id: { type: INTEGER, allowNull: false },
    client_name: { type: TEXT, allowNull: false },
    organisation_name: { type: TEXT, allowNull: false },
    from_year: { type: SMALLINT, allowNull: false },
    to_year: { type: SMALLINT, allowNull: false },
    ip: { type: TEXT },
    at: { type: DATE },
  }, { timestamps: false });
  HoursRead.belongsTo(Person, { foreignKey: 'person_id' });

  const ReminderSetting = def('ReminderSetting', 'reminder_settings', {
    id: { type: SMALLINT, primaryKey: true },
    enabled: { type: BOOLEAN, allowNull: false },
    start_month: { type: SMALLINT, allowNull: false },
    start_day: { type: SMALLINT, allowNull: false },
    interval_days: { type: SMALLINT, allowNull: false },
    email_enabled: { type: BOOLEAN, allowNull: false },
    sms_enabled: { type: BOOLEAN, allowNull: false },
    digest_enabled: { type: BOOLEAN, allowNull: false },
    updated_by: { type: INTEGER },
    updated_at: { type: DATE },
  }, { timestamps: true, createdAt: false, updatedAt: 'updated_at' });
  ReminderSetting.belongsTo(Account, { as: 'updater', foreignKey: 'updated_by' });
  const ReminderFigure = def('ReminderFigure', 'reminder_figures', {
    id: { type: TEXT, primaryKey: true },
    run_id: { type: INTEGER },
    due_date: { type: DATEONLY },
    year: { type: SMALLINT },
    scope: { type: TEXT },
    city_id: { type: INTEGER },
    at_risk: { type: INTEGER },
    reminded: { type: INTEGER },
    failed: { type: INTEGER },
    not_sent: { type: INTEGER },
    completed_since: { type: INTEGER },
  }, { timestamps: false });
  ReminderFigure.belongsTo(Organisation, { as: 'city', foreignKey: 'city_id' });

  return {
    Organisation, Account, Admin, Permission, Role, RolePermission, AdminRole, Person, Registration,
    ChangeRequest, SuperiorChange, Transfer, ApprovalTask, TrainingPlan, LearningForm, HourDeclaration,
    PersonYearHours, Certificate, CertificateYear, ExportJob, SavedReport, ExportSchedule, ExportNotice, ImportJob, AuditLog, Session,
    YearlyRequirement, LearningFormRule, KeyReviewRule, ApiClient, ApiCallback, HoursRead, RecomputeJob, ReminderSetting, ReminderFigure,
  };
}
