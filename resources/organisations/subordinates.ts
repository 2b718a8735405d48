/** 下属机构管理 (manual 4.1.2): every organisation below the admin's own, inside its jurisdiction. */
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { options as opts, organisationKind, organisationStatus } from '../../src/domain/labels.js';
import { validateOrganisationEdit } from './hooks.js';
import { setStatusAction } from './set-status.js';
import { subordinatesPolicy } from './policy.js';

export const subordinatesResource = ({ Organisation }: Models) => defineResource({
  policy: subordinatesPolicy,
  model: Organisation,
  scoped: {
    prepareUpdate: (values) => validateOrganisationEdit(values),
  },
  options: {
    navigation: nav.account,
    sort: { sortBy: 'name', direction: 'asc' },
    listProperties: ['name', 'kind', 'parent_id', 'credit_code', 'status'],
    filterProperties: ['name', 'kind', 'credit_code', 'status', 'parent_id'],
    showProperties: ['name', 'kind', 'parent_id', 'region_code', 'credit_code', 'contact_name', 'mobile', 'phone', 'email', 'address', 'status', 'created_at'],
    editProperties: ['name', 'contact_name', 'mobile', 'phone', 'email', 'address'],
    actions: { enable: setStatusAction('disabled', 'active'), disable: setStatusAction('active', 'disabled') },
    properties: {
      kind: { availableValues: opts(organisationKind) },
      status: { availableValues: opts(organisationStatus) },
      parent_id: { reference: 'organisations' },
      // The lost-update check's version travels with the record's params, unseen (not a field to show: issue 17).
      version: { isVisible: false },
    },
  },
});
