/** Keeps table `permissions` equal to the catalog in config/permissions.ts (at every start). */
import type { Sequelize } from 'sequelize';
import { QueryTypes } from 'sequelize';
import { permissionEntries, separationOfDuties } from '../../config/permissions.js';

export async function syncPermissionCatalog(sequelize: Sequelize): Promise<void> {
  await sequelize.transaction(async (transaction) => {
    for (const p of permissionEntries) {
      await sequelize.query(
        `INSERT INTO permissions (code, module, label, sort) VALUES (:code, :module, :label, :sort)
         ON CONFLICT (code) DO UPDATE SET module = EXCLUDED.module, label = EXCLUDED.label, sort = EXCLUDED.sort`,
        { replacements: { code: p.code, module: p.module, label: p.label, sort: p.sort }, transaction },
      );
    }
    // A code dropped from the catalog leaves every role (role_permissions cascades).
    await sequelize.query('DELETE FROM permissions WHERE code NOT IN (:codes)',
      { replacements: { codes: permissionEntries.map((p) => p.code) }, transaction });
    // 三员分立: the built-in roles of the provincial department, kept equal to the configuration.
    const [province] = await sequelize.query<{ id: number; path: string }>("SELECT id, path FROM organisations WHERE kind = 'province_hr'", { type: QueryTypes.SELECT, transaction });
    if (!province) return;
    for (const r of separationOfDuties) {
      const [[role]] = await sequelize.query(
        `INSERT INTO roles (organisation_id, org_path, name, description, builtin) VALUES (:org, :path, :name, :description, true)
         ON CONFLICT (organisation_id, name) DO UPDATE SET description = EXCLUDED.description, builtin = true RETURNING id`,
        { replacements: { org: province.id, path: province.path, name: r.name, description: r.description }, transaction },
      ) as unknown as [[{ id: number }]];
      await sequelize.query('DELETE FROM role_permissions WHERE role_id = :id AND permission_code NOT IN (:codes)', { replacements: { id: role.id, codes: r.codes }, transaction });
      for (const code of r.codes) {
        await sequelize.query('INSERT INTO role_permissions (role_id, permission_code) VALUES (:id, :code) ON CONFLICT DO NOTHING', { replacements: { id: role.id, code }, transaction });
      }
    }
  });
}
