/**
 * Granting: nobody can grant what it does not hold. A role's permissions must be a subset of
 * its author's; a role can be handed to an admin only by someone who holds all of it; both
 * only inside the author's own organisation.
 */
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { actionLabels, permissionCatalog, type OrganisationKind } from '../../config/permissions.js';
import type { Principal } from './principal.js';
import { AccessDenied, PlatformError } from '../domain/errors.js';
import { scopeOf } from './scope.js';

export const EXCEEDS_GRANTOR = '角色权限不能超出您自身拥有的权限';

/** The catalog as a tree, each action marked grantable when the principal holds it. */
export function catalogFor(p: Principal) {
  return permissionCatalog
    .map((m) => ({
      key: m.key,
      label: m.label,
      submodules: m.submodules
        .filter((s) => s.kinds.includes(p.kind as OrganisationKind))
        .map((s) => ({
          key: s.key,
          label: s.label,
          items: s.actions.map((a) => {
            const code = `${s.key}:${a}`;
            return { code, label: actionLabels[a], grantable: p.permissions.includes(code) };
          }),
        })),
    }))
    .filter((m) => m.submodules.length > 0);
}

export function assertGrantable(p: Principal, codes: string[]): void {
  const over = codes.filter((c) => !p.permissions.includes(c));
  if (over.length) throw new AccessDenied(`${EXCEEDS_GRANTOR}：${over.join('、')}`);
}

/** The roles the principal may hand to admins (the roles policy's `assign` scope: its own organisation's). */
export async function rolesOfOrganisation(sequelize: Sequelize, p: Principal, transaction?: Transaction) {
  const rows = await sequelize.query<{ id: number; name: string; codes: string[] | null }>(
    `SELECT r.id, r.name, array_remove(array_agg(rp.permission_code), NULL) codes FROM roles r
       LEFT JOIN role_permissions rp ON rp.role_id = r.id
      WHERE ${scopeOf(p, 'roles', 'assign').sql('r')} GROUP BY r.id, r.name ORDER BY r.name`,
    { type: QueryTypes.SELECT, transaction },
  );
  return rows.map((r) => ({ id: r.id, name: r.name, codes: r.codes ?? [], grantable: (r.codes ?? []).every((c) => p.permissions.includes(c)) }));
}

/** Replaces an admin's roles; every role must be of the principal's organisation and grantable. */
export async function assignRoles(sequelize: Sequelize, p: Principal, adminId: number, roleIds: number[], transaction: Transaction) {
  const roles = await rolesOfOrganisation(sequelize, p, transaction);
  const byId = new Map(roles.map((r) => [r.id, r]));
  const current = (await sequelize.query<{ role_id: number }>('SELECT role_id FROM admin_roles WHERE admin_id = :adminId',
    { replacements: { adminId }, type: QueryTypes.SELECT, transaction })).map((r) => r.role_id);
  for (const id of roleIds) {
    const role = byId.get(id);
    if (!role) throw new PlatformError('所选角色不属于本机构');
    // Keeping a role the admin already has is not a new grant.
    if (!role.grantable && !current.includes(id)) throw new AccessDenied(`${EXCEEDS_GRANTOR}：${role.name}`);
  }
  for (const id of current) {
    if (!roleIds.includes(id) && byId.get(id) && !byId.get(id)!.grantable) throw new AccessDenied(`${EXCEEDS_GRANTOR}：${byId.get(id)!.name}`);
  }
  await sequelize.query('DELETE FROM admin_roles WHERE admin_id = :adminId', { replacements: { adminId }, transaction });
  for (const id of roleIds) {
    await sequelize.query('INSERT INTO admin_roles (admin_id, role_id) VALUES (:adminId, :id)', { replacements: { adminId, id }, transaction });
  }
  return { before: current, after: roleIds };
}
