/**
 * 更换上级部门 (manual 4.1.1.1): an organisation asks to move under another HR department;
 * effective only when both the old and the new superior approved. Then the whole subtree
 * moves in one transaction: the organisation's parent, the paths and depths of it and every
 * organisation below it, and the jurisdiction path of every record that carries one.
 * (The audit log keeps the paths of its time: it is append-only.)
 */
import { QueryTypes, type Sequelize } from 'sequelize';
import { PlatformError } from '../domain/errors.js';
import { pathWithin } from '../access/to-sql.js';
import type { Principal } from '../access/principal.js';
import { audit } from '../services/audit.js';
import { escapeLike } from '../db/sql.js';
import { openApprovalTasks, PATH_COLUMNS, twoPartyFlow } from './two-party.js';

/** Which kinds of HR department may be the superior of each kind of organisation. */
const SUPERIOR_KINDS: Record<string, string[]> = {
  city_hr: ['province_hr'],
  county_hr: ['city_hr'],
  unit: ['province_hr', 'city_hr', 'county_hr'],
  ce_base: ['province_hr', 'city_hr', 'county_hr'],
};

export async function superiorCandidates(sequelize: Sequelize, p: Principal, query: string) {
  const kinds = SUPERIOR_KINDS[p.kind] ?? [];
  if (!kinds.length || query.length < 2) return [];
  return sequelize.query<{ id: number; name: string }>(
    // Not the organisation itself nor anything below it (it would become its own ancestor).
    `SELECT id, name FROM organisations WHERE kind IN (:kinds) AND status = 'active' AND name ILIKE :q
        AND NOT (${pathWithin('path', p.orgPath)}) AND id <> (SELECT parent_id FROM organisations WHERE id = :org) ORDER BY name LIMIT 20`,
    { replacements: { kinds, q: `%${escapeLike(query)}%`, org: p.organisationId }, type: QueryTypes.SELECT },
  );
}

export async function requestSuperiorChange(sequelize: Sequelize, p: Principal, toSuperiorId: number, reason: string): Promise<number> {
  return sequelize.transaction(async (transaction) => {
    const [org] = await sequelize.query<{ id: number; parent_id: number; kind: string; path: string }>(
      'SELECT id, parent_id, kind, path FROM organisations WHERE id = :id FOR UPDATE', { replacements: { id: p.organisationId }, type: QueryTypes.SELECT, transaction });
    const [to] = await sequelize.query<{ id: number; kind: string; path: string }>(
      "SELECT id, kind, path FROM organisations WHERE id = :id AND status = 'active'", { replacements: { id: toSuperiorId }, type: QueryTypes.SELECT, transaction });
    if (!to || !(SUPERIOR_KINDS[org.kind] ?? []).includes(to.kind)) throw new PlatformError('请选择可作为上级的人社部门');
    if (to.id === org.parent_id) throw new PlatformError('新上级部门不能与原上级部门相同');
    if (to.path.startsWith(org.path)) throw new PlatformError('不能选择本机构或其下属机构作为上级部门');
    const [open] = await sequelize.query("SELECT 1 FROM superior_changes WHERE organisation_id = :id AND status = 'pending'",
      { replacements: { id: org.id }, type: QueryTypes.SELECT, transaction });
    if (open) throw new PlatformError('已有进行中的更换上级部门申请');
    const [from] = await sequelize.query<{ path: string }>('SELECT path FROM organisations WHERE id = :id', { replacements: { id: org.parent_id }, type: QueryTypes.SELECT, transaction });
    const [[change]] = await sequelize.query(
      `INSERT INTO superior_changes (organisation_id, from_superior_id, to_superior_id, reason_for_change) VALUES (:org, :from, :to, :reason) RETURNING id`,
      { replacements: { org: org.id, from: org.parent_id, to: to.id, reason: reason.trim() || null }, transaction },
    ) as unknown as [[{ id: number }]];
    await openApprovalTasks(sequelize, 'superior_change', change.id, {
      source: { organisationId: org.parent_id, path: from.path }, target: { organisationId: to.id, path: to.path },
    }, transaction);
    await audit({ actor: p, action: 'request_superior_change', resource: 'superior_changes', recordId: change.id, after: { from: org.parent_id, to: to.id } }, transaction);
    return change.id;
  });
}

/** Moves the organisation and its subtree under the new superior. */
export async function moveSubtree(sequelize: Sequelize, orgId: number, newParentId: number, transaction: import('sequelize').Transaction) {
  const [org] = await sequelize.query<{ path: string; depth: number }>('SELECT path, depth FROM organisations WHERE id = :id FOR UPDATE', { replacements: { id: orgId }, type: QueryTypes.SELECT, transaction });
  const [parent] = await sequelize.query<{ path: string; depth: number }>('SELECT path, depth FROM organisations WHERE id = :id', { replacements: { id: newParentId }, type: QueryTypes.SELECT, transaction });
  const oldPath = org.path;
  const newPath = `${parent.path}${orgId}/`;
  const r = { oldPath, newPath, delta: parent.depth + 1 - org.depth, orgId, newParentId };
  await sequelize.query('UPDATE organisations SET parent_id = :newParentId, updated_at = now(), version = version + 1 WHERE id = :orgId', { replacements: r, transaction });
  await sequelize.query(`UPDATE organisations SET path = :newPath || substr(path, length(:oldPath) + 1), depth = depth + :delta WHERE ${pathWithin('path', oldPath)}`,
    { replacements: r, transaction });
  for (const [table, column] of PATH_COLUMNS) {
    await sequelize.query(`UPDATE ${table} SET ${column} = :newPath || substr(${column}, length(:oldPath) + 1) WHERE ${pathWithin(column, oldPath)}`, { replacements: r, transaction });
  }
}

export function superiorChangeFlow(sequelize: Sequelize) {
  return twoPartyFlow(sequelize, 'superior_change', {
    async onApproved(db, change, _p, transaction) {
      await moveSubtree(db, Number(change.organisation_id), Number(change.to_superior_id), transaction);
    },
  });
}
