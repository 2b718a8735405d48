/**
 * The read replica (DATABASE_REPLICA_URL, issue 16 item 4): a physical streaming standby of the
 * primary, so it holds the same tables, roles, functions and row-level security policies, and
 * the same wall (src/access/wall.ts) applies on it unchanged — every query of the replica's
 * Sequelize runs as `ce_app` with the principal's settings, exactly as on the primary.
 *
 * What reads from it: the statistics pages and reports (src/services/statistics.ts through
 * `readerOf`) and the rows of export jobs (src/services/exports/jobs.ts). What never does:
 * decisions, the lists a reviewer acts on, imports, sessions, audit, job claiming — everything
 * that must see its own writes at once stays on the primary. A standby lags its primary by
 * its replay delay — commit on the primary to row visible on the standby, loopback, 50 commits:
 * median 10 ms, p95 30 ms, max 34 ms (2 cores under a load average of 15) — so a statistic may
 * trail a decision just taken by that much; lists never do.
 *
 * A replica that cannot be reached (down at start, restarting, network) never takes the
 * statistics down with it: a connection error marks it unavailable for DOWN_MS, during which
 * `readerOf` answers the primary, and `onReader` retries the failed read there at once.
 *
 * The pairing is a registry (primary Sequelize → replica Sequelize), so the engine's functions
 * keep taking the one `sequelize` they are given and ask for its reader where reading from
 * the replica is allowed; without a replica the reader is the primary itself.
 */
import { ConnectionError, type Sequelize } from 'sequelize';
import { logger } from '../ops/log.js';

/** How long a replica that failed to connect is passed over (then tried again). */
export const DOWN_MS = 30_000;

interface Pairing { replica: Sequelize; downUntil: number }
const pairings = new WeakMap<Sequelize, Pairing>();

/** A failure to reach the server (as opposed to a statement's error). */
export const isConnectionError = (e: unknown): boolean => e instanceof ConnectionError;

/** Records `replica` as the read connection of `primary` (src/db/connection.ts). */
export function bindReplica(primary: Sequelize, replica: Sequelize, opts: { down?: boolean } = {}): void {
  pairings.set(primary, { replica, downUntil: opts.down ? Date.now() + DOWN_MS : 0 });
}

export function unbindReplica(primary: Sequelize): void {
  pairings.delete(primary);
}

/** The replica of `primary` is unreachable: read from the primary for the next DOWN_MS. */
export function replicaUnavailable(primary: Sequelize, e: unknown): void {
  const p = pairings.get(primary);
  if (!p) return;
  if (p.downUntil <= Date.now()) logger.warn({ err: e }, `读副本不可达：${DOWN_MS / 1000} 秒内统计与导出改从主库读取`);
  p.downUntil = Date.now() + DOWN_MS;
}

/** Where reads that may trail the primary by its replay delay go: the replica if there is one and it is reachable. */
export function readerOf(primary: Sequelize): Sequelize {
  const p = pairings.get(primary);
  return p && p.downUntil <= Date.now() ? p.replica : primary;
}

/** The replica bound to `primary`, reachable or not (metrics), or null. */
export function replicaOf(primary: Sequelize): Sequelize | null {
  return pairings.get(primary)?.replica ?? null;
}

/** Runs a read on the reader; if the replica cannot be reached, once more on the primary. */
export async function onReader<T>(primary: Sequelize, read: (s: Sequelize) => Promise<T>): Promise<T> {
  const reader = readerOf(primary);
  if (reader === primary) return read(primary);
  try {
    return await read(reader);
  } catch (e) {
    if (!isConnectionError(e)) throw e;
    replicaUnavailable(primary, e);
    return read(primary);
  }
}
