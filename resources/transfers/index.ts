/**
 * 人员调转 (manual 4.1.6): transfer records, visible to both the sending and the receiving
 * jurisdiction, and the two review lists (调出审核 by the sending side, 调入审核 by the receiving
 * side), each an approval task scoped to its own organisation.
 */
import { QueryTypes, type Sequelize } from 'sequelize';
import type { ActionContext, ActionRequest, ActionResponse, RecordJSON } from 'adminjs';
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { approvalSide, options as opts, requestStatus } from '../../src/domain/labels.js';
import { decisionActions } from '../../actions/decide.js';
import type { Policy } from '../../src/access/policy.js';
import { transferInReviewsPolicy, transferOutReviewsPolicy, transfersPolicy } from './policy.js';
import { transferFlow } from '../../src/workflow/transfer.js';
import { transferOutAction } from './transfer-out.js';
import { transferDetails } from '../../src/workflow/transfer-records.js';
import { principalOf } from '../../src/admin/scoped-resource.js';
import { asPlatform, currentPrincipal } from '../../src/access/context.js';
import { scopeOf } from '../../src/access/scope.js';
import { AccessDenied } from '../../src/domain/errors.js';
import { Components } from '../../src/admin/components/index.js';
import { hourProofPdfPath } from '../../src/admin/certificate-routes.js';

/**
 * Adds what a transfer record shows beside the move (issue 17, item 7: 证件号, 职务系列, 任职资格,
 * the reader's direction, each side's progress) to the records an action answers with; `key`
 * names the param holding the transfer's id (a review task's request_id). Read through the
 * transfers' scope first (src/workflow/transfer-records.ts).
 */
function withTransferDetails(sequelize: Sequelize, key: 'id' | 'request_id', whole: boolean) {
  return async (response: ActionResponse, _request: ActionRequest, context: ActionContext): Promise<ActionResponse> => {
    const answer = response as { record?: RecordJSON; records?: RecordJSON[] };
    const records = answer.records ?? (answer.record ? [answer.record] : []);
    const details = await transferDetails(sequelize, principalOf(context), records.map((r) => String(r.params[key])), whole);
    for (const r of records) {
      const d = details.get(String(r.params[key]));
      if (!d) continue;
      Object.assign(r.params, {
        id_number: d.id_number, title_series: d.title_series, title: d.title, direction: d.direction, progress: JSON.stringify(d.progress),
        hour_proof: d.hourProof ?? '', hour_proof_url: d.hourProof ? hourProofPdfPath(d.hourProof) : '',
      });
    }
    return response;
  };
}
const detailProperties = {
  id_number: { type: 'string' as const, isSortable: false },
  title_series: { type: 'string' as const, isSortable: false },
  title: { type: 'string' as const, isSortable: false },
  direction: { type: 'string' as const, isSortable: false },
  progress: { type: 'string' as const, isSortable: false, components: { show: Components.TransferProgress, list: Components.TransferProgress } },
  // 学时证明 attached when the transfer completed: its number, downloaded by either side.
  hour_proof: { type: 'string' as const, isSortable: false, components: { show: Components.HourProofLink } },
  hour_proof_url: { type: 'string' as const, isVisible: false },
};

export const transfersResource = ({ Transfer }: Models) => defineResource({
  policy: transfersPolicy,
  model: Transfer,
  scoped: {
    // The review lists of both sides reference the transfer: they read the person and the move, not the reason.
    // The receiving side's wall hides the person until the move: the transfers are read through the
    // reader's scope first, and only those are named as the platform (as transfer-records.ts does).
    async referenceTitles(ids) {
      const p = currentPrincipal();
      const wanted = ids.map(Number).filter((n) => Number.isInteger(n) && n > 0);
      if (!p || !wanted.length) return new Map();
      let scope: string;
      try { scope = scopeOf(p, 'transfers', 'list').sql('t'); } catch (e) { if (e instanceof AccessDenied) return new Map(); throw e; }
      const visible = (await Transfer.sequelize!.query<{ id: number }>(`SELECT t.id FROM transfers t WHERE t.id IN (:ids) AND (${scope})`,
        { replacements: { ids: wanted }, type: QueryTypes.SELECT })).map((r) => r.id);
      if (!visible.length) return new Map();
      const rows = await asPlatform('调转申请名称', () => Transfer.sequelize!.query<{ id: number; title: string }>(
        `SELECT t.id, p.name || '（' || f.name || ' → ' || u.name || '）' title FROM transfers t
           JOIN persons p ON p.id = t.person_id JOIN organisations f ON f.id = t.from_unit_id JOIN organisations u ON u.id = t.to_unit_id
          WHERE t.id IN (:ids)`, { replacements: { ids: visible }, type: QueryTypes.SELECT }));
      return new Map(rows.map((r) => [String(r.id), r.title]));
    },
  },
  options: {
    navigation: nav.transfer,
    titleProperty: 'reason_for_transfer',
    sort: { sortBy: 'created_at', direction: 'desc' },
    // 职务系列, 任职资格 and 申请时间 on the detail: the list fits 1366 px with its actions (issue 17, items 2 and 7).
    listProperties: ['person_id', 'id_number', 'direction', 'from_unit_id', 'to_unit_id', 'progress'],
    showProperties: ['person_id', 'id_number', 'title_series', 'title', 'direction', 'from_unit_id', 'to_unit_id', 'reason_for_transfer', 'status', 'progress', 'hour_proof', 'created_at'],
    filterProperties: ['status', 'created_at'],
    actions: {
      transferOut: transferOutAction,
      list: { after: withTransferDetails(Transfer.sequelize!, 'id', false) },
      show: { after: withTransferDetails(Transfer.sequelize!, 'id', true) },
    },
    properties: {
      ...detailProperties,
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
    // The transfer first (who moves, from, to, with the person's ID number and title); the side
    // read as 调出方/调入方, not source/target; both sides' progress.
    showProperties: ['request_id', 'id_number', 'title_series', 'title', 'side', 'organisation_id', 'status', 'reason', 'decided_by', 'decided_at', 'progress', 'created_at'],
    filterProperties: ['status', 'created_at'],
    actions: { ...decisionActions(transferFlow(ApprovalTask.sequelize!)), show: { after: withTransferDetails(ApprovalTask.sequelize!, 'request_id', true) } },
    properties: {
      ...detailProperties,
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
