/**
 * 接口客户端 (issue 19, system management): the integration API's clients of the admin's
 * jurisdiction — name, organisation, scopes, address allow-list, status, last use — with
 * 登记客户端 (the credentials shown once), 更换密钥 (the old one stops at once), 暂停/恢复,
 * 吊销 (final). And 学时查阅记录: who read a person's hours through the API and when — a
 * person sees its own in its panel.
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
import { apiClientsPolicy, hoursReadsPolicy } from './policy.js';

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
      'secret_rotated_at', 'last_used_at', 'last_used_ip', 'created_at'],
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
          });
          return { id, token, notice: { message: '接口客户端已登记', type: 'success' } };
        },
      },
      rotate: changeAction('rotate'),
      suspend: changeAction('suspend'),
      resume: changeAction('resume'),
      revoke: changeAction('revoke'),
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
