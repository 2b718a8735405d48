/**
 * 保存的报表 (issue 20, item 2): shared with the admins of the organisation that saved them;
 * changed or deleted by their owner or the organisation's super admin; run now by anyone who
 * sees them (the run reads through the runner's own scope).
 */
import type { Policy } from '../../src/access/policy.js';
import type { Principal } from '../../src/access/principal.js';

const isAdmin = (p: Principal) => p.adminId !== null && p.kind !== 'person';
const own = (p: Principal) => (isAdmin(p) ? [{ organisation_id: p.organisationId }] : []);
const mine = (p: Principal) => (!isAdmin(p) ? [] : p.isSuper ? [{ organisation_id: p.organisationId }] : [{ organisation_id: p.organisationId, owner_id: p.accountId }]);

export const savedReportsPolicy: Policy = {
  id: 'saved_reports',
  table: 'saved_reports',
  actions: { list: isAdmin, show: isAdmin, search: isAdmin, new: isAdmin, edit: isAdmin, delete: isAdmin, runSaved: isAdmin },
  scope: (p, action) => (action === 'edit' || action === 'delete' ? mine(p) : own(p)),
  readable: ['id', 'name', 'kind', 'resource', 'report', 'params', 'area_id', 'year_param', 'owner_id', 'organisation_id', 'version', 'created_at', 'updated_at'],
  writable: { new: ['name', 'report', 'params', 'area_id', 'year_param'], edit: ['name', 'params', 'area_id', 'year_param', 'version'] },
};
