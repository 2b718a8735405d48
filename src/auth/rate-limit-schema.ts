/**
 * The per-address limits' schema (`rate_limit`, @acpr/rate-limit-postgresql's migrations run by
 * postgres-migrations), apart from the store (src/auth/rate-limit.ts) so that the supervisor
 * (src/main.ts) can migrate it once before any web process starts without loading Express.
 * postgres-migrations queries outside transactions: on the embedded database's socket, where
 * other processes' statements interleave, that fails ("unnamed prepared statement does not
 * exist", seen with two platforms and their workers on one PGlite). Supervised web processes
 * therefore leave it to the supervisor (CE_SUPERVISED=1).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { migrate as migrateStore } from 'postgres-migrations';

const require = createRequire(import.meta.url);
const MIGRATIONS = path.join(path.dirname(require.resolve('@acpr/rate-limit-postgresql')), 'migrations');

const prepared = new Map<string, Promise<void>>();
/** The store's schema, migrated once per process and database (postgres-migrations takes an advisory lock). */
export function rateLimitSchemaReady(databaseUrl: string): Promise<void> {
  if (process.env.CE_SUPERVISED === '1') return Promise.resolve();
  let p = prepared.get(databaseUrl);
  if (!p) {
    p = (async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try { await migrateStore({ client }, MIGRATIONS); } finally { await client.end(); }
    })();
    p.catch(() => prepared.delete(databaseUrl)); // tried again at the next increment
    prepared.set(databaseUrl, p);
  }
  return p;
}
