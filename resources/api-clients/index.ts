/**
 * 接口客户端 (issue 19, system management): the integration API's clients of the admin's
 * jurisdiction — name, organisation, scopes, address allow-list, status, last use — with
 * 登记客户端 (the credentials shown once), 更换密钥 (the old one stops at once), 暂停/恢复,
 * 吊销 (final). And 学时查阅记录: who read a person's hours through the API and when — a
 * person sees its own in its panel. 接口回调记录: the signed callbacks sent to clients (issue 19
 * item 3), with 重新发送 for one given up.
 */
import type { ActionContext, ActionRequest } from 'adminjs';
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { apiClientStatus, options as opts } from '../../src/domain/labels.js';
import { Components } from '../../src/admin/components/index.js';
import { principalOf } from '../../src/admin/scoped-resource.js';
import { arrayField, bodyOf, isPost, sequelizeOf, stringField } from '../../actions/request-data.js';
import { API_SCOPES, changeClient, parseAllowList, parseScopes, registerClient, registrableOrganisations, scopeLabels } from '../../src/api/clients.js';
import { parseCallbackUrl, setCallbackUrl } from '../../src/api/callbacks.js';
import { resendCallback } from '../../src/jobs/api-callbacks.js';
import { apiCallbackDelivery, hourStatus } from '../../src/domain/labels.js';
import { apiCallbacksPolicy, apiClientsPolicy, hoursReadsPolicy } from './policy.js';

const CHANGES = {
  rotate: { icon: 'RefreshCw', from: ['active', 'suspended'], confirm: '将生成新的密钥，原密钥立即失效。新密钥只显示这一次。确定更换吗？', done: '密钥已更换' },
  suspend: { icon: 'Pause', from: ['active'], confirm: '暂停后，该客户端的调用一律被拒绝，可随时恢复。确定暂停吗？', done: '客户端已暂停' },
  resume: { icon: 'Play', from: ['suspended'], confirm: '恢复后，该客户端可以再次调用接口。确定恢复吗？', done: '客户端已恢复' },
  revoke: { icon: 'Slash', from: ['active', 'suspended'], confirm: '吊销后，该客户端的密钥永久失效且不能恢复（报送过的学时记录保留）。确定吊销吗？', done: '客户端已吊销' },
} as const;

function changeAction(change: keyof typeof CHANGES) {
  const c = CHANGES[change];
  return {
    actionType: 'record' as const,
    icon: c.icon,
    component: Components.ApiClientSecret,
    custom: { confirm: c.confirm, showsSecret: change === 'rotate' },
    isVisible: ({ record }: ActionContext) => (c.from as readonly string[]).includes(String(record?.params?.status)),
    async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
      const record = context.record!.toJSON(context.currentAdmin);
      if (!isPost(request)) return { record };
      const { token } = await changeClient(sequelizeOf(context), principalOf(context), Number(context.record!.id()), change);
      return { record, token, notice: { message: c.done, type: 'success' } };
    },
  };
}

export const apiClientsResource = ({ ApiClient }: Models) => defineResource({
  policy: apiClientsPolicy,
  model: ApiClient,
  options: {
    navigation: nav.system,
    sort: { sortBy: 'created_at', direction: 'desc' },
    listProperties: ['id', 'name', 'organisation_id', 'scopes', 'status', 'last_used_at', 'last_used_ip', 'created_at'],
    showProperties: ['id', 'name', 'organisation_id', 'key_id', 'scopes', 'allowed_addresses', 'rate_limit_per_minute', 'status',
      'callback_url', 'secret_rotated_at', 'last_used_at', 'last_used_ip', 'created_at'],
    filterProperties: ['name', 'organisation_id', 'status'],
    actions: {
      register: {
        actionType: 'resource' as const,
        icon: 'Plus',
        component: Components.ApiClientSecret,
        async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
          const p = principalOf(context);
          const sequelize = sequelizeOf(context);
          if (!isPost(request)) {
            return {
              organisations: (await registrableOrganisations(sequelize, p)).map(({ id, name }) => ({ id, name })),
              scopes: API_SCOPES.map((s) => ({ value: s, label: scopeLabels[s] })),
            };
          }
          const body = bodyOf(request);
          const { id, token } = await registerClient(sequelize, p, {
            name: stringField(body, 'name', 200),
            organisationId: Number(stringField(body, 'organisationId', 20)),
            scopes: parseScopes(arrayField(body, 'scopes')),
            allowedAddresses: parseAllowList(stringField(body, 'allowedAddresses', 5000)),
            rateLimitPerMinute: stringField(body, 'rateLimitPerMinute', 10) ? Number(stringField(body, 'rateLimitPerMinute', 10)) : undefined,
            callbackUrl: parseCallbackUrl(stringField(body, 'callbackUrl', 600)),
          });
          return { id, token, notice: { message: '接口客户端已登记', type: 'success' } };
        },
      },
      rotate: changeAction('rotate'),
      suspend: changeAction('suspend'),
      resume: changeAction('resume'),
      revoke: changeAction('revoke'),
      setCallback: {
        actionType: 'record' as const,
        icon: 'Bell',
        component: Components.ApiClientSecret,
        custom: { callbackForm: true },
        isVisible: ({ record }: ActionContext) => String(record?.params?.status) !== 'revoked',
        async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
          const record = context.record!.toJSON(context.currentAdmin);
          if (!isPost(request)) return { record };
          const url = await setCallbackUrl(sequelizeOf(context), principalOf(context), Number(context.record!.id()), stringField(bodyOf(request), 'callbackUrl', 600));
          return { record, notice: { message: url ? '回调地址已保存：审核结果将签名后发送到该地址' : '回调地址已清除：不再发送回调通知', type: 'success' } };
        },
      },
    },
    properties: {
      organisation_id: { reference: 'organisations' },
      status: { availableValues: opts(apiClientStatus) },
      // Arrays as their values (提交学时、读取学时), not AdminJS's 「长度: 1」 — the language walk found both.
      scopes: { type: 'string', isArray: true, availableValues: API_SCOPES.map((s) => ({ value: s, label: scopeLabels[s] })),
        components: { list: Components.ValueList, show: Components.ValueList } },
      allowed_addresses: { type: 'string', isArray: true, components: { list: Components.ValueList, show: Components.ValueList } },
    },
  },
});

export const apiCallbacksResource = ({ ApiCallback }: Models) => defineResource({
  policy: apiCallbacksPolicy,
  model: ApiCallback,
  options: {
    navigation: nav.system,
    sort: { sortBy: 'id', direction: 'desc' },
    listProperties: ['id', 'api_client_id', 'external_id', 'status', 'delivery', 'attempts', 'next_attempt_at', 'last_status_code', 'delivered_at'],
    showProperties: ['id', 'api_client_id', 'declaration_id', 'external_id', 'status', 'declared_hours', 'approved_hours', 'reason', 'decided_at', 'changed_at',
      'delivery', 'attempts', 'next_attempt_at', 'last_status_code', 'last_error', 'delivered_at', 'created_at'],
    filterProperties: ['api_client_id', 'external_id', 'delivery', 'status', 'created_at'],
    actions: {
      resend: {
        actionType: 'record' as const,
        icon: 'Send',
        component: Components.ConfirmAction,
        custom: { confirm: '将该回调通知重新排入发送队列（重新计算重试次数），确定重新发送吗？', reason: false, submit: '重新发送' },
        isVisible: ({ record }: ActionContext) => ['failed', 'cancelled'].includes(String(record?.params?.delivery)),
        async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
          const record = context.record!;
          if (!isPost(request)) return { record: record.toJSON(context.currentAdmin) };
          const queued = await resendCallback(sequelizeOf(context), Number(record.id()));
          return {
            record: record.toJSON(context.currentAdmin), redirectUrl: `/admin/resources/api_callbacks/records/${record.id()}/show`,
            notice: queued ? { message: '已重新排入发送队列，任务进程将在 10 秒内发送', type: 'success' } : { message: '该回调不是「已放弃」或「已取消」状态，无需重新发送', type: 'error' },
          };
        },
      },
    },
    properties: {
      api_client_id: { reference: 'api_clients' },
      declaration_id: { reference: 'hour_declarations' },
      delivery: { availableValues: opts(apiCallbackDelivery) },
      status: { availableValues: opts(hourStatus) },
    },
  },
});

export const hoursReadsResource = ({ HoursRead }: Models) => defineResource({
  policy: hoursReadsPolicy,
  model: HoursRead,
  options: {
    navigation: nav.stats,
    sort: { sortBy: 'at', direction: 'desc' },
    listProperties: ['at', 'person_id', 'client_name', 'organisation_name', 'from_year', 'to_year'],
    showProperties: ['at', 'person_id', 'client_name', 'organisation_name', 'from_year', 'to_year', 'ip'],
    filterProperties: ['person_id', 'client_name', 'at'],
    properties: { person_id: { reference: 'persons' } },
  },
});
