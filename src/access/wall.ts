/**
 * The database's own wall, on the application's side: every query of the application's
 * Sequelize runs in a transaction that first becomes the restricted role `ce_app` and tells
 * the database on whose behalf it runs (PostgREST's and Supabase's pattern):
 *
 *   BEGIN; SET LOCAL ROLE ce_app; SELECT set_config('ce.scope', '/1/2/18/', true), …; <queries>; COMMIT
 *
 * Row-level security (migration 009) then shows and lets change only the rows of that
 * jurisdiction, whatever WHERE the query forgot. Both settings end with the transaction, so a
 * pooled connection (and the embedded database's single backend, where every connection shares
 * one session) never carries them to the next user.
 *
 * - A query outside any access context is refused here (a programming error, never a user's):
 *   the edges set the context (src/access/context.ts).
 * - A query without `{ transaction }` outside a transaction gets one of its own; inside a
 *   transaction's callback it joins that transaction, so a forgotten `{ transaction }` can no
 *   longer hang the embedded database. A standalone SELECT without bind parameters (the
 *   panel's lists, counts, pickers, the principal's reload — most of a request) is sent as ONE
 *   simple-protocol message, `SET LOCAL ROLE ce_app; SET LOCAL "ce.scope" TO …; <select>`:
 *   PostgreSQL runs the statements of one message as one implicit transaction, so the role and
 *   settings hold for the SELECT and end with it, exactly as with BEGIN … COMMIT, in one round
 *   trip instead of four (and one Sequelize query instead of four). Measured on the county
 *   page-1 list (npm run bench, smoke size, 200 runs): 16 round trips a request → 4.
 *   Anything else (bind parameters, writes, raw results whose metadata a caller reads) takes
 *   the transaction path.
 * - A transaction opened inside another one's callback becomes a savepoint of it.
 * - Migrations, the demo seed and tests' inspection use a second, unwalled connection as the
 *   tables' owner (src/db/connection.ts `owner`).
 * - A second walled instance (the read replica, src/db/replica.ts) joins only transactions of
 *   its own: a replica read inside a primary transaction's callback opens its own transaction
 *   on the replica, under the same principal, instead of riding the primary's connection.
 */
import type { Sequelize, Transaction, TransactionOptions } from 'sequelize';
import type { Principal } from './principal.js';
import { currentContext, runInTransaction } from './context.js';

export const APP_ROLE = 'ce_app';

export class MissingAccessContext extends Error {
  constructor(sql: string) {
    super(`数据库访问缺少访问上下文（代码缺陷）：${sql.slice(0, 120)}`);
  }
}

/** The settings the row-level security policies read, from the principal (migration 009). */
export function settingsOf(p: Principal): Record<string, string> {
  const admin = p.kind !== 'person';
  return {
    'ce.kind': p.kind,
    'ce.scope': p.kind === 'system' ? '/' : admin ? p.orgPath : '',
    'ce.org': admin && p.organisationId ? String(p.organisationId) : '',
    'ce.person': p.personId ? String(p.personId) : '',
    'ce.account': p.accountId ? String(p.accountId) : '',
    'ce.super': p.isSuper ? 'on' : 'off',
  };
}

const SAFE_VALUE = /^[0-9a-z_/]*$/;

/** One statement: the role, then every setting — sent with the transaction's first query. */
export function contextStatement(p: Principal): string {
  const sets = Object.entries(settingsOf(p)).map(([k, v]) => {
    if (!SAFE_VALUE.test(v)) throw new Error(`访问上下文取值无效：${k}`);
    return `set_config('${k}', '${v}', true)`;
  });
  return `SET LOCAL ROLE ${APP_ROLE}; SELECT ${sets.join(', ')}`;
}

/**
 * The same role and settings as statements that return no rows, to prefix a SELECT in one
 * simple-protocol message (Sequelize concatenates the rows of every statement of a message:
 * `SELECT set_config(…)` would add a row; `SET` adds none).
 */
export function contextPrefix(p: Principal): string {
  const sets = Object.entries(settingsOf(p)).map(([k, v]) => {
    if (!SAFE_VALUE.test(v)) throw new Error(`访问上下文取值无效：${k}`);
    return `SET LOCAL "${k}" TO '${v}'`;
  });
  return `SET LOCAL ROLE ${APP_ROLE}; ${sets.join('; ')}; `;
}

/** A SELECT that may ride one message with its context: typed SELECT, a string, no bind parameters, no transaction. */
function oneMessage(sql: unknown, options: Record<string, unknown>): sql is string {
  return typeof sql === 'string' && options.type === 'SELECT' && options.bind === undefined && !/^\s*(BEGIN|START|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b/i.test(sql);
}

type Query = Sequelize['query'];
type TransactionFn = Sequelize['transaction'];
interface Walled { __walled?: true; __query?: Query; __transaction?: TransactionFn }

/**
 * Installs the wall on an application Sequelize instance. After this, every query needs an
 * access context; a transaction's settings are its principal's.
 */
export function installWall(sequelize: Sequelize): void {
  const w = sequelize as Sequelize & Walled;
  if (w.__walled) return;
  const query = sequelize.query.bind(sequelize) as Query;
  const transaction = sequelize.transaction.bind(sequelize) as (...args: unknown[]) => Promise<unknown>;
  w.__walled = true;
  w.__query = query;
  /** The context's transaction, if it is one of this instance's connections (not another instance's). */
  const ours = (t: Transaction | undefined): Transaction | undefined =>
    t && (t as unknown as { sequelize?: Sequelize }).sequelize === sequelize ? t : undefined;

  const open = (options: TransactionOptions & { principal?: Principal } = {}, callback?: (t: Transaction) => Promise<unknown>) => {
    const ctx = currentContext();
    // Inside another transaction's callback: a savepoint of it, under the same settings.
    const parent = options.transaction ?? ours(ctx?.transaction);
    if (parent) {
      const p = ctx?.principal;
      const inner = { ...options, transaction: parent };
      if (!callback) return transaction(inner);
      return transaction(inner, (t: Transaction) => (p ? runInTransaction(p, t, () => callback(t)) : callback(t)));
    }
    const p = options.principal ?? ctx?.principal;
    if (!p) return Promise.reject(new MissingAccessContext('BEGIN'));
    const { principal: _ignored, ...rest } = options;
    if (!callback) {
      return (transaction(rest) as Promise<Transaction>).then(async (t) => {
        try {
          await query(contextStatement(p), { transaction: t });
        } catch (e) {
          await t.rollback().catch(() => undefined);
          throw e;
        }
        return t;
      });
    }
    return transaction(rest, async (t: Transaction) => {
      await query(contextStatement(p), { transaction: t });
      return runInTransaction(p, t, () => callback(t));
    });
  };
  (sequelize as unknown as { transaction: unknown }).transaction = (a?: unknown, b?: unknown) =>
    typeof a === 'function' ? open({}, a as (t: Transaction) => Promise<unknown>) : open(a as TransactionOptions, b as (t: Transaction) => Promise<unknown>);

  (sequelize as unknown as { query: unknown }).query = (sql: unknown, options: { transaction?: Transaction | null } & Record<string, unknown> = {}) => {
    if (options.transaction) return query(sql as string, options as never);
    const ctx = currentContext();
    const joined = ours(ctx?.transaction);
    if (joined && !(joined as unknown as { finished?: string }).finished) {
      return query(sql as string, { ...options, transaction: joined } as never);
    }
    if (!ctx) return Promise.reject(new MissingAccessContext(typeof sql === 'string' ? sql : String((sql as { query?: string })?.query ?? '')));
    if (ctx.principal && oneMessage(sql, options)) return query(contextPrefix(ctx.principal) + sql, options as never);
    return open({}, (t) => query(sql as string, { ...options, transaction: t } as never));
  };
}

/**
 * Runs `fn` inside an open transaction as another principal (the database's settings switched
 * for the duration, then restored): the effect of a two-party decision that crosses
 * jurisdictions (a person moving from one county to another) runs as the platform, after both
 * sides' own scoped decisions.
 */
export async function withinTransactionAs<T>(sequelize: Sequelize, transaction: Transaction, as: Principal, fn: () => Promise<T>): Promise<T> {
  const ctx = currentContext();
  const query = (sequelize as Sequelize & Walled).__query ?? sequelize.query.bind(sequelize);
  await query(contextStatement(as), { transaction });
  try {
    return await runInTransaction(as, transaction, fn);
  } finally {
    if (ctx?.principal && !(transaction as unknown as { finished?: string }).finished) {
      await query(contextStatement(ctx.principal), { transaction }).catch(() => undefined);
    }
  }
}
