/**
 * Per-address limits (login and every other password check, forgotten password, registration,
 * the public certificate verification) counted in PostgreSQL, so that N app processes share one
 * counter per address instead of each granting the full limit (express-rate-limit's default
 * memory store counts per process). The store is @acpr/rate-limit-postgresql, the
 * express-rate-limit organisation's PostgreSQL store (README, Dependencies: why this one).
 *
 * Two things about that package are handled here:
 * - its constructor starts its own schema migration (postgres-migrations, schema `rate_limit`)
 *   without waiting for it, so a first request could find no table, and several stores migrate
 *   at once: the stores here are built without it, and every increment waits for one migration
 *   run per process, awaited (`rateLimitSchemaReady`);
 * - each store would open its own pg pool (10 connections by default, three stores a process):
 *   the stores here share the one pool given (the session store's), so the limits cost no extra
 *   connections — which the embedded database's socket could not give anyway.
 * On the embedded database the migration needs the uuid-ossp extension: src/db/embedded.ts loads it.
 */
import pg from 'pg';
import { ipKeyGenerator, rateLimit, type Options, type Store } from 'express-rate-limit';
import type { Request, Response } from 'express';
import { PostgresStore } from '@acpr/rate-limit-postgresql';
import { rateLimitSchemaReady } from './rate-limit-schema.js';
import type { AttemptBudget } from './credentials.js';

export { rateLimitSchemaReady };

/**
 * The package's store, built without its constructor: the constructor starts the schema migration
 * again without awaiting it, and on the embedded database — one backend behind every connection,
 * so postgres-migrations' advisory lock excludes nobody — three such runs at once corrupt each
 * other (seen: "duplicate key value violates unique constraint migrations_pkey"). Its methods
 * (increment, decrement, resetKey) run as published, on the shared pool, once `ready`.
 */
function sharedPoolStore(databaseUrl: string, prefix: string, shared: pg.Pool): Store {
  const store = Object.create(PostgresStore.prototype) as PostgresStore;
  const increment = PostgresStore.prototype.increment;
  return Object.assign(store, {
    config: { connectionString: databaseUrl },
    prefix,
    init(options: Options) { store.windowMs = options.windowMs; store.pool = shared; },
    async increment(key: string) {
      await rateLimitSchemaReady(databaseUrl);
      return increment.call(store, key);
    },
  });
}

/**
 * The integration API's per-client counters (src/api/router.ts): the same PostgreSQL store on
 * the same shared pool, keyed by client instead of address.
 */
export function apiRateLimitStore(databaseUrl: string, pool: pg.Pool, namespace = 'ce'): Store {
  return sharedPoolStore(databaseUrl, `${namespace}:api`, pool);
}

export interface RateLimits {
  /** The login's budget: every password check spends from it (src/auth/credentials.ts). */
  attempts: AttemptBudget;
  /** The same counter as middleware, for the forgotten-password forms. */
  attemptsMiddleware: ReturnType<typeof rateLimit>;
  register: ReturnType<typeof rateLimit>;
  verify: ReturnType<typeof rateLimit>;
}

const WINDOW_MS = 60_000;

/**
 * `namespace` separates counters of apps that must not share them (tests starting a second app
 * with a low limit on the same database); every process of one deployment uses the default.
 */
export function rateLimits(o: {
  databaseUrl: string; pool: pg.Pool; namespace?: string; attemptsPerMinute: number; registerPerMinute: number; verifyPerMinute: number;
  onLimited: { attempts: (req: Request, res: Response) => void; verify: (req: Request, res: Response) => void };
}): RateLimits {
  const ns = o.namespace ?? 'ce';
  const store = (name: string): Store => sharedPoolStore(o.databaseUrl, `${ns}:${name}`, o.pool);
  const limiter = (s: Store, limit: number, handler?: (req: Request, res: Response) => void) => rateLimit({
    windowMs: WINDOW_MS, limit, standardHeaders: 'draft-8', legacyHeaders: false, store: s, ...(handler ? { handler } : {}),
  });
  const attemptStore = store('login');
  const attemptsMiddleware = limiter(attemptStore, o.attemptsPerMinute, o.onLimited.attempts);
  return {
    attemptsMiddleware,
    attempts: {
      async take(ip) {
        const { totalHits } = await attemptStore.increment(ipKeyGenerator(ip ?? 'unknown'));
        return totalHits <= o.attemptsPerMinute;
      },
    },
    register: limiter(store('register'), o.registerPerMinute, o.onLimited.attempts),
    verify: limiter(store('verify'), o.verifyPerMinute, o.onLimited.verify),
  };
}
