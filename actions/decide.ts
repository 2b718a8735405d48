/**
 * Decision actions for any review list (审核): approve / reject one record, the selected
 * records, or everything the current filter matches (全部通过 / 全部驳回). All run through the
 * workflow engine; all change state on POST only (a GET previews); a rejection needs a reason.
 */
import { Filter, flat, type ActionContext, type ActionRequest, type ActionResponse, type BulkActionResponse, type RecordActionResponse } from 'adminjs';
import { Op } from 'sequelize';
import { principalOf, type ScopedResource } from '../src/admin/scoped-resource.js';
import { decide, type Decision, type ReviewFlow } from '../src/workflow/decide.js';
import { scopeOf } from '../src/access/scope.js';
import { DECISION_ACTIONS, decisionAccess as policyDecisionAccess } from '../src/access/policy.js';
import { Components } from '../src/admin/components/index.js';
import { bodyOf, isPost, stringField } from './request-data.js';

const LABEL: Record<Decision, string> = { approve: '通过', reject: '驳回' };

/**
 * How the confirmations name what they decide (issue 17, item 4: "记录：15" said nothing). `one`
 * is a template the dialog fills from the record: {title} its title, {field} a referenced
 * record's title (a person's name) or the field's value. `many` names what a list holds.
 */
export interface DecisionWording {
  one?: string;
  many?: string;
  /** What the reviewer must check, shown in the confirmation (and on the detail through `facts`). */
  facts?: (context: ActionContext, id: number) => Promise<Array<{ label: string; value: string }>>;
}

function custom(decision: Decision, scope: 'one' | 'selected' | 'all', flow: ReviewFlow = {}, wording: DecisionWording = {}) {
  const verb = decision === 'reject' && flow.rejectLabel ? flow.rejectLabel : LABEL[decision];
  const confirm = scope === 'one' ? `${verb} ${wording.one ?? '{title}'}？`
    : scope === 'selected' ? `${verb}选中的 {count} 条${wording.many ?? '记录'}？` : `确定${verb}当前筛选条件下的全部待审核${wording.many ?? '记录'}吗？`;
  return {
    decision,
    reason: decision === 'reject' ? 'required' : 'optional',
    confirm,
    submit: `确定${LABEL[decision]}`,
    reasonLabel: decision === 'reject' ? `${flow.rejectLabel ?? '驳回'}原因` : '审核意见',
  };
}

/** "已通过 3 条" / "已驳回 1 条"; a verification says what it did: "审验不通过 1 条". */
const done = (decision: Decision, n: number, flow: ReviewFlow = {}) => ({
  message: decision === 'reject' && flow.rejectLabel ? `${flow.rejectLabel} ${n} 条` : `已${LABEL[decision]} ${n} 条`, type: 'success' as const,
});

export function decisionActions(flow: ReviewFlow, wording: DecisionWording = {}) {
  const record = (decision: Decision) => ({
    actionType: 'record' as const,
    icon: decision === 'approve' ? 'Check' : 'X',
    variant: (decision === 'approve' ? 'success' : 'danger') as 'success' | 'danger',
    component: Components.ConfirmAction,
    custom: custom(decision, 'one', flow, wording),
    isVisible: ({ record: r }: ActionContext) => (flow.pending ?? ['pending']).includes(String(r?.params?.status)),
    async handler(request: ActionRequest, _res: unknown, context: ActionContext): Promise<RecordActionResponse> {
      const r = context.record!;
      if (!isPost(request)) return { record: r.toJSON(context.currentAdmin), ...(wording.facts ? { facts: await wording.facts(context, Number(r.id())) } : {}) };
      const resource = context.resource as unknown as ScopedResource;
      const { decided } = await decide({
        model: resource.model, entity: resource.resourceId, flow, principal: principalOf(context), action: context.action.name,
        where: { id: r.id() }, decision, reason: stringField(bodyOf(request), 'reason'),
      });
      return { record: r.toJSON(context.currentAdmin), notice: done(decision, decided.length, flow), redirectUrl: `/admin/resources/${resource.resourceId}` };
    },
  });

  const bulk = (decision: Decision) => ({
    actionType: 'bulk' as const,
    icon: decision === 'approve' ? 'CheckSquare' : 'XSquare',
    variant: (decision === 'approve' ? 'success' : 'danger') as 'success' | 'danger',
    component: Components.ConfirmAction,
    custom: custom(decision, 'selected', flow, wording),
    async handler(request: ActionRequest, _res: unknown, context: ActionContext): Promise<BulkActionResponse> {
      const records = context.records ?? [];
      const json = records.map((r) => r.toJSON(context.currentAdmin));
      if (!isPost(request)) return { records: json };
      const resource = context.resource as unknown as ScopedResource;
      const { decided } = await decide({
        model: resource.model, entity: resource.resourceId, flow, principal: principalOf(context), action: context.action.name,
        where: { id: { [Op.in]: records.map((r) => r.id()) } }, decision, reason: stringField(bodyOf(request), 'reason'),
      });
      const skipped = records.length - decided.length;
      return {
        records: json,
        notice: { ...done(decision, decided.length, flow), message: `${done(decision, decided.length, flow).message}${skipped ? `，${skipped} 条已被他人处理或不在待审核状态，已跳过` : ''}` },
        redirectUrl: `/admin/resources/${resource.resourceId}`,
      };
    },
  });

  const all = (decision: Decision) => ({
    actionType: 'resource' as const,
    icon: decision === 'approve' ? 'CheckCircle' : 'XCircle',
    variant: (decision === 'approve' ? 'success' : 'danger') as 'success' | 'danger',
    component: Components.ConfirmAction,
    custom: custom(decision, 'all', flow, wording),
    async handler(request: ActionRequest, _res: unknown, context: ActionContext): Promise<ActionResponse> {
      const resource = context.resource as unknown as ScopedResource;
      const p = principalOf(context);
      const { filters = {} } = flat.unflatten(request.query ?? {}) as { filters?: Record<string, unknown> };
      delete filters.status;
      const where = resource.filterWhere(new Filter(filters, resource), p);
      if (!isPost(request)) {
        const pending = { [Op.and]: [where, scopeOf(p, resource.resourceId, context.action.name).where, { status: { [Op.in]: flow.pending ?? ['pending'] } }] };
        return { count: await resource.model.count({ where: pending }) };
      }
      const { decided } = await decide({ model: resource.model, entity: resource.resourceId, flow, principal: p, action: context.action.name, where, decision, reason: stringField(bodyOf(request), 'reason') });
      return { notice: done(decision, decided.length, flow), redirectUrl: `/admin/resources/${resource.resourceId}` };
    },
  });

  const pending = (flow.pending ?? ['pending']).join(',');
  return {
    // The manual's tabs over the list: 待审核 (decidable) and 已审核 (decided).
    list: { component: Components.ReviewList, custom: { tabs: [{ label: '待审核', status: pending }, { label: '已审核', status: flow.reviewed ?? 'approved,rejected' }] } },
    approve: record('approve'), reject: record('reject'),
    bulkApprove: bulk('approve'), bulkReject: bulk('reject'),
    approveAll: all('approve'), rejectAll: all('reject'),
  };
}

/** The access entries of the six decision actions (the policies' own helper). */
export const decisionAccess = policyDecisionAccess;
export { DECISION_ACTIONS };

/** 审验不通过 on one or the selected approved declarations (a reason is required). */
export function verificationActions(flow: ReviewFlow, wording: DecisionWording = {}) {
  const all = decisionActions(flow, wording);
  const label = { note: '审验不通过的学时将从该人员的年度学时中扣除，记录和原审核意见保留。', reason: 'required', submit: '审验不通过' };
  return {
    list: { ...all.list, custom: { tabs: [{ label: '已认定', status: 'approved' }, { label: '审验不通过', status: 'verification_failed' }] } },
    verificationFail: { ...all.reject, custom: { ...all.reject.custom, ...label } },
    bulkVerificationFail: { ...all.bulkReject, custom: { ...all.bulkReject.custom, ...label } },
  };
}
