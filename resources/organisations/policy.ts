/**
 * Who may see and change organisations: the admin's own (基本信息管理, 4.1.1.1), its departments
 * (管理内设部门, 4.1.1.2), the organisations below it (下属机构管理, 4.1.2), and the change of
 * superior (更换上级部门): the own organisation's requests and the superiors' review list.
 */
import { decisionAccess, type Policy } from '../../src/access/policy.js';
import { inJurisdiction, isHrAdmin } from '../../src/access/scopes.js';

/** Fields an HR department edits itself on its own organisation (others ask their superior). */
export const editableFields = ['name', 'credit_code', 'contact_name', 'mobile', 'phone', 'email', 'address'];

export const ownOrganisationPolicy: Policy = {
  id: 'my_organisation',
  table: 'organisations',
  actions: {
    list: 'account.basic:view', show: 'account.basic:view', changeSuperior: 'account.basic:edit',
    // An HR department edits its information itself; a unit or CE base asks its superior (机构信息修改审核).
    edit: (p) => isHrAdmin(p) && p.permissions.includes('account.basic:edit'),
    requestInfoChange: (p) => !isHrAdmin(p) && p.permissions.includes('account.basic:edit'),
  },
  scope: (p) => (p.kind === 'person' ? [] : [{ id: p.organisationId }]),
  readable: ['id', 'name', 'kind', 'region_code', 'credit_code', 'contact_name', 'mobile', 'phone', 'email', 'address', 'status', 'parent_id', 'version', 'updated_at'],
  writable: { edit: [...editableFields, 'version'] },
};

export const departmentsPolicy: Policy = {
  id: 'departments',
  table: 'organisations',
  actions: {
    list: 'account.departments:view', show: 'account.departments:view', new: 'account.departments:create',
    edit: 'account.departments:edit', delete: 'account.departments:delete',
  },
  scope: (p) => (p.kind === 'person' ? [] : [{ parent_id: p.organisationId, kind: 'department' }]),
  view: { kind: 'department' },
  readable: ['id', 'name', 'phone', 'contact_name', 'parent_id', 'kind', 'created_at', 'version'],
  writable: { new: ['name', 'phone', 'contact_name'], edit: ['name', 'phone', 'contact_name', 'version'] },
};

export const subordinatesPolicy: Policy = {
  id: 'organisations',
  table: 'organisations',
  actions: {
    list: 'account.subordinates:view', show: 'account.subordinates:view', search: 'account.subordinates:view',
    edit: 'account.subordinates:edit', enable: 'account.subordinates:edit', disable: 'account.subordinates:edit',
  },
  scope: (p) => (p.kind === 'person' ? [] : [{ path: { $startsWith: p.orgPath }, depth: { $gt: p.orgDepth } }]),
  view: { kind: { $ne: 'department' } },
  readable: ['id', 'name', 'kind', 'region_code', 'credit_code', 'contact_name', 'mobile', 'phone', 'email', 'address', 'status', 'parent_id', 'depth', 'version', 'created_at'],
  writable: { edit: ['name', 'contact_name', 'mobile', 'phone', 'email', 'address', 'version'] },
};

export const superiorChangesPolicy: Policy = {
  id: 'superior_changes',
  table: 'superior_changes',
  actions: { list: 'account.basic:view', show: 'account.basic:view' },
  scope: (p) => (p.kind === 'person' ? [] : [{ organisation_id: p.organisationId }]),
  readable: ['id', 'organisation_id', 'from_superior_id', 'to_superior_id', 'reason_for_change', 'status', 'created_at', 'updated_at'],
  writable: {},
};

export const superiorChangeReviewsPolicy: Policy = {
  id: 'superior_change_reviews',
  table: 'approval_tasks',
  actions: { list: 'account.subordinates:view', show: 'account.subordinates:view', ...decisionAccess('account.subordinates:edit') },
  scope: inJurisdiction(),
  view: { request_type: 'superior_change' },
  readable: ['id', 'request_id', 'side', 'organisation_id', 'status', 'reason', 'decided_by', 'decided_at', 'created_at'],
  writable: {},
};
