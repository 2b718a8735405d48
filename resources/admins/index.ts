/**
 * 管理单位管理员 (manual 4.1.1.3): the admins of the admin's own organisation. An organisation
 * always keeps exactly one super admin: it cannot be deleted (hand the role over first).
 */
import { AppError } from 'adminjs';
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { addAdminAction, assignRolesAction, setSuperAdminAction } from './actions.js';
import { accountsPolicy, adminsPolicy } from './policy.js';

export const adminsResource = ({ Admin }: Models) => defineResource({
  policy: adminsPolicy,
  model: Admin,
  scoped: {
    async beforeDelete(current, _p, transaction) {
      // Refused here, recorded by the scoped resource once the transaction has rolled back.
      if (current.is_super) throw new AppError('不能删除机构的超级管理员，请先将超级管理员设为他人');
      await Admin.sequelize!.query('DELETE FROM admin_roles WHERE admin_id = :id', { replacements: { id: current.id }, transaction });
    },
  },
  options: {
    navigation: nav.own,
    listProperties: ['account_id', 'department_id', 'is_super', 'created_at'],
    showProperties: ['account_id', 'organisation_id', 'department_id', 'is_super', 'created_at'],
    actions: { addAdmin: addAdminAction, setSuperAdmin: setSuperAdminAction, assignRoles: assignRolesAction },
    properties: {
      account_id: { reference: 'accounts' },
      organisation_id: { reference: 'organisations' },
      department_id: { reference: 'departments' },
    },
  },
});

/** Login identities: never listed; only their name appears where a record references one. */
export const accountsResource = ({ Account }: Models) => defineResource({
  policy: accountsPolicy,
  model: Account,
  options: { navigation: false },
});
