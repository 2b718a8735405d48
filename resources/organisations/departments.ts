/** 管理内设部门 (manual 4.1.1.2): departments inside the admin's own organisation. */
import { Op } from 'sequelize';
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { validateFields } from '../../hooks/validate-fields.js';
import { childOf, ownOrganisationNode } from './hooks.js';

export const departmentsResource = ({ Organisation }: Models) => defineResource({
  id: 'departments',
  model: Organisation,
  access: {
    actions: {
      list: 'account.departments:view', show: 'account.departments:view', new: 'account.departments:create',
      edit: 'account.departments:edit', delete: 'account.departments:delete',
    },
    scope: (p) => (p.kind === 'person' ? [] : [{ parent_id: p.organisationId, kind: 'department' }]),
    readable: ['id', 'name', 'phone', 'contact_name', 'parent_id', 'kind', 'created_at', 'version'],
    writable: { new: ['name', 'phone', 'contact_name'], edit: ['name', 'phone', 'contact_name', 'version'] },
  },
  scoped: {
    viewWhere: { kind: { [Op.eq]: 'department' } },
    async prepareCreate(values, p, transaction) {
      const v = validateFields(values, ['name']);
      return { ...v, ...(await childOf(Organisation, ownOrganisationNode(p), transaction)), kind: 'department', status: 'active' };
    },
    prepareUpdate: async (values) => validateFields(values),
  },
  options: {
    navigation: nav.own,
    listProperties: ['name', 'phone', 'contact_name', 'created_at'],
    showProperties: ['name', 'phone', 'contact_name', 'parent_id', 'created_at'],
    editProperties: ['name', 'phone', 'contact_name'],
    properties: { parent_id: { reference: 'organisations' } },
  },
});
