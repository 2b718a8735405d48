/**
 * The review lists of account management: 注册审核 (4.1.3), 变更审核 (4.1.4), 培训计划管理 (4.1.5).
 * Each request carries the path of the jurisdiction that reviews it.
 */
import type { ActionContext } from 'adminjs';
import { principalOf } from '../../src/admin/scoped-resource.js';
import { registrationFacts } from './registration-facts.js';
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { decisionActions } from '../../actions/decide.js';
import { Components } from '../../src/admin/components/index.js';
import { changeRequestFlow, registrationFlow, trainingPlanFlow } from '../../src/workflow/flows.js';
import { changeKind, options as opts, registrationKind, requestStatus, subjectType, trainingPlanKind } from '../../src/domain/labels.js';

import {
  annualPlanReviewsPolicy, changeRequestsPolicy, planDeclarationReviewsPolicy, registrationsPolicy, unitHoursReviewsPolicy,
  unitPlanReviewsPolicy, workSummaryReviewsPolicy,
} from './policy.js';
import type { Policy } from '../../src/access/policy.js';

export const registrationsResource = ({ Registration }: Models) => defineResource({
  policy: registrationsPolicy,
  model: Registration,
  options: {
    navigation: nav.account,
    titleProperty: 'applicant_name',
    sort: { sortBy: 'created_at', direction: 'desc' },
    listProperties: ['applicant_name', 'kind', 'superior_id', 'licence_kind', 'status', 'created_at'],
    filterProperties: ['applicant_name', 'kind', 'status', 'created_at'],
    actions: {
      // The confirmations name the applicant and list what to check (ID number, credit code, unit, contact).
      ...decisionActions(registrationFlow(Registration.sequelize!), {
        one: '{organisation_id}{person_id} 的注册申请', many: '注册申请',
        facts: (context, id) => registrationFacts(Registration.sequelize!, principalOf(context), id, context.action.name),
      }),
      // 审核要点 on the detail, through the record's own scope.
      facts: {
        actionType: 'record', isVisible: false, component: false,
        async handler(_request: unknown, _res: unknown, context: ActionContext) {
          return { record: context.record!.toJSON(context.currentAdmin), facts: await registrationFacts(Registration.sequelize!, principalOf(context), Number(context.record!.id()), 'show') };
        },
      },
      // The button only where deleting is allowed: a pending request's 删除 ended in a refusal.
      delete: { isVisible: ({ record }: ActionContext) => !!record && record.params.status !== 'pending' },
    },
    showProperties: ['applicant_name', 'kind', 'facts', 'organisation_id', 'person_id', 'superior_id', 'licence_kind', 'status', 'reason', 'decided_by', 'decided_at', 'created_at'],
    properties: {
      facts: { isVisible: { list: false, filter: false, edit: false, show: true }, components: { show: Components.RecordFacts } },
      // The licence itself (issue 17): previewed on the detail, 查看 in one click from the list.
      licence_kind: { components: { show: Components.EvidencePreview, list: Components.EvidencePreview }, custom: { name: 'licence_name' }, isSortable: false },
      kind: { availableValues: opts(registrationKind) },
      status: { availableValues: opts(requestStatus) },
      organisation_id: { reference: 'organisations' },
      person_id: { reference: 'persons' },
      superior_id: { reference: 'organisations' },
      decided_by: { reference: 'accounts' },
    },
  },
});

export const changeRequestsResource = ({ ChangeRequest }: Models) => defineResource({
  policy: changeRequestsPolicy,
  model: ChangeRequest,
  options: {
    navigation: nav.account,
    sort: { sortBy: 'created_at', direction: 'desc' },
    listProperties: ['kind', 'person_id', 'organisation_id', 'evidence_kind', 'status', 'created_at'],
    filterProperties: ['kind', 'status', 'created_at'],
    actions: decisionActions(changeRequestFlow(ChangeRequest.sequelize!), { one: '{person_id}{organisation_id} 的变更申请', many: '变更申请' }),
    showProperties: ['kind', 'person_id', 'organisation_id', 'new_values', 'evidence_kind', 'evidence', 'status', 'reason', 'decided_by', 'decided_at', 'created_at'],
    properties: {
      // The proof itself (issue 17): previewed on the detail, 查看 in one click from the list.
      evidence_kind: { components: { show: Components.EvidencePreview, list: Components.EvidencePreview }, custom: { name: 'evidence_name' }, isSortable: false },
      // Old vs. new, field by field (变更明细).
      new_values: { components: { show: Components.ChangeDiff } },
      kind: { availableValues: opts(changeKind) },
      status: { availableValues: opts(requestStatus) },
      person_id: { reference: 'persons' },
      organisation_id: { reference: 'organisations' },
      decided_by: { reference: 'accounts' },
    },
  },
});

/**
 * 培训计划管理 (4.1.5) — 审核继教机构年度培训计划 / 审核培训计划申报 / 审核继教机构年度工作总结 —
 * and the units' lists of 学时（分）审核 (4.3) — 单位培训计划审核 / 单位培训学时审核: one list per
 * kind of filing, each with its pending and reviewed tabs.
 */
const planList = (policy: Policy) => ({ TrainingPlan }: Models) => defineResource({
  policy,
  model: TrainingPlan,
  options: {
    navigation: policy.actions.list === 'account.training_plans:view' ? nav.account : nav.review,
    sort: { sortBy: 'created_at', direction: 'desc' },
    listProperties: ['year', 'title', 'organisation_id', 'subject_type', 'status', 'created_at'],
    filterProperties: ['year', 'title', 'subject_type', 'organisation_id', 'status'],
    showProperties: ['year', 'kind', 'title', 'organisation_id', 'subject_type', 'compulsory', 'content', 'attachment_name', 'status', 'reason', 'decided_by', 'decided_at', 'created_at'],
    actions: decisionActions(trainingPlanFlow, { one: '{organisation_id} 的「{title}」', many: '培训计划' }),
    properties: {
      attachment_name: { components: { show: Components.AttachmentLink } },
      // What the unit typed (its summary, a course's dates and hours), not an empty JSON cell (issue 17, item 6).
      content: { components: { show: Components.PlanContent } },
      kind: { availableValues: opts(trainingPlanKind) },
      status: { availableValues: opts(requestStatus) },
      subject_type: { availableValues: opts(subjectType) },
      year: { type: 'number' },
      organisation_id: { reference: 'organisations' },
      decided_by: { reference: 'accounts' },
    },
  },
});

export const annualPlanReviewsResource = planList(annualPlanReviewsPolicy);
export const planDeclarationReviewsResource = planList(planDeclarationReviewsPolicy);
export const workSummaryReviewsResource = planList(workSummaryReviewsPolicy);
export const unitPlanReviewsResource = planList(unitPlanReviewsPolicy);
export const unitHoursReviewsResource = planList(unitHoursReviewsPolicy);
