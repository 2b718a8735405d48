/**
 * The access context: on whose behalf the current code runs. Every database query of the
 * platform runs inside one (src/access/wall.ts refuses a query outside any), and the database
 * learns it at the start of each transaction, so its row-level security checks the same
 * jurisdiction as the policies (migration 009).
 *
 * Edges set it: the login gate for a panel request (the logged-in principal), public pages
 * and the login itself (the platform principal), a job for its requesting admin or its
 * organisation's office, the integration API for its client. Code below the edges never
 * passes principals to the database by hand.
 *
 * Node's AsyncLocalStorage carries it across awaits, timers and promise chains started inside.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transaction } from 'sequelize';
import type { Principal } from './principal.js';

export interface AccessContext {
  principal: Principal;
  /** The transaction the code inside runs in, if any: queries without `{ transaction }` join it. */
  transaction?: Transaction;
}

const storage = new AsyncLocalStorage<AccessContext>();

/** Runs `fn` on behalf of `principal` (outside any transaction). */
export function runAs<T>(principal: Principal, fn: () => T): T {
  return storage.run({ principal }, fn);
}

/** Runs `fn` inside `transaction`, opened on behalf of `principal`. */
export function runInTransaction<T>(principal: Principal, transaction: Transaction, fn: () => T): T {
  return storage.run({ principal, transaction }, fn);
}

export function currentContext(): AccessContext | undefined {
  return storage.getStore();
}

export function currentPrincipal(): Principal | undefined {
  return storage.getStore()?.principal;
}

/**
 * The platform itself, for infrastructure that belongs to no jurisdiction: logging in and
 * loading principals, sessions, public registration and certificate verification, claiming
 * jobs. It holds no permission (no policy grants it anything); the database lets it see every
 * row, so it is used only where the code itself decides which row is meant.
 */
export function platformPrincipal(purpose: string): Principal {
  return {
    email: `系统（${purpose}）`, idNumber: '', title: '系统', accountId: 0, name: `系统（${purpose}）`, kind: 'system',
    organisationId: 0, organisationName: '系统', orgPath: '/', orgDepth: -1, adminId: null, personId: null, isSuper: false,
    permissions: [], mustChangePassword: false, passwordChangedAt: 0,
  };
}

/** Runs `fn` as the platform itself (see platformPrincipal). */
export function asPlatform<T>(purpose: string, fn: () => T): T {
  return runAs(platformPrincipal(purpose), fn);
}
