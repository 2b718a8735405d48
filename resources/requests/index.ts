/**
 * The review lists of account management: 注册审核 (4.1.3), 变更审核 (4.1.4), 培训计划管理 (4.1.5).
 * Each request carries the path of the jurisdiction that reviews it.
 */
import { Op } from 'sequelize';
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { inJurisdiction } from '../../src/access/scopes.js';
import { decisionAccess, decisionActions } from '../../actions/decide.js';
import { Components } from '../../src/admin/components/index.js';
import { changeRequestFlow, registrationFlow, trainingPlanFlow } from '../../src/workflow/flows.js';
import { changeKind, options as opts, registrationKind, requestStatus, subjectType, trainingPlanKind } from '../../src/domain/labels.js';

const decided = (p: Parameters<ReturnType<typeof inJurisdiction>>[0]) =>
  inJurisdiction()(p).map((c) => ({ ...c, status: { $ne: 'pending' } }));

export const registrationsResource = ({ Registration }: Models) => defineResource({
  id: 'registrations',
  model: Registration,
  access: {
    actions: {
      list: 'account.registrations:view', show: 'account.registrations:view',
      // Only reviewed records can be deleted (manual 4.1.3).
      delete: 'account.registrations:delete',
      ...decisionAccess('account.registrations:decide'),
    },
    scope: (p, action) => (action === 'delete' ? decided(p) : inJurisdiction()(p)),
    readable: ['id', 'kind', 'applicant_name', 'organisation_id', 'person_id', 'superior_id', 'status', 'reason', 'decided_by', 'decided_at', 'created_at'],
    writable: {},
  },
  options: {
    navigation: nav.account,
    sort: { sortBy: 'created_at', direction: 'desc' },
    listProperties: ['applicant_name', 'kind', 'superior_id', 'status', 'created_at'],
    filterProperties: ['applicant_name', 'kind', 'status', 'created_at'],
    actions: decisionActions(registrationFlow(Registration.sequelize!)),
    showProperties: ['applicant_name', 'kind', 'organisation_id', 'person_id', 'superior_id', 'status', 'reason', 'decided_by', 'decided_at', 'created_at'],
    properties: {
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
  id: 'change_requests',
  model: ChangeRequest,
  access: {
    actions: { list: 'account.changes:view', show: 'account.changes:view', ...decisionAccess('account.changes:decide') },
    scope: inJurisdiction(),
    readable: ['id', 'kind', 'person_id', 'organisation_id', 'old_values', 'new_values', 'evidence', 'status', 'reason', 'decided_by', 'decided_at', 'created_at'],
    writable: {},
  },
  options: {
    navigation: nav.account,
    sort: { sortBy: 'created_at', direction: 'desc' },
    listProperties: ['kind', 'person_id', 'organisation_id', 'status', 'created_at'],
    filterProperties: ['kind', 'status', 'created_at'],
    actions: decisionActions(changeRequestFlow(ChangeRequest.sequelize!)),
    showProperties: ['kind', 'person_id', 'organisation_id', 'new_values', 'evidence', 'status', 'reason', 'decided_by', 'decided_at', 'created_at'],
    properties: {
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

export const trainingPlansResource = ({ TrainingPlan }: Models) => defineResource({
  id: 'training_plans',
  model: TrainingPlan,
  access: {
    actions: { list: 'account.training_plans:view', show: 'account.training_plans:view', ...decisionAccess('account.training_plans:decide') },
    scope: inJurisdiction(),
    readable: ['id', 'kind', 'organisation_id', 'year', 'title', 'subject_type', 'compulsory', 'content', 'attachment_name', 'status', 'reason', 'decided_by', 'decided_at', 'created_at'],
    writable: {},
  },
  scoped: { viewWhere: { kind: { [Op.in]: ['annual_plan', 'plan_declaration', 'work_summary'] } } },
  options: {
    navigation: nav.account,
    sort: { sortBy: 'created_at', direction: 'desc' },
    listProperties: ['year', 'kind', 'title', 'organisation_id', 'status', 'created_at'],
    filterProperties: ['year', 'kind', 'title', 'status'],
    actions: decisionActions(trainingPlanFlow),
    showProperties: ['year', 'kind', 'title', 'organisation_id', 'subject_type', 'compulsory', 'content', 'attachment_name', 'status', 'reason', 'decided_by', 'decided_at', 'created_at'],
    properties: {
      attachment_name: { components: { show: Components.AttachmentLink } },
      kind: { availableValues: opts(trainingPlanKind).filter((o) => ['annual_plan', 'plan_declaration', 'work_summary'].includes(o.value)) },
      status: { availableValues: opts(requestStatus) },
      subject_type: { availableValues: opts(subjectType) },
      organisation_id: { reference: 'organisations' },
      decided_by: { reference: 'accounts' },
    },
  },
});
