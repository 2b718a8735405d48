/**
 * Retrying a whole transaction that the database rolled back because of another one: a
 * deadlock (40P01) or a serialisation failure (40001). Only for transactions whose work is all
 * in the database (decisions, import batches): nothing outside it has happened yet.
 */
import { DatabaseError } from 'sequelize';

const RETRYABLE = new Set(['40P01', '40001']);

export function isRetryable(e: unknown): boolean {
  return e instanceof DatabaseError && RETRYABLE.has((e.original as { code?: string } | undefined)?.code ?? '');
}

export async function retryOnConflict<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (e) {
      if (i >= attempts || !isRetryable(e)) throw e;
    }
  }
}

/** The connection itself died (the server terminated the backend, the socket reset): the statement did not commit. */
const LOST = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006']);
export function isLostConnection(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | undefined;
  return !!err && (LOST.has(err.code ?? '') || /Connection terminated|ECONNRESET|connection error/i.test(err.message ?? ''));
}

/**
 * A pg pool whose `query` tries once more on a fresh connection when the one it used had died —
 * for the session store and the rate-limit counters, whose statements are single and idempotent
 * (an upsert, a read, a counter increment that a dead backend rolled back). Measured why: after
 * every backend was terminated, the first request still met an idle client that pg-pool had not
 * yet dropped, and the session read answered 500 (resilience.test.ts on PostgreSQL, once in this stop's run).
 */
export function retryLostConnections(pool: import('pg').Pool): import('pg').Pool {
  const query = async (...args: unknown[]) => {
    const run = () => (pool.query as (...a: unknown[]) => Promise<unknown>)(...args);
    try { return await run(); } catch (e) {
      if (!isLostConnection(e)) throw e;
      return run();
    }
  };
  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'query') return query;
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
