/**
 * Versioned migrations own the schema (umzug, state in table `schema_migrations`).
 * Each migration runs in its own transaction; a PostgreSQL advisory lock makes several
 * starting processes apply them once.
 */
import { Umzug } from 'umzug';
import type { Sequelize, Transaction } from 'sequelize';
import { migration as m001 } from './migrations/001-domain-schema.js';
import { migration as m002 } from './migrations/002-import-jobs.js';
import { migration as m003 } from './migrations/003-session-owner.js';
import { migration as m004 } from './migrations/004-certificates.js';
import { migration as m005 } from './migrations/005-export-jobs.js';
import { migration as m006 } from './migrations/006-scale-indexes.js';
import { migration as m007 } from './migrations/007-statistics-rollups.js';
import { migration as m008 } from './migrations/008-review-queue-index.js';
import { migration as m009 } from './migrations/009-access-wall.js';
import { migration as m010 } from './migrations/010-rules-of-the-year.js';
import { migration as m011 } from './migrations/011-panel-review.js';
import { migration as m012 } from './migrations/012-job-heartbeats-session-ids.js';
import { migration as m013 } from './migrations/013-worker-queue.js';
import { migration as m014 } from './migrations/014-exports.js';
import { migration as m015 } from './migrations/015-api-clients.js';
import { migration as m016 } from './migrations/016-year-rules-as-data.js';
import { migration as m017 } from './migrations/017-panel-evidence.js';
import { migration as m018 } from './migrations/018-recompute-jobs.js';
import { migration as m019 } from './migrations/019-hour-proofs.js';
import { migration as m020 } from './migrations/020-reminders.js';
import { migration as m021 } from './migrations/021-api-callbacks.js';
import { migration as m022 } from './migrations/022-persons-scope-ranges.js';
import { migration as m023 } from './migrations/023-hour-records-scope-covering.js';
import { migration as m024 } from './migrations/024-export-file-parts.js';
import { migration as m025 } from './migrations/025-hour-records-scope-ranges.js';
import { migration as m026 } from './migrations/026-hour-records-created-scope.js';
import { migration as m027 } from './migrations/027-accounts-policy-platform-first.js';

export interface Migration {
  name: string;
  up(sequelize: Sequelize, transaction: Transaction): Promise<void>;
}

/** In order. A new migration is a new file added at the end; an applied one never changes. */
export const migrations: Migration[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010, m011, m012, m013, m014, m015, m016, m017, m018, m019, m020, m021, m022, m023, m024, m025, m026, m027];

const MIGRATION_LOCK = 370000_001;

export async function migrate(sequelize: Sequelize): Promise<string[]> {
  await sequelize.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  return sequelize.transaction(async (lockTx) => {
    await sequelize.query('SELECT pg_advisory_xact_lock(?)', { replacements: [MIGRATION_LOCK], transaction: lockTx });
    const applied = new Set(
      ((await sequelize.query('SELECT name FROM schema_migrations', { transaction: lockTx }))[0] as { name: string }[])
        .map((r) => r.name),
    );
    const umzug = new Umzug({
      migrations: migrations.map((m) => ({
        name: m.name,
        // Inside the lock's transaction: on the embedded database there is only one backend.
        up: async () => {
          await m.up(sequelize, lockTx);
          await sequelize.query('INSERT INTO schema_migrations (name) VALUES (?)', { replacements: [m.name], transaction: lockTx });
        },
      })),
      storage: {
        executed: async () => [...applied],
        logMigration: async () => {},
        unlogMigration: async () => {},
      },
      logger: undefined,
    });
    const done = await umzug.up();
    return done.map((m) => m.name);
  });
}
