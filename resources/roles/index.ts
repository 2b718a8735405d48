/**
 * 角色管理 (manual 4.1.1.3.1): roles are named sets of permissions owned by an organisation;
 * their permissions are set from the catalog tree (permissions.ts), never beyond the author's.
 */
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { validateFields } from '../../hooks/validate-fields.js';
import { newRoleAction, permissionTreeAction, setPermissionsAction } from './permissions.js';
import { Components } from '../../src/admin/components/index.js';
import { rolesPolicy } from './policy.js';

export const rolesResource = ({ Role }: Models) => defineResource({
  policy: rolesPolicy,
  model: Role,
  scoped: {
    prepareCreate: async (values, p) => ({ ...validateFields(values, ['name']), organisation_id: p.organisationId, org_path: p.orgPath, builtin: false }),
    prepareUpdate: async (values) => validateFields(values),
  },
  options: {
    navigation: nav.own,
    listProperties: ['name', 'description', 'builtin', 'created_at'],
    showProperties: ['name', 'description', 'permissions', 'created_at'],
    editProperties: ['name', 'description'],
    properties: {
      permissions: { isVisible: { list: false, filter: false, edit: false, show: true }, components: { show: Components.RolePermissions } },
    },
    actions: { new: newRoleAction, setPermissions: setPermissionsAction, permissionTree: permissionTreeAction },
  },
});
