/**
 * Signed callbacks (回调通知, issue 19 item 3): a client that gave a callback address is told when
 * a reviewer decides a record it sent — approved, rejected, 审验不通过, withdrawn.
 *
 * The event is written by the database in the decision's own transaction (migration 021's
 * trigger on hour_declarations), so every path that decides — panel, bulk, approve-all, the
 * verification — produces it, and a rolled-back decision produces none. Delivery runs later in
 * the worker (src/jobs/api-callbacks.ts): POST of JSON, signed with HMAC-SHA256.
 *
 * The signature (X-CE-Signature: t=<unix seconds>,v1=<hex>) is HMAC-SHA256 over "<t>.<body>"
 * keyed with the SHA-256 of the client's secret (the part after `ce_<key id>_` of its token),
 * which is what the platform stores: no second secret to hand out, keep or leak, and rotating
 * the key (更换密钥) rotates the signature with it. A receiver recomputes it over the raw body,
 * compares in constant time, refuses a t older than 5 minutes (replay), and treats
 * X-CE-Delivery (the event id) as idempotency key: a delivery whose answer was lost is sent again.
 */
import crypto from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { Principal } from '../access/principal.js';
import { allows } from '../access/scope.js';
import { AccessDenied, PlatformError } from '../domain/errors.js';
import { audit } from '../services/audit.js';

export const CALLBACK_EVENT = 'hour_declaration.decided';

/** A declaration's state as the API tells it — GET /hour-declarations and a callback share it. */
export interface DeclarationStateRow {
  id: string | number; external_id: string; status: string; declared_hours: string | number; approved_hours: string | number | null;
  reason: string | null; decided_at: Date | string | null; updated: string;
}
export function declarationState(r: DeclarationStateRow) {
  return {
    externalId: r.external_id, declarationId: Number(r.id), status: r.status, declaredHours: Number(r.declared_hours),
    approvedHours: r.approved_hours === null ? null : Number(r.approved_hours), reason: r.reason,
    decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null, updatedAt: r.updated,
  };
}

/** http(s), a host, no user info or spaces, ≤ 500 characters; '' clears it. The database's CHECK says the same. */
export function parseCallbackUrl(text: string): string | null {
  const s = text.trim();
  if (!s) return null;
  let url: URL | null = null;
  try { url = new URL(s); } catch { /* refused below */ }
  if (!url || !/^https?:$/.test(url.protocol) || !url.hostname || url.username || url.password || /\s/.test(s) || s.length > 500
    || !/^https?:\/\/[^/@\s]+(\/\S*)?$/.test(s)) {
    throw new PlatformError('回调地址格式不正确：应为以 http:// 或 https:// 开头的完整地址（不超过 500 个字符，不含用户名和密码），如 https://example.com/ce-callback');
  }
  return s;
}

/** 设置回调地址, on a client of the admin's scope. */
export async function setCallbackUrl(sequelize: Sequelize, p: Principal, id: number, text: string): Promise<string | null> {
  const url = parseCallbackUrl(text);
  return sequelize.transaction(async (transaction) => {
    const [row] = await sequelize.query<{ id: number; org_path: string; status: string; callback_url: string | null }>(
      'SELECT id, org_path, status, callback_url FROM api_clients WHERE id = :id FOR UPDATE', { replacements: { id }, type: QueryTypes.SELECT, transaction });
    if (!row || !allows(p, 'api_clients', 'setCallback', row as unknown as Record<string, unknown>)) throw new AccessDenied('无权操作该接口客户端');
    if (row.status === 'revoked') throw new PlatformError('已吊销的客户端不能设置回调地址');
    await sequelize.query('UPDATE api_clients SET callback_url = :url, updated_at = now() WHERE id = :id', { replacements: { id, url }, transaction });
    await audit({ actor: p, action: 'api_client_callback', resource: 'api_clients', recordId: id, orgPath: row.org_path,
      before: { callback_url: row.callback_url }, after: { callback_url: url } }, transaction);
    return url;
  });
}

/** The signature header's value for `body` sent at `t` (unix seconds). */
export function signCallback(secretHash: string, t: number, body: string): string {
  const v1 = crypto.createHmac('sha256', Buffer.from(secretHash, 'hex')).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/** What a receiver does (README's example; the tests use it as a client would): true when the signature is right and fresh. */
export function verifyCallback(secret: string, header: string, body: string, nowSeconds = Math.floor(Date.now() / 1000), toleranceSeconds = 300): boolean {
  const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header.trim());
  if (!m || Math.abs(nowSeconds - Number(m[1])) > toleranceSeconds) return false;
  const expected = signCallback(crypto.createHash('sha256').update(secret).digest('hex'), Number(m[1]), body).slice(-64);
  return crypto.timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(m[2], 'hex'));
}
