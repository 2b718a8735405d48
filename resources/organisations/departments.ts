/** 管理内设部门 (manual 4.1.1.2): departments inside the admin's own organisation. */
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { validateFields } from '../../hooks/validate-fields.js';
import { childOf, ownOrganisationNode } from './hooks.js';
import { departmentsPolicy } from './policy.js';

export const departmentsResource = ({ Organisation }: Models) => defineResource({
  policy: departmentsPolicy,
  model: Organisation,
  scoped: {
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
