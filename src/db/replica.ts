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
 * The pairing is a registry (primary Sequelize → replica Sequelize), so the engine's functions
 * keep taking the one `sequelize` they are given and ask for its reader where reading from
 * the replica is allowed; without a replica the reader is the primary itself.
 */
import type { Sequelize } from 'sequelize';

const readers = new WeakMap<Sequelize, Sequelize>();

/** Records `replica` as the read connection of `primary` (src/db/connection.ts). */
export function bindReplica(primary: Sequelize, replica: Sequelize): void {
  readers.set(primary, replica);
}

export function unbindReplica(primary: Sequelize): void {
  readers.delete(primary);
}

/** Where reads that may trail the primary by its replay delay go: the replica if there is one. */
export function readerOf(primary: Sequelize): Sequelize {
  return readers.get(primary) ?? primary;
}

/** Whether `primary` has a replica bound (metrics and the boot log say so). */
export function hasReplica(primary: Sequelize): boolean {
  return readers.has(primary);
}
