/**
 * The database of the process: DATABASE_URL when set, otherwise the embedded PostgreSQL in the
 * data folder. Two Sequelize instances over it:
 *
 * - `sequelize`, the application's: walled (src/access/wall.ts) — every query runs inside an
 *   access context, as the restricted role ce_app under row-level security;
 * - `owner`, a small unwalled pool as the tables' owner, for what is not the application's
 *   work: migrations, the permission catalog's sync, the demo seed, and tests' inspection.
 *
 * With DATABASE_REPLICA_URL (a streaming standby of the same server), a third, `replica`:
 * walled exactly like `sequelize`, with the same models, bound as its reader (src/db/replica.ts).
 */
import path from 'node:path';
import { QueryTypes, Sequelize } from 'sequelize';
import { config } from '../../config/index.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.js';
import { installWall } from '../access/wall.js';
import { defineModels } from './models.js';
import { bindReplica, isConnectionError, replicaUnavailable, unbindReplica } from './replica.js';
import { logger } from '../ops/log.js';

export interface Database {
  sequelize: Sequelize;
  owner: Sequelize;
  /** The read replica's walled connection (DATABASE_REPLICA_URL), or null. */
  replica: Sequelize | null;
  url: string;
  /** PGlite, started here or behind DATABASE_URL: one backend for every connection (see embedded.ts). */
  embedded: boolean;
  close(): Promise<void>;
}

const OWNER_POOL = 2;

function connect(url: string, poolMax: number, logging?: boolean, applicationName?: string): Sequelize {
  return new Sequelize(url, {
    ...(applicationName ? { dialectOptions: { application_name: applicationName } } : {}),
    dialect: 'postgres',
    logging: logging ? console.log : false,
    pool: { max: poolMax, min: 0, acquire: 30_000, idle: 10_000 },
    define: { underscored: true, freezeTableName: true },
    // Survive a dropped connection: retry the connection errors that a restart produces.
    retry: { max: 3, match: [/ECONNRESET/, /ECONNREFUSED/, /Connection terminated/, /terminating connection/, /SequelizeConnectionError/] },
  });
}

export async function openDatabase(opts: { url?: string; dataDir?: string; poolMax?: number; logging?: boolean; replicaUrl?: string | null } = {}): Promise<Database> {
  const poolMax = opts.poolMax ?? config.dbPoolMax;
  let embedded: EmbeddedDatabase | undefined;
  let url = opts.url ?? config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedDatabase(path.join(opts.dataDir ?? config.dataDir, 'pg'), poolMax + OWNER_POOL + 4);
    url = embedded.url;
  }
  const owner = connect(url, OWNER_POOL, opts.logging);
  const sequelize = connect(url, poolMax, opts.logging);
  let embeddedServer = !!embedded;
  try {
    await owner.authenticate();
    await sequelize.authenticate();
    // The embedded server behind a URL (the tests' shared one) needs the same care as our own.
    const [{ version }] = await owner.query<{ version: string }>('SELECT version()', { type: QueryTypes.SELECT });
    embeddedServer ||= version.includes('PGlite');
  } catch (e) {
    await owner.close().catch(() => undefined);
    await sequelize.close().catch(() => undefined);
    await embedded?.stop();
    throw e;
  }
  installWall(sequelize);
  const replicaUrl = opts.replicaUrl === undefined ? config.databaseReplicaUrl : opts.replicaUrl ?? undefined;
  let replica: Sequelize | null = null;
  if (replicaUrl) {
    // Named, so the standby's pg_stat_activity shows whose connections these are.
    replica = connect(replicaUrl, poolMax, opts.logging, 'ce_replica_reader');
    // A replica down at start does not stop the platform: it is passed over until it answers.
    let down = false;
    try {
      const [{ standby }] = await replica.query<{ standby: boolean }>('SELECT pg_is_in_recovery() standby', { type: QueryTypes.SELECT });
      if (!standby) logger.warn('DATABASE_REPLICA_URL 指向的不是备库（pg_is_in_recovery() 为假）：统计与导出照常从它读取');
    } catch (e) {
      if (!isConnectionError(e)) {
        await Promise.allSettled([replica.close(), owner.close(), sequelize.close()]);
        await embedded?.stop();
        throw e;
      }
      logger.warn({ err: e }, '读副本暂不可达：统计与导出先从主库读取');
      down = true;
    }
    installWall(replica);
    defineModels(replica);
    // Any connection failure of the replica's own (a standby restarting) passes it over for a while.
    const walled = replica.query.bind(replica) as (...args: unknown[]) => Promise<unknown>;
    (replica as unknown as { query: unknown }).query = (...args: unknown[]) =>
      walled(...args).catch((e: unknown) => { if (isConnectionError(e)) replicaUnavailable(sequelize, e); throw e; });
    bindReplica(sequelize, replica, { down });
  }
  return {
    sequelize,
    owner,
    replica,
    url,
    embedded: embeddedServer,
    async close() {
      unbindReplica(sequelize);
      await replica?.close();
      await sequelize.close();
      await owner.close();
      await embedded?.stop();
    },
  };
}
