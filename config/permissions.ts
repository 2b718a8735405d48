/**
 * The permission catalog (权限目录), as the manual's menu tree × actions. A role is a set of
 * these codes; a super admin holds every code its kind of organisation may hold.
 * Codes are `<module>.<submodule>:<action>`; the database checks their shape and keeps them
 * in table `permissions` (seeded from here at start).
 */
export type OrganisationKind = 'province_hr' | 'city_hr' | 'county_hr' | 'unit' | 'ce_base' | 'department';
export type PermissionAction =
  | 'view' | 'create' | 'edit' | 'delete' | 'decide' | 'import' | 'export' | 'reset_password' | 'view_full_id' | 'print' | 'run';

export const actionLabels: Record<PermissionAction, string> = {
  view: '查看', create: '新增', edit: '编辑', delete: '删除', decide: '审核', import: '导入', export: '导出',
  reset_password: '重置密码', view_full_id: '查看完整证件号', print: '打印', run: '执行',
};

const HR: OrganisationKind[] = ['province_hr', 'city_hr', 'county_hr'];
const ALL_ADMINS: OrganisationKind[] = [...HR, 'unit', 'ce_base'];

export interface Submodule { key: string; label: string; actions: PermissionAction[]; kinds: OrganisationKind[] }
export interface Module { key: string; label: string; submodules: Submodule[] }

export const permissionCatalog: Module[] = [
  { key: 'account', label: '账户管理', submodules: [
    { key: 'account.basic', label: '基本信息管理', actions: ['view', 'edit'], kinds: ALL_ADMINS },
    { key: 'account.departments', label: '管理内设部门', actions: ['view', 'create', 'edit', 'delete'], kinds: ALL_ADMINS },
    { key: 'account.admins', label: '管理单位管理员', actions: ['view', 'create', 'delete'], kinds: ALL_ADMINS },
    { key: 'account.roles', label: '角色管理', actions: ['view', 'create', 'edit', 'delete'], kinds: ALL_ADMINS },
    { key: 'account.sessions', label: '在线会话', actions: ['view', 'delete'], kinds: ALL_ADMINS },
    { key: 'account.subordinates', label: '下属机构管理', actions: ['view', 'edit'], kinds: HR },
    { key: 'account.registrations', label: '注册审核管理', actions: ['view', 'decide', 'delete'], kinds: HR },
    { key: 'account.changes', label: '变更审核管理', actions: ['view', 'decide'], kinds: HR },
    { key: 'account.training_plans', label: '培训计划管理', actions: ['view', 'decide'], kinds: HR },
    { key: 'account.transfers', label: '人员调转', actions: ['view', 'create', 'decide'], kinds: HR },
    // The submitting side of 培训计划管理: CE bases' plans and summaries, units' plans and hours.
    { key: 'account.plan_filing', label: '培训计划申报', actions: ['view', 'create'], kinds: ['unit', 'ce_base'] },
  ] },
  { key: 'hours_declare', label: '学时（分）申报', submodules: [
    { key: 'hours_declare.declare', label: '学时（分）申报', actions: ['view', 'create', 'import'], kinds: [...HR, 'unit', 'ce_base'] },
  ] },
  { key: 'hours_review', label: '学时（分）审核', submodules: [
    { key: 'hours_review.review', label: '学时（分）审核', actions: ['view', 'decide', 'delete'], kinds: [...HR, 'unit'] },
  ] },
  { key: 'hours_verify', label: '学时审验', submodules: [
    { key: 'hours_verify.verify', label: '学时审验', actions: ['view', 'decide'], kinds: HR },
  ] },
  { key: 'stats', label: '查询统计', submodules: [
    { key: 'stats.persons', label: '专技人员信息查询', actions: ['view', 'edit', 'reset_password', 'import', 'view_full_id', 'export'], kinds: [...HR, 'unit'] },
    { key: 'stats.overview', label: '继教综合统计查询', actions: ['view'], kinds: HR },
    { key: 'stats.completion', label: '继教完成情况查询', actions: ['view'], kinds: HR },
    { key: 'stats.series', label: '职称系列分布查询', actions: ['view', 'export'], kinds: HR },
    { key: 'stats.certificates', label: '电子证书查询打印', actions: ['view', 'print'], kinds: [...HR, 'unit'] },
    { key: 'stats.exports', label: '导出任务', actions: ['view', 'run'], kinds: HR },
    // 定时导出管理 (issue 20): schedules of saved or built-in reports, made in the panel.
    { key: 'stats.schedules', label: '定时导出管理', actions: ['view', 'create', 'edit', 'delete', 'run'], kinds: HR },
  ] },
  { key: 'system', label: '系统管理', submodules: [
    { key: 'system.learning_forms', label: '学习形式配置', actions: ['view', 'edit'], kinds: ['province_hr'] },
    // 年度学时要求、学习形式年度规则、重点审核规则: rules that take effect from a year (issue 18.5).
    { key: 'system.year_rules', label: '年度规则配置', actions: ['view', 'edit'], kinds: ['province_hr'] },
    // 三员分立: reading the audit log is the audit administrator's alone, never implied by super admin.
    { key: 'system.audit', label: '审计日志', actions: ['view'], kinds: ['province_hr'] },
  ] },
];

export interface PermissionEntry { code: string; module: string; label: string; sort: number; kinds: OrganisationKind[] }

export const permissionEntries: PermissionEntry[] = permissionCatalog.flatMap((m, mi) =>
  m.submodules.flatMap((s, si) => s.actions.map((a, ai) => ({
    code: `${s.key}:${a}`,
    module: m.label,
    label: `${s.label} · ${actionLabels[a]}`,
    sort: mi * 10_000 + si * 100 + ai,
    kinds: s.kinds,
  }))),
);

/** Codes that no super admin holds by office: they must be granted by a role. */
export const separatedDuties = new Set(['system.audit:view']);

export function superAdminPermissions(kind: OrganisationKind): string[] {
  return permissionEntries.filter((p) => p.kinds.includes(kind) && !separatedDuties.has(p.code)).map((p) => p.code);
}

export function isKnownPermission(code: string): boolean {
  return permissionEntries.some((p) => p.code === code);
}

/**
 * 三员分立 (GB/T 22239 level 3): three built-in provincial roles whose rights do not overlap.
 * The system administrator runs the platform's configuration, the security administrator
 * manages admins, roles and sessions, the audit administrator only reads the audit log.
 */
export const separationOfDuties: Array<{ name: string; description: string; codes: string[] }> = [
  { name: '系统管理员', description: '三员之一：平台配置（学习形式目录、导出任务）', codes: ['system.learning_forms:view', 'system.learning_forms:edit', 'system.year_rules:view', 'system.year_rules:edit', 'stats.exports:view', 'stats.exports:run'] },
  { name: '安全管理员', description: '三员之一：管理员、角色、在线会话与账号安全', codes: ['account.admins:view', 'account.admins:create', 'account.admins:delete', 'account.roles:view', 'account.roles:create', 'account.roles:edit', 'account.roles:delete', 'account.sessions:view', 'account.sessions:delete'] },
  { name: '审计管理员', description: '三员之一：只读审计日志', codes: ['system.audit:view'] },
];
