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
import { arrayField, bodyOf, isPost, sequelizeOf, stringField } from '../../actions/request-data.js';
import { AppError } from 'adminjs';
import { adminHandler } from '../../src/admin/errors.js';

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

/**
 * 新增角色 as one form (issue 17, item 10): name, description and the permission tree (with
 * select-all per module) in one step — the role used to be created with 名称 and 描述 only, its
 * permissions set afterwards, unprompted. GET gives the tree; POST checks the codes first (known,
 * and each one held by the creating admin), then creates the role through the scoped resource
 * (its policy, validation and audit) and sets the permissions, audited.
 */
export const newRoleAction = {
  component: Components.RoleForm,
  handler: adminHandler(async (request: ActionRequest, _res: unknown, context: ActionContext) => {
    const p = principalOf(context);
    if (!isPost(request)) return { catalog: catalogFor(p) };
    const sequelize = sequelizeOf(context);
    const body = bodyOf(request);
    const codes = [...new Set(arrayField(body, 'codes').map(String))];
    if (codes.some((c) => !isKnownPermission(c))) throw new AppError('包含不存在的权限');
    try {
      assertGrantable(p, codes);
    } catch (e) {
      await audit({ actor: p, action: 'create', resource: 'roles', outcome: 'refused', after: { codes }, reason: (e as Error).message });
      throw e;
    }
    const resource = context.resource as unknown as { create(params: Record<string, unknown>, context: ActionContext): Promise<Record<string, unknown>> };
    const created = await resource.create({ name: stringField(body, 'name', 50), description: stringField(body, 'description', 500) }, context);
    const roleId = Number(created.id);
    await sequelize.transaction(async (transaction) => {
      for (const code of codes) {
        await sequelize.query('INSERT INTO role_permissions (role_id, permission_code) VALUES (:roleId, :code)', { replacements: { roleId, code }, transaction });
      }
      await audit({ actor: p, action: 'set_permissions', resource: 'roles', recordId: roleId, before: { codes: [] }, after: { codes } }, transaction);
    });
    return {
      record: { id: roleId, params: created, populated: {}, errors: {}, baseError: null, title: String(created.name ?? ''), recordActions: [], bulkActions: [] },
      notice: { message: `角色已创建（${codes.length} 项权限）`, type: 'success' },
      redirectUrl: `/admin/resources/roles/records/${roleId}/show`,
    };
  }),
};

/** The role's detail lists its permissions as the tree (read only; built-in roles too). */
export const permissionTreeAction = {
  actionType: 'record' as const,
  isVisible: false,
  component: false as const,
  async handler(_request: ActionRequest, _res: unknown, context: ActionContext) {
    const sequelize = sequelizeOf(context);
    const roleId = Number(context.record!.id());
    const checked = (await sequelize.query<{ permission_code: string }>(
      'SELECT permission_code FROM role_permissions WHERE role_id = :roleId ORDER BY 1', { replacements: { roleId }, type: QueryTypes.SELECT },
    )).map((r) => r.permission_code);
    // The whole catalog of the organisation's kind, each entry marked held by the role or not.
    const catalog = catalogFor({ ...principalOf(context), permissions: [] });
    return { record: context.record!.toJSON(context.currentAdmin), catalog, checked };
  },
};
