/**
 * Embedded PostgreSQL: PGlite (PostgreSQL compiled to WASM) behind its socket server, so
 * Sequelize's ordinary `postgres` dialect and `pg` talk to it unchanged. Used when no
 * DATABASE_URL is given: `npm start` then needs no database installed, and the data folder
 * keeps the data across restarts.
 *
 * PGlite runs one query at a time for every connection: a query inside a transaction that
 * does not pass `{ transaction }` waits for the transaction that blocks it — forever.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { uuid_ossp } from '@electric-sql/pglite/contrib/uuid_ossp';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** dataDir undefined: an in-memory database (tests). */
export async function startEmbeddedDatabase(dataDir: string | undefined, maxConnections: number): Promise<EmbeddedDatabase> {
  // PGlite creates only the last folder of its data dir.
  if (dataDir) fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  // pg_trgm: the trigram index of name search (migration 006) exists here as on PostgreSQL;
  // uuid-ossp: the per-address rate-limit store's schema uses it (src/auth/rate-limit.ts).
  const db = await PGlite.create(dataDir ?? 'memory://', { extensions: { pg_trgm, uuid_ossp } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres@${address}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
