/**
 * 启用 / 停用 (4.1.2): a subordinate organisation is disabled or enabled again. A disabled
 * organisation's admins cannot log in, and their open sessions end at their next request
 * (the login gate reloads the principal every time).
 */
import { AppError, type ActionContext, type ActionRequest } from 'adminjs';
import { Op } from 'sequelize';
import { principalOf, type ScopedResource } from '../../src/admin/scoped-resource.js';
import { audit } from '../../src/services/audit.js';
import { scopeOf } from '../../src/access/scope.js';
import { Components } from '../../src/admin/components/index.js';
import { bodyOf, isPost, stringField } from '../../actions/request-data.js';

export function setStatusAction(from: 'active' | 'disabled', to: 'active' | 'disabled') {
  const verb = to === 'active' ? '启用' : '停用';
  return {
    actionType: 'record' as const,
    icon: to === 'active' ? 'Play' : 'Pause',
    component: Components.ConfirmAction,
    custom: {
      confirm: to === 'active' ? '启用后，该机构的管理员可重新登录。确定启用吗？' : '停用后，该机构的管理员将无法登录，已登录的会话立即失效。确定停用吗？',
      // The dialog asks for the 停用原因 / 启用说明, not a review's 驳回原因.
      reason: to === 'disabled' ? 'required' : 'optional', reasonLabel: to === 'disabled' ? '停用原因' : '启用说明', submit: `确定${verb}`,
    },
    isVisible: ({ record }: ActionContext) => record?.params?.status === from,
    async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
      const record = context.record!;
      if (!isPost(request)) return { record: record.toJSON(context.currentAdmin) };
      const p = principalOf(context);
      const resource = context.resource as unknown as ScopedResource;
      const reason = stringField(bodyOf(request), 'reason');
      if (to === 'disabled' && !reason) throw new AppError('停用时必须填写原因');
      await resource.model.sequelize!.transaction(async (transaction) => {
        const [n] = await resource.model.update({ status: to }, {
          where: { [Op.and]: [{ id: record.id() }, { status: from }, scopeOf(p, resource.resourceId, context.action.name).where] }, transaction,
        });
        if (n !== 1) throw new AppError('该机构状态已被他人修改，请刷新后重试');
        await audit({ actor: p, action: to === 'active' ? 'enable' : 'disable', resource: 'organisations', recordId: record.id(),
          before: { status: from }, after: { status: to }, reason: reason || null }, transaction);
      });
      return { record: record.toJSON(context.currentAdmin), notice: { message: `已${verb}`, type: 'success' }, redirectUrl: '/admin/resources/organisations' };
    },
  };
}
