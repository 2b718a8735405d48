/**
 * Delivery of the API's signed callbacks (issue 19 item 3), a periodic task of the worker.
 *
 * Every 10 seconds: claim up to 50 due events (`FOR UPDATE SKIP LOCKED`, then a 2-minute lease
 * written on the row — two workers never send one event at once, and a worker killed mid-send
 * leaves an event that is due again once its lease ends), POST each outside any transaction,
 * write the outcome. A 2xx is delivered; anything else (an error, a timeout of 10 s, a redirect,
 * a 4xx/5xx) is tried again after 30 s · 2^(attempt−1), at most 8 attempts (the last one about
 * 64 minutes after the seventh, ~2 h 7 min after the decision), then 已放弃 — an admin may send it
 * again from the panel (重新发送). A suspended client's events wait; a revoked client's are
 * cancelled. The delivery is at least once: the receiver de-duplicates by X-CE-Delivery.
 */
import { QueryTypes, type Sequelize } from 'sequelize';
import { asPlatform } from '../access/context.js';
import { CALLBACK_EVENT, declarationState, signCallback } from '../api/callbacks.js';

export const CALLBACK_LIMITS = {
  batch: 50,
  attempts: 8,
  firstRetrySeconds: 30,
  timeoutMs: Number(process.env.API_CALLBACK_TIMEOUT_MS ?? 10_000) || 10_000,
  leaseSeconds: 120,
  parallel: 5,
};

interface Claimed {
  id: string; api_client_id: number; declaration_id: string; external_id: string; status: string; declared_hours: string;
  approved_hours: string | null; reason: string | null; decided_at: Date | null; changed: string; attempts: number;
  callback_url: string | null; secret_hash: string; client_status: string;
}

/** Seconds before attempt `n + 1` after `n` failed attempts. */
export const retryDelaySeconds = (n: number) => CALLBACK_LIMITS.firstRetrySeconds * 2 ** Math.max(0, n - 1);

export interface DeliveryRun { claimed: number; delivered: number; failed: number; gaveUp: number; cancelled: number; held: number }

/** One round: what is due now, sent once. `send` is fetch (the tests' receivers are real HTTP servers). */
export async function deliverDueCallbacks(sequelize: Sequelize, send: typeof fetch = fetch): Promise<DeliveryRun> {
  return asPlatform('回调通知', async () => {
    const claimed = await sequelize.transaction(async (transaction) => sequelize.query<Claimed>(
      `WITH due AS (
         SELECT id FROM api_callbacks
          WHERE delivery = 'queued' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until <= now())
          ORDER BY next_attempt_at, id LIMIT :batch FOR UPDATE SKIP LOCKED)
       UPDATE api_callbacks e SET lease_until = now() + make_interval(secs => :lease)
         FROM due, api_clients c
        WHERE e.id = due.id AND c.id = e.api_client_id
        RETURNING e.id, e.api_client_id, e.declaration_id, e.external_id, e.status, e.declared_hours, e.approved_hours, e.reason, e.decided_at,
                  to_char(e.changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') changed, e.attempts,
                  c.callback_url, c.secret_hash, c.status client_status`,
      { replacements: { batch: CALLBACK_LIMITS.batch, lease: CALLBACK_LIMITS.leaseSeconds }, type: QueryTypes.SELECT, transaction }));
    const run: DeliveryRun = { claimed: claimed.length, delivered: 0, failed: 0, gaveUp: 0, cancelled: 0, held: 0 };
    const queue = [...claimed];
    const one = async (e: Claimed) => {
      if (e.client_status === 'revoked' || !e.callback_url) {
        run.cancelled++;
        return settle(e.id, "delivery = 'cancelled', lease_until = NULL, last_error = :why", { why: e.client_status === 'revoked' ? '客户端已吊销' : '客户端已取消回调地址' });
      }
      if (e.client_status !== 'active') {
        run.held++;
        return settle(e.id, 'lease_until = NULL, next_attempt_at = now() + make_interval(secs => :wait)', { wait: 300 });
      }
      const body = JSON.stringify({
        event: CALLBACK_EVENT, deliveryId: Number(e.id),
        declaration: declarationState({ ...e, id: e.declaration_id, updated: e.changed }),
      });
      const t = Math.floor(Date.now() / 1000);
      let code: number | null = null;
      let error: string | null = null;
      try {
        const res = await send(e.callback_url, {
          method: 'POST', redirect: 'manual', signal: AbortSignal.timeout(CALLBACK_LIMITS.timeoutMs), body,
          headers: {
            'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'ce-platform-callback/1',
            'X-CE-Event': CALLBACK_EVENT, 'X-CE-Delivery': String(e.id), 'X-CE-Signature': signCallback(e.secret_hash, t, body),
          },
        });
        code = res.status;
        await res.arrayBuffer().catch(() => undefined);
        if (code < 200 || code > 299) error = `对方返回 HTTP ${code}`;
      } catch (err) {
        error = (err as Error).name === 'TimeoutError' ? `对方 ${CALLBACK_LIMITS.timeoutMs / 1000} 秒内未响应` : `无法连接：${(err as Error).message}`.slice(0, 300);
      }
      const attempts = e.attempts + 1;
      if (!error) {
        run.delivered++;
        return settle(e.id, "delivery = 'delivered', delivered_at = now(), attempts = :attempts, lease_until = NULL, last_status_code = :code, last_error = NULL", { attempts, code });
      }
      if (attempts >= CALLBACK_LIMITS.attempts) {
        run.gaveUp++;
        return settle(e.id, "delivery = 'failed', attempts = :attempts, lease_until = NULL, last_status_code = :code, last_error = :error", { attempts, code, error });
      }
      run.failed++;
      return settle(e.id, 'attempts = :attempts, lease_until = NULL, last_status_code = :code, last_error = :error, next_attempt_at = now() + make_interval(secs => :wait)',
        { attempts, code, error, wait: retryDelaySeconds(attempts) });
    };
    const settle = (id: string, set: string, replacements: Record<string, unknown>) =>
      sequelize.query(`UPDATE api_callbacks SET ${set} WHERE id = :id`, { replacements: { ...replacements, id } }).then(() => undefined);
    await Promise.all(Array.from({ length: Math.min(CALLBACK_LIMITS.parallel, queue.length) }, async () => {
      for (let e = queue.shift(); e; e = queue.shift()) await one(e);
    }));
    return run;
  });
}

/** 重新发送: a given-up or cancelled event of a client of the admin's scope is due again now, with fresh attempts. */
export async function resendCallback(sequelize: Sequelize, id: number): Promise<boolean> {
  const [, result] = await sequelize.query(
    "UPDATE api_callbacks SET delivery = 'queued', attempts = 0, next_attempt_at = now(), lease_until = NULL WHERE id = :id AND delivery IN ('failed', 'cancelled')",
    { replacements: { id } }) as unknown as [unknown, { rowCount?: number }];
  return (result?.rowCount ?? 0) > 0;
}

/** Every 10 seconds; the claim's SKIP LOCKED and lease make one send per event however many workers fire it. */
export const apiCallbacksTask = {
  key: 'api-callbacks',
  title: '接口回调通知',
  cron: '*/10 * * * * *',
  async run(sequelize: Sequelize, _dueAt: Date, log: (s: string) => void) {
    // A round that filled its batch goes on at once: a backlog drains at 50 per round trip, not per 10 s.
    for (let round = 0; round < 20; round++) {
      const r = await deliverDueCallbacks(sequelize);
      if (r.claimed) log(`接口回调：发出 ${r.claimed} 条，成功 ${r.delivered}，待重试 ${r.failed}，放弃 ${r.gaveUp}，取消 ${r.cancelled}，暂缓 ${r.held}`);
      if (r.claimed < CALLBACK_LIMITS.batch) break;
    }
  },
};
