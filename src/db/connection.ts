/**
 * One Sequelize instance for the process: DATABASE_URL when set, otherwise the embedded
 * PostgreSQL in the data folder.
 */
import path from 'node:path';
import { Sequelize } from 'sequelize';
import { config } from '../../config/index.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.js';

export interface Database {
  sequelize: Sequelize;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

export async function openDatabase(opts: { url?: string; dataDir?: string; poolMax?: number; logging?: boolean } = {}): Promise<Database> {
  const poolMax = opts.poolMax ?? config.dbPoolMax;
  let embedded: EmbeddedDatabase | undefined;
  let url = opts.url ?? config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedDatabase(path.join(opts.dataDir ?? config.dataDir, 'pg'), poolMax + 4);
    url = embedded.url;
  }
  const sequelize = new Sequelize(url, {
    dialect: 'postgres',
    logging: opts.logging ? console.log : false,
    pool: { max: poolMax, min: 0, acquire: 30_000, idle: 10_000 },
    define: { underscored: true, freezeTableName: true },
    // Survive a dropped connection: retry the connection errors that a restart produces.
    retry: { max: 3, match: [/ECONNRESET/, /ECONNREFUSED/, /Connection terminated/, /terminating connection/, /SequelizeConnectionError/] },
  });
  await sequelize.authenticate();
  return {
    sequelize,
    url,
    embedded: !!embedded,
    async close() {
      await sequelize.close();
      await embedded?.stop();
    },
  };
}
