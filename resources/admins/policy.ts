/**
 * Who may see and manage admin seats (管理单位管理员, 4.1.1.3), login identities and open sessions
 * (在线会话). Acting on an account itself — its password, its sessions, attaching or linking it —
 * needs more than these rules: authority over every role the account holds (src/access/accounts.ts).
 */
import type { Policy } from '../../src/access/policy.js';

export const adminsPolicy: Policy = {
  id: 'admins',
  table: 'admins',
  actions: {
    list: 'account.admins:view', show: 'account.admins:view', delete: 'account.admins:delete',
    addAdmin: 'account.admins:create', assignRoles: 'account.admins:create',
    // Only the super admin hands its office over.
    setSuperAdmin: (p) => p.isSuper,
  },
  scope: (p) => (p.kind === 'person' ? [] : [{ organisation_id: p.organisationId }]),
  readable: ['id', 'account_id', 'organisation_id', 'department_id', 'is_super', 'created_at'],
  writable: {},
};

/** Login identities: never listed; only their name appears where a record references one. */
export const accountsPolicy: Policy = {
  id: 'accounts',
  table: 'accounts',
  actions: {},
  scope: () => [],
  readable: ['id', 'name'],
  writable: {},
};

export const sessionsPolicy: Policy = {
  id: 'sessions',
  table: 'session',
  actions: { list: 'account.sessions:view', delete: 'account.sessions:delete', bulkDelete: 'account.sessions:delete' },
  scope: (p) => (p.kind === 'person' ? [] : [{ organisation_id: p.organisationId }]),
  readable: ['id', 'account_id', 'login_at', 'expire'],
  writable: {},
};
