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
