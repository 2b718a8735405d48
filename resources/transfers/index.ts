/**
 * 人员调转 (manual 4.1.6): transfer records, visible to both the sending and the receiving
 * jurisdiction, and the two review lists (调出审核 by the sending side, 调入审核 by the receiving
 * side), each an approval task scoped to its own organisation.
 */
import { QueryTypes } from 'sequelize';
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { approvalSide, options as opts, requestStatus } from '../../src/domain/labels.js';
import { decisionActions } from '../../actions/decide.js';
import type { Policy } from '../../src/access/policy.js';
import { transferInReviewsPolicy, transferOutReviewsPolicy, transfersPolicy } from './policy.js';
import { transferFlow } from '../../src/workflow/transfer.js';
import { transferOutAction } from './transfer-out.js';

export const transfersResource = ({ Transfer }: Models) => defineResource({
  policy: transfersPolicy,
  model: Transfer,
  scoped: {
    // The review lists of both sides reference the transfer: they read the person and the move, not the reason.
    async referenceTitles(ids) {
      const rows = await Transfer.sequelize!.query<{ id: number; title: string }>(
        `SELECT t.id, p.name || '（' || f.name || ' → ' || u.name || '）' title FROM transfers t
           JOIN persons p ON p.id = t.person_id JOIN organisations f ON f.id = t.from_unit_id JOIN organisations u ON u.id = t.to_unit_id
          WHERE t.id IN (:ids)`, { replacements: { ids: ids.map(Number) }, type: QueryTypes.SELECT });
      return new Map(rows.map((r) => [String(r.id), r.title]));
    },
  },
  options: {
    navigation: nav.transfer,
    titleProperty: 'reason_for_transfer',
    sort: { sortBy: 'created_at', direction: 'desc' },
    listProperties: ['person_id', 'from_unit_id', 'to_unit_id', 'status', 'created_at'],
    filterProperties: ['status', 'created_at'],
    actions: { transferOut: transferOutAction },
    properties: {
      status: { availableValues: opts(requestStatus) },
      person_id: { reference: 'persons' },
      from_unit_id: { reference: 'organisations' },
      to_unit_id: { reference: 'organisations' },
    },
  },
});

const taskList = (policy: Policy) => ({ ApprovalTask }: Models) => defineResource({
  policy,
  model: ApprovalTask,
  options: {
    navigation: nav.transfer,
    sort: { sortBy: 'created_at', direction: 'desc' },
    listProperties: ['request_id', 'organisation_id', 'status', 'decided_at', 'created_at'],
    // The transfer first (who moves, from, to); the side read as 调出方/调入方, not source/target.
    showProperties: ['request_id', 'side', 'organisation_id', 'status', 'reason', 'decided_by', 'decided_at', 'created_at'],
    filterProperties: ['status', 'created_at'],
    actions: decisionActions(transferFlow(ApprovalTask.sequelize!)),
    properties: {
      status: { availableValues: opts(requestStatus) },
      side: { availableValues: opts(approvalSide) },
      request_id: { reference: 'transfers' },
      organisation_id: { reference: 'organisations' },
      decided_by: { reference: 'accounts' },
    },
  },
});

export const transferOutReviewsResource = taskList(transferOutReviewsPolicy);
export const transferInReviewsResource = taskList(transferInReviewsPolicy);
