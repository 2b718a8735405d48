/**
 * Who manages the integration API's clients (接口客户端, issue 19): a provincial or city HR
 * department's super admin, for organisations of its jurisdiction (a county's or a unit's
 * admin does not hand out machine credentials). And who sees who read a person's hours
 * through the API (学时查阅记录): the person itself, and HR admins who may see the person.
 */
import type { Policy } from '../../src/access/policy.js';
import type { Principal } from '../../src/access/principal.js';
import { anyOf, inJurisdiction, isPerson, ofOwnPerson } from '../../src/access/scopes.js';

/** 省、市人社部门超级管理员. */
export const mayManageApiClients = (p: Principal) => p.isSuper && (p.kind === 'province_hr' || p.kind === 'city_hr');

export const apiClientsPolicy: Policy = {
  id: 'api_clients',
  table: 'api_clients',
  actions: {
    list: mayManageApiClients, show: mayManageApiClients, register: mayManageApiClients,
    rotate: mayManageApiClients, suspend: mayManageApiClients, resume: mayManageApiClients, revoke: mayManageApiClients,
    setCallback: mayManageApiClients,
  },
  scope: inJurisdiction(),
  // Never the secret's hash.
  readable: ['id', 'name', 'organisation_id', 'key_id', 'scopes', 'allowed_addresses', 'rate_limit_per_minute', 'status',
    'callback_url', 'secret_rotated_at', 'last_used_at', 'last_used_ip', 'created_at'],
  writable: {},
};

/**
 * 接口回调记录: the signed callbacks of the clients an admin manages (what was sent, when, the
 * receiver's answer), and 重新发送 for one given up or cancelled. Rows are written only by the
 * database's trigger (migration 021): no create, edit or delete here.
 */
export const apiCallbacksPolicy: Policy = {
  id: 'api_callbacks',
  table: 'api_callbacks',
  actions: { list: mayManageApiClients, show: mayManageApiClients, resend: mayManageApiClients },
  scope: inJurisdiction(),
  readable: ['id', 'api_client_id', 'declaration_id', 'external_id', 'event', 'status', 'declared_hours', 'approved_hours', 'reason', 'decided_at',
    'changed_at', 'delivery', 'attempts', 'next_attempt_at', 'last_status_code', 'last_error', 'delivered_at', 'created_at'],
  writable: {},
};

export const hoursReadsPolicy: Policy = {
  id: 'hours_reads',
  table: 'hours_reads',
  actions: {
    list: (p) => isPerson(p) || p.permissions.includes('stats.persons:view'),
    show: (p) => isPerson(p) || p.permissions.includes('stats.persons:view'),
  },
  scope: anyOf((p) => (p.permissions.includes('stats.persons:view') ? inJurisdiction()(p) : []), ofOwnPerson()),
  readable: ['id', 'person_id', 'api_client_id', 'client_name', 'organisation_name', 'from_year', 'to_year', 'ip', 'at'],
  writable: {},
};
