/** 基本信息管理 (manual 4.1.1.1): the admin's own organisation — name, credit code, phones, e-mail. */
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { options as opts, organisationKind, organisationStatus } from '../../src/domain/labels.js';
import { validateOrganisationEdit } from './hooks.js';
import { ownOrganisationPolicy } from './policy.js';
import { changeSuperiorAction } from './superior-change.js';
import { requestChangeAction } from '../../actions/request-change.js';
import { mayRun } from '../../src/access/scope.js';
import type { Principal } from '../../src/access/principal.js';

export const ownOrganisationResource = ({ Organisation }: Models) => defineResource({
  policy: ownOrganisationPolicy,
  model: Organisation,
  scoped: { prepareUpdate: (values) => validateOrganisationEdit(values) },
  options: {
    navigation: nav.own,
    // 基本信息 is the organisation's own record: the menu entry (and the breadcrumb) open its
    // detail, a form of its fields with 修改单位信息, not a list of one row.
    // Only for whom may open it: a custom href would otherwise put 基本信息 in every menu (a person's too).
    href: ({ h, currentAdmin }) => {
      const p = currentAdmin as unknown as Principal | undefined;
      if (!p || !mayRun(p, 'my_organisation', 'show')) return null as unknown as string;
      return h.recordActionUrl({ resourceId: 'my_organisation', recordId: String(p.organisationId), actionName: 'show' });
    },
    listProperties: ['name', 'kind', 'credit_code', 'mobile', 'email', 'status'],
    showProperties: ['name', 'kind', 'region_code', 'credit_code', 'parent_id', 'contact_name', 'mobile', 'phone', 'email', 'address', 'status', 'updated_at'],
    editProperties: ['name', 'credit_code', 'contact_name', 'mobile', 'phone', 'email', 'address'],
    actions: {
      changeSuperior: changeSuperiorAction,
      requestInfoChange: requestChangeAction('organisation_info', [
        { key: 'name', label: '单位名称' }, { key: 'credit_code', label: '统一社会信用代码' }, { key: 'contact_name', label: '联系人' },
        { key: 'mobile', label: '手机号' }, { key: 'phone', label: '固定电话' }, { key: 'email', label: '电子邮箱' }, { key: 'address', label: '地址' },
      ]),
    },
    properties: {
      kind: { availableValues: opts(organisationKind) },
      status: { availableValues: opts(organisationStatus) },
      // The lost-update check's version travels with the record's params, unseen (not a field to show: issue 17).
      version: { isVisible: false },
      parent_id: { reference: 'organisations' },
    },
  },
});
