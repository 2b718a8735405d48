/**
 * What a transfer record shows beside the move itself (issue 17, item 7): the person's 证件号,
 * 职务系列 and 任职资格, the direction as the reader sees it (调出 from its jurisdiction, 调入 into
 * it) and each side's progress (who reviews it, its state, when).
 *
 * The receiving side must see who is coming before the person is in its jurisdiction, and the
 * persons' row-level security would hide that person from it. So the transfers are first read as
 * the principal, through the transfers' scope (`scopeOf`), and only the transfers it returns are
 * then completed as the platform — the same crossing the two-party flow makes (two-party.ts). The
 * ID number is masked unless the principal may see it whole (personal-data.ts).
 *
 * A completed transfer carries a 学时证明 of the person's last years (issue 19, item 6): its
 * number and download address, for both sides.
 */
import { QueryTypes, type Sequelize } from 'sequelize';
import type { Principal } from '../access/principal.js';
import { allows, scopeOf } from '../access/scope.js';
import { asPlatform } from '../access/context.js';
import { maskPersonalData, personPersonalData } from '../access/personal-data.js';
import { requestStatus, titleLevel } from '../domain/labels.js';
import { proofsOfTransfers } from '../services/certificates/proof.js';

export interface SideProgress { side: 'source' | 'target'; organisation: string; status: string; statusLabel: string; decidedAt: string | null; reason: string | null }
export interface TransferDetails {
  id_number: string; title_series: string | null; title_level: string | null; title: string | null;
  direction: string; progress: SideProgress[];
  /** The attached 学时证明's number, once the transfer completed. */
  hourProof: string | null;
}

export async function transferDetails(sequelize: Sequelize, p: Principal, ids: Array<string | number>, whole: boolean): Promise<Map<string, TransferDetails>> {
  const wanted = [...new Set(ids.map(Number).filter((n) => Number.isInteger(n) && n > 0))];
  if (!wanted.length) return new Map();
  const visible = (await sequelize.query<{ id: number }>(
    `SELECT t.id FROM transfers t WHERE t.id IN (:ids) AND (${scopeOf(p, 'transfers', 'list').sql('t')})`,
    { replacements: { ids: wanted }, type: QueryTypes.SELECT })).map((r) => r.id);
  if (!visible.length) return new Map();
  const [rows, tasks, proofs] = await asPlatform('调转记录详情', () => Promise.all([
    sequelize.query<{ id: number; id_number: string; title_series: string | null; title_level: string | null; title: string | null }>(
      `SELECT t.id, p.id_number, p.title_series, p.title_level, p.title FROM transfers t JOIN persons p ON p.id = t.person_id WHERE t.id IN (:ids)`,
      { replacements: { ids: visible }, type: QueryTypes.SELECT }),
    sequelize.query<{ request_id: number; side: 'source' | 'target'; org_path: string; status: string; decided_at: Date | null; reason: string | null; organisation: string }>(
      `SELECT a.request_id, a.side, a.org_path, a.status, a.decided_at, a.reason, o.name organisation FROM approval_tasks a
         JOIN organisations o ON o.id = a.organisation_id
        WHERE a.request_type = 'transfer' AND a.request_id IN (:ids) ORDER BY a.side`,
      { replacements: { ids: visible }, type: QueryTypes.SELECT }),
    proofsOfTransfers(sequelize, visible),
  ]));
  const out = new Map<string, TransferDetails>();
  for (const r of rows) {
    const sides = tasks.filter((x) => x.request_id === r.id);
    // The direction is the reader's: the side whose review list would hold this task for it.
    const mine = sides.filter((x) => allows(p, x.side === 'source' ? 'transfer_out_reviews' : 'transfer_in_reviews', 'list',
      { request_type: 'transfer', side: x.side, org_path: x.org_path }));
    const direction = mine.length === 2 || mine.length === 0 ? '辖区内调转' : mine[0].side === 'source' ? '调出' : '调入';
    const masked = maskPersonalData({ id_number: r.id_number }, personPersonalData, p, whole);
    out.set(String(r.id), {
      id_number: masked.id_number, title_series: r.title_series, title_level: r.title_level ? titleLevel[r.title_level] ?? r.title_level : null, title: r.title,
      direction, hourProof: proofs.get(Number(r.id)) ?? null,
      progress: sides.map((x) => ({ side: x.side, organisation: x.organisation, status: x.status, statusLabel: requestStatus[x.status] ?? x.status,
        decidedAt: x.decided_at ? new Date(x.decided_at).toISOString() : null, reason: x.reason })),
    });
  }
  return out;
}
