/**
 * Who may see and decide transfers (人员调转, 4.1.6): the records are visible to the sending and
 * the receiving jurisdiction; each side's review list (调出审核 / 调入审核) holds the approval
 * tasks of its own organisation.
 */
import { decisionAccess, type Policy } from '../../src/access/policy.js';
import { anyOf, inJurisdiction } from '../../src/access/scopes.js';

export const transfersPolicy: Policy = {
  id: 'transfers',
  table: 'transfers',
  actions: { list: 'account.transfers:view', show: 'account.transfers:view', transferOut: 'account.transfers:create' },
  scope: anyOf(inJurisdiction('from_path'), inJurisdiction('to_path')),
  readable: ['id', 'person_id', 'from_unit_id', 'to_unit_id', 'reason_for_transfer', 'status', 'created_at', 'updated_at'],
  writable: {},
};

const taskPolicy = (id: string, side: 'source' | 'target'): Policy => ({
  id,
  table: 'approval_tasks',
  actions: { list: 'account.transfers:view', show: 'account.transfers:view', ...decisionAccess('account.transfers:decide') },
  scope: inJurisdiction(),
  view: { request_type: 'transfer', side },
  readable: ['id', 'request_id', 'side', 'organisation_id', 'status', 'reason', 'decided_by', 'decided_at', 'created_at'],
  writable: {},
});

export const transferOutReviewsPolicy = taskPolicy('transfer_out_reviews', 'source');
export const transferInReviewsPolicy = taskPolicy('transfer_in_reviews', 'target');
