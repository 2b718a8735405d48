/**
 * 更换上级部门 (4.1.1.1): the request from the own organisation's basic information, the
 * organisation's requests, and the review list both superiors decide on.
 */
import type { ActionContext, ActionRequest } from 'adminjs';
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { principalOf } from '../../src/admin/scoped-resource.js';
import { options as opts, requestStatus, approvalSide } from '../../src/domain/labels.js';
import { Components } from '../../src/admin/components/index.js';
import { requestSuperiorChange, superiorCandidates, superiorChangeFlow } from '../../src/workflow/superior-change.js';
import { decisionActions } from '../../actions/decide.js';
import { superiorChangeReviewsPolicy, superiorChangesPolicy } from './policy.js';
import { bodyOf, isPost, stringField, sequelizeOf } from '../../actions/request-data.js';

export const changeSuperiorAction = {
  actionType: 'record' as const,
  icon: 'GitBranch',
  component: Components.ChangeSuperior,
  async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
    const p = principalOf(context);
    const sequelize = sequelizeOf(context);
    if (!isPost(request)) {
      return { record: context.record!.toJSON(context.currentAdmin), candidates: await superiorCandidates(sequelize, p, String(request.query?.q ?? '').trim().slice(0, 50)) };
    }
    const body = bodyOf(request);
    await requestSuperiorChange(sequelize, p, Number(stringField(body, 'toSuperiorId')), stringField(body, 'reason'));
    return {
      record: context.record!.toJSON(context.currentAdmin),
      notice: { message: '更换上级部门申请已提交，待原上级部门和新上级部门审核通过后生效', type: 'success' },
      redirectUrl: '/admin/resources/superior_changes',
    };
  },
};

export const superiorChangesResource = ({ SuperiorChange }: Models) => defineResource({
  policy: superiorChangesPolicy,
  model: SuperiorChange,
  options: {
    navigation: nav.own,
    titleProperty: 'reason_for_change',
    sort: { sortBy: 'created_at', direction: 'desc' },
    listProperties: ['organisation_id', 'from_superior_id', 'to_superior_id', 'status', 'created_at'],
    properties: {
      status: { availableValues: opts(requestStatus) },
      organisation_id: { reference: 'organisations' },
      from_superior_id: { reference: 'organisations' },
      to_superior_id: { reference: 'organisations' },
    },
  },
});

export const superiorChangeReviewsResource = ({ ApprovalTask }: Models) => defineResource({
  policy: superiorChangeReviewsPolicy,
  model: ApprovalTask,
  options: {
    navigation: nav.account,
    sort: { sortBy: 'created_at', direction: 'desc' },
    listProperties: ['request_id', 'side', 'organisation_id', 'status', 'decided_at', 'created_at'],
    filterProperties: ['status', 'side', 'created_at'],
    actions: decisionActions(superiorChangeFlow(ApprovalTask.sequelize!)),
    properties: {
      status: { availableValues: opts(requestStatus) },
      side: { availableValues: opts(approvalSide) },
      request_id: { reference: 'superior_changes' },
      organisation_id: { reference: 'organisations' },
      decided_by: { reference: 'accounts' },
    },
  },
});
