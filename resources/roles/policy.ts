/** Who may see and edit roles (角色管理, 4.1.1.3.1): the own organisation's; built-in roles only read. */
import type { Policy } from '../../src/access/policy.js';

export const rolesPolicy: Policy = {
  id: 'roles',
  table: 'roles',
  actions: {
    list: 'account.roles:view', show: 'account.roles:view', new: 'account.roles:create',
    edit: 'account.roles:edit', delete: 'account.roles:delete', setPermissions: 'account.roles:edit',
    permissionTree: 'account.roles:view',
    // Handing roles to admins (新增管理员, 分配角色) reads the organisation's roles without 角色管理.
    assign: 'account.admins:create',
  },
  // Built-in roles (三员分立) are shown but never changed through the panel.
  scope: (p, action) => (p.kind === 'person' ? []
    : ['list', 'show', 'search', 'assign', 'permissionTree'].includes(action) ? [{ organisation_id: p.organisationId }] : [{ organisation_id: p.organisationId, builtin: false }]),
  readable: ['id', 'name', 'description', 'organisation_id', 'builtin', 'created_at'],
  writable: { new: ['name', 'description'], edit: ['name', 'description'] },
};
