/**
 * The workflow engine's decision (审核): approve or reject reviewable requests.
 *
 * One conditional UPDATE … WHERE <ids or filter> AND status IN (<pending>) AND <scope of the
 * action> … RETURNING, in a transaction: two admins deciding at once cannot both win (the
 * second finds no pending row), a record outside the jurisdiction is never touched, and the
 * effect of the decision (activating an account, applying a change, counting hours) happens
 * in the same transaction. Every decided row is appended to the audit log.
 */
import { Op, type Transaction, type WhereOptions } from 'sequelize';
import type { Principal } from '../access/principal.js';
import { scopeOf } from '../access/scope.js';
import type { AnyModel } from '../db/models.js';
import { PlatformError } from '../domain/errors.js';
import { auditMany } from '../services/audit.js';
import { retryOnConflict } from '../db/retry.js';

export type Decision = 'approve' | 'reject';
export type Row = Record<string, unknown>;

export interface ReviewFlow {
  /** Statuses a decision may start from (default: pending). */
  pending?: string[];
  /** Statuses the 已审核 tab shows (default: approved,rejected). */
  reviewed?: string;
  /** Status a rejection leads to (default: rejected; verification: verification_failed). */
  rejectedStatus?: string;
  /** Status an approval leads to, per row (default: approved). */
  approvedStatus?: (row: Row) => string;
  /** Extra columns written on approval (e.g. the approved hours). */
  onApprove?: Record<string, unknown>;
  /**
   * Where the decision is written (default: reason / decided_by / decided_at). 学时审验 is a second
   * step after the first decision: it writes its own columns and leaves the first decision as it was.
   */
  columns?: { reason: string; by: string; at: string };
  /** What the rejection is called in messages (default 驳回; verification: 审验不通过). */
  rejectLabel?: string;
  /** The audit log's action for a rejection (default reject). */
  rejectAudit?: string;
  /** The effect of the decision, in its transaction, for the rows it decided. */
  effect?: (rows: Row[], decision: Decision, p: Principal, transaction: Transaction) => Promise<void>;
}

export const REASON_REQUIRED = '驳回时必须填写原因';
export const VERIFICATION_REASON_REQUIRED = '审验不通过时必须填写原因';
export const NOTHING_DECIDED = '没有可审核的记录：所选记录已被他人审核，或不在待审核状态';

export interface DecideInput {
  /** The table's model and the entity (review list) whose policy scopes the decision. */
  model: AnyModel;
  entity: string;
  flow: ReviewFlow;
  principal: Principal;
  /** The action whose scope applies (approve, bulkReject, approveAll …). */
  action: string;
  /** Which rows: ids, or a filter (for approve-all). */
  where: WhereOptions;
  decision: Decision;
  reason?: string;
}

export async function decide({ model, entity, flow, principal: p, action, where, decision, reason }: DecideInput): Promise<{ decided: Row[] }> {
  const why = (reason ?? '').trim();
  if (decision === 'reject' && !why) throw new PlatformError(flow.columns ? VERIFICATION_REASON_REQUIRED : REASON_REQUIRED);
  const columns = flow.columns ?? { reason: 'reason', by: 'decided_by', at: 'decided_at' };
  const sequelize = model.sequelize!;
  const scope = scopeOf(p, entity, action).where;
  // A deadlock between two decisions (each locking person-years another holds) rolls one back
  // whole: it is tried again, from the start, on fresh rows.
  return retryOnConflict(() => sequelize.transaction(async (transaction) => {
    const target = { [Op.and]: [where, scope, { status: { [Op.in]: flow.pending ?? ['pending'] } }] };
    const values: Row = {
      [columns.reason]: why || null,
      [columns.by]: p.accountId,
      [columns.at]: new Date(),
      updated_at: new Date(),
      ...(decision === 'approve' ? flow.onApprove ?? {} : {}),
    };
    // Lock the rows first: the audit records where each came from, and a concurrent decision waits.
    const before = await model.findAll({ where: target, transaction, lock: transaction.LOCK.UPDATE, raw: true }) as unknown as Row[];
    const from = new Map(before.map((r) => [String(r.id), r.status]));
    const groups = new Map<string, unknown[]>();
    for (const r of before) {
      const status = decision === 'reject' ? flow.rejectedStatus ?? 'rejected' : flow.approvedStatus?.(r) ?? 'approved';
      const group = groups.get(status);
      if (group) group.push(r.id); else groups.set(status, [r.id]);
    }
    const decided: Row[] = [];
    for (const [status, ids] of groups) {
      const [, updated] = await model.update({ ...values, status }, { where: { id: { [Op.in]: ids } }, transaction, returning: true });
      decided.push(...updated.map((u) => u.get({ plain: true }) as Row));
    }
    if (decided.length === 0) throw new PlatformError(NOTHING_DECIDED);
    if (flow.effect) await flow.effect(decided, decision, p, transaction);
    await auditMany(decided.map((r) => ({
      actor: p, action: decision === 'reject' ? flow.rejectAudit ?? 'reject' : 'approve', resource: entity, recordId: r.id,
      before: { status: from.get(String(r.id)) }, after: { status: r.status }, reason: why || null, orgPath: (r.org_path as string) ?? null,
    })), transaction);
    return { decided };
  }));
}
