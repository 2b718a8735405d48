/**
 * 人员调转 (manual 4.1.6). The sending jurisdiction requests the transfer of one of its persons
 * to a unit anywhere in the province; the sending side's HR department reviews it (调出审核), the
 * receiving side's confirms it (调入审核); only when both approved does the person move — unit, jurisdiction
 * path and the whole hour history with it — in the transaction of the last approval.
 */
import { Op, QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { platformPrincipal } from '../access/context.js';
import { withinTransactionAs } from '../access/wall.js';
import type { Principal } from '../access/principal.js';
import { scopeOf } from '../access/scope.js';
import type { AnyModel } from '../db/models.js';
import { Conflict, PlatformError } from '../domain/errors.js';
import { TRANSFER_OPEN } from '../domain/messages.js';
import { audit } from '../services/audit.js';
import { attachTransferProof } from '../services/certificates/proof.js';
import type { Row } from './decide.js';
import { openApprovalTasks, twoPartyFlow } from './two-party.js';

export interface TransferInput { personId: number; toUnitId: number; reason: string }

export { TRANSFER_OPEN };

/** Creates the transfer and its two approval tasks; the person must be one the principal may list. */
export async function requestTransfer(sequelize: Sequelize, Person: AnyModel, p: Principal, input: TransferInput): Promise<number> {
  const reason = input.reason.trim();
  if (!reason) throw new PlatformError('请填写调转原因');
  if (reason.length > 500) throw new PlatformError('调转原因不能超过500字');
  const personScope = scopeOf(p, 'persons', 'list').where;
  return sequelize.transaction(async (transaction) => {
    const person = await Person.findOne({ where: { [Op.and]: [{ id: input.personId }, personScope] }, transaction, raw: true }) as unknown as Row | null;
    if (!person) throw new PlatformError('请选择本辖区内的专业技术人员');
    if (person.status !== 'active') throw new PlatformError('该人员状态不正常，不能调转');
    const [to] = await sequelize.query<{ id: number; path: string; name: string }>(
      "SELECT id, path, name FROM organisations WHERE id = :id AND kind = 'unit' AND status = 'active'",
      { replacements: { id: input.toUnitId }, type: QueryTypes.SELECT, transaction });
    if (!to) throw new PlatformError('请选择有效的调入单位');
    if (to.id === person.unit_id) throw new PlatformError('调入单位不能与原单位相同');
    const [open] = await sequelize.query("SELECT 1 FROM transfers WHERE person_id = :pid AND status = 'pending'",
      { replacements: { pid: person.id }, type: QueryTypes.SELECT, transaction });
    // Sequentially here; two requests at once meet the unique index (db/errors.ts: 409 as well).
    if (open) throw new Conflict(TRANSFER_OPEN);
    const [[transfer]] = await sequelize.query(
      `INSERT INTO transfers (person_id, from_unit_id, to_unit_id, from_path, to_path, reason_for_transfer, requested_by)
       VALUES (:pid, :from, :to, :fromPath, :toPath, :reason, :by) RETURNING id`,
      { replacements: { pid: person.id, from: person.unit_id, to: to.id, fromPath: person.org_path, toPath: to.path, reason, by: p.accountId }, transaction },
    ) as unknown as [[{ id: number }]];
    // Each side is reviewed by the HR department in charge of its unit (调出审核 / 调入审核), as the
    // seeded records always had it; the units themselves used to hold the tasks (issue 17, item 7).
    const [source, target] = await withinTransactionAs(sequelize, transaction, platformPrincipal('调转双方审核机构'), () =>
      Promise.all([hrInChargeOf(sequelize, String(person.org_path), transaction), hrInChargeOf(sequelize, to.path, transaction)]));
    await openApprovalTasks(sequelize, 'transfer', transfer.id, {
      source: { organisationId: source.id, path: source.path }, target: { organisationId: target.id, path: target.path },
    }, transaction);
    await audit({ actor: p, action: 'transfer_out', resource: 'transfers', recordId: transfer.id,
      after: { person_id: person.id, from_unit_id: person.unit_id, to_unit_id: to.id, reason } }, transaction);
    return transfer.id;
  });
}

/** The nearest HR department above (or at) an organisation, from the ids its path names. */
async function hrInChargeOf(sequelize: Sequelize, path: string, transaction: Transaction): Promise<{ id: number; path: string }> {
  const ids = path.split('/').filter(Boolean).map(Number);
  const [hr] = await sequelize.query<{ id: number; path: string }>(
    "SELECT id, path FROM organisations WHERE id IN (:ids) AND kind IN ('province_hr','city_hr','county_hr') ORDER BY depth DESC LIMIT 1",
    { replacements: { ids }, type: QueryTypes.SELECT, transaction });
  if (!hr) throw new PlatformError('未找到该单位的主管人社部门');
  return hr;
}

export function transferFlow(sequelize: Sequelize) {
  return twoPartyFlow(sequelize, 'transfer', {
    async onApproved(db, transfer, p, transaction) {
      // 学时证明 of the last five years, issued by the sending side's bureau before the move: the
      // receiving side reads the history it takes over (issue 19, item 6).
      await attachTransferProof(db, transfer, p, transaction);
      // The destination's path as it is now (it may have moved since the request).
      const [to] = await db.query<{ path: string }>('SELECT path FROM organisations WHERE id = :id',
        { replacements: { id: transfer.to_unit_id }, type: QueryTypes.SELECT, transaction });
      const r = { pid: transfer.person_id, unit: transfer.to_unit_id, path: to.path };
      await db.query('UPDATE persons SET unit_id = :unit, org_path = :path, version = version + 1, updated_at = now() WHERE id = :pid', { replacements: r, transaction });
      // The hour history goes with the person: the receiving jurisdiction sees it, the sending one no longer does.
      for (const table of ['hour_declarations', 'person_year_hours', 'certificates', 'hour_proofs']) {
        await db.query(`UPDATE ${table} SET org_path = :path WHERE person_id = :pid`, { replacements: r, transaction });
      }
    },
  });
}
