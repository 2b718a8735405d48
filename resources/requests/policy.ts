/**
 * Who may see and decide the requests of account management — 注册审核 (4.1.3), 变更审核
 * (4.1.4), 培训计划管理 (4.1.5) and the units' plan and hour lists of 4.3 — and who files plans
 * (培训计划申报). Each request carries the path of the jurisdiction that reviews it.
 */
import { decisionAccess, type Policy } from '../../src/access/policy.js';
import type { Principal } from '../../src/access/principal.js';
import { hrWith, inJurisdiction } from '../../src/access/scopes.js';

const decided = (p: Principal) => inJurisdiction()(p).map((c) => ({ ...c, status: { $ne: 'pending' } }));

export const registrationsPolicy: Policy = {
  id: 'registrations',
  table: 'registrations',
  actions: {
    list: 'account.registrations:view', show: 'account.registrations:view', facts: 'account.registrations:view',
    // Only reviewed records can be deleted (manual 4.1.3).
    delete: 'account.registrations:delete',
    ...decisionAccess('account.registrations:decide'),
  },
  scope: (p, action) => (action === 'delete' ? decided(p) : inJurisdiction()(p)),
  readable: ['id', 'kind', 'applicant_name', 'organisation_id', 'person_id', 'superior_id', 'licence_name', 'licence_kind', 'status', 'reason', 'decided_by', 'decided_at', 'created_at'],
  writable: {},
};

export const changeRequestsPolicy: Policy = {
  id: 'change_requests',
  table: 'change_requests',
  actions: { list: 'account.changes:view', show: 'account.changes:view', ...decisionAccess('account.changes:decide') },
  scope: inJurisdiction(),
  readable: ['id', 'kind', 'person_id', 'organisation_id', 'old_values', 'new_values', 'evidence', 'evidence_name', 'evidence_kind', 'status', 'reason', 'decided_by', 'decided_at', 'created_at'],
  writable: {},
};

const planReadable = ['id', 'kind', 'organisation_id', 'year', 'title', 'subject_type', 'compulsory', 'content', 'attachment_name', 'status', 'reason', 'decided_by', 'decided_at', 'created_at'];

/** One review list per kind of filing, each with its pending and reviewed tabs. */
const planPolicy = (id: string, kind: string, permission: 'account.training_plans' | 'hours_review.review'): Policy => ({
  id,
  table: 'training_plans',
  // Units hold hours_review.review for their staff's first-level review; the lists of units'
  // own filings are the HR department's, or a unit would approve its own plans and hours.
  actions: permission === 'hours_review.review'
    ? { list: hrWith(`${permission}:view`), show: hrWith(`${permission}:view`), ...decisionAccess(hrWith(`${permission}:decide`)) }
    : { list: `${permission}:view`, show: `${permission}:view`, ...decisionAccess(`${permission}:decide`) },
  scope: inJurisdiction(),
  view: { kind },
  readable: planReadable,
  writable: {},
});

export const annualPlanReviewsPolicy = planPolicy('annual_plan_reviews', 'annual_plan', 'account.training_plans');
export const planDeclarationReviewsPolicy = planPolicy('plan_declaration_reviews', 'plan_declaration', 'account.training_plans');
export const workSummaryReviewsPolicy = planPolicy('work_summary_reviews', 'work_summary', 'account.training_plans');
export const unitPlanReviewsPolicy = planPolicy('unit_plan_reviews', 'unit_plan', 'hours_review.review');
export const unitHoursReviewsPolicy = planPolicy('unit_hours_reviews', 'unit_hours', 'hours_review.review');

/** 培训计划申报: a CE base or unit files and reads its own plans. */
export const planFilingsPolicy: Policy = {
  id: 'plan_filings',
  table: 'training_plans',
  actions: { list: 'account.plan_filing:view', show: 'account.plan_filing:view', new: 'account.plan_filing:create' },
  scope: (p) => (p.kind === 'unit' || p.kind === 'ce_base' ? [{ organisation_id: p.organisationId }] : []),
  readable: ['id', 'kind', 'year', 'title', 'subject_type', 'compulsory', 'content', 'attachment_name', 'status', 'reason', 'decided_at', 'created_at'],
  writable: { new: ['kind', 'year', 'title', 'subject_type', 'compulsory', 'start_date', 'end_date', 'hours', 'summary', 'attachment'] },
};
