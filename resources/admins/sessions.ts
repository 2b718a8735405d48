/**
 * 在线会话: the open sessions of the admin's own organisation; ending one logs that user out
 * at its next request. The session's content and its id (the cookie's secret) never leave the
 * server: a session is addressed by its surrogate id (migration 012); the list shows who, since
 * when, until when.
 */
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { sessionsPolicy } from './policy.js';

export const sessionsResource = ({ Session }: Models) => defineResource({
  policy: sessionsPolicy,
  model: Session,
  options: {
    navigation: nav.own,
    titleProperty: 'login_at',
    sort: { sortBy: 'login_at', direction: 'desc' },
    listProperties: ['account_id', 'login_at', 'expire'],
    filterProperties: ['account_id', 'login_at'],
    properties: { account_id: { reference: 'accounts' }, id: { isVisible: false } },
    actions: { delete: { guard: '确定结束该会话吗？该用户将被立即退出登录。' } },
  },
});
