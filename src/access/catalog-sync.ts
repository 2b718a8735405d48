/** Keeps table `permissions` equal to the catalog in config/permissions.ts (at every start). */
import type { Sequelize } from 'sequelize';
import { permissionEntries } from '../../config/permissions.js';

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
  });
}
