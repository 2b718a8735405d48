/**
 * 角色权限设置: GET gives the catalog tree (grantable marks) and the role's permissions;
 * POST replaces them — only with codes the editing admin holds, in one transaction, audited.
 */
import type { ActionContext, ActionRequest } from 'adminjs';
import { QueryTypes } from 'sequelize';
import { principalOf } from '../../src/admin/scoped-resource.js';
import { assertGrantable, catalogFor } from '../../src/access/grants.js';
import { isKnownPermission } from '../../config/permissions.js';
import { audit } from '../../src/services/audit.js';
import { Components } from '../../src/admin/components/index.js';
import { arrayField, bodyOf, isPost, sequelizeOf } from '../../actions/request-data.js';
import { AppError } from 'adminjs';

export const setPermissionsAction = {
  actionType: 'record' as const,
  icon: 'Key',
  component: Components.PermissionTree,
  async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
    const p = principalOf(context);
    const record = context.record!;
    const sequelize = sequelizeOf(context);
    const roleId = Number(record.id());
    const current = (await sequelize.query<{ permission_code: string }>(
      'SELECT permission_code FROM role_permissions WHERE role_id = :roleId ORDER BY 1', { replacements: { roleId }, type: QueryTypes.SELECT },
    )).map((r) => r.permission_code);
    if (!isPost(request)) return { record: record.toJSON(context.currentAdmin), catalog: catalogFor(p), checked: current };

    const codes = [...new Set(arrayField(bodyOf(request), 'codes').map(String))];
    try {
      if (codes.some((c) => !isKnownPermission(c))) throw new AppError('包含不存在的权限');
      // Adding needs the grantor to hold the code; so does removing one (else a lesser admin could strip a role).
      assertGrantable(p, [...codes.filter((c) => !current.includes(c)), ...current.filter((c) => !codes.includes(c))]);
    } catch (e) {
      await audit({ actor: p, action: 'set_permissions', resource: 'roles', recordId: roleId, outcome: 'refused', before: { codes: current }, after: { codes }, reason: (e as Error).message });
      throw e;
    }
    await sequelize.transaction(async (transaction) => {
      await sequelize.query('DELETE FROM role_permissions WHERE role_id = :roleId', { replacements: { roleId }, transaction });
      for (const code of codes) {
        await sequelize.query('INSERT INTO role_permissions (role_id, permission_code) VALUES (:roleId, :code)', { replacements: { roleId, code }, transaction });
      }
      await audit({ actor: p, action: 'set_permissions', resource: 'roles', recordId: roleId, before: { codes: current }, after: { codes } }, transaction);
    });
    return { record: record.toJSON(context.currentAdmin), notice: { message: `角色权限已保存（${codes.length} 项）`, type: 'success' } };
  },
};
