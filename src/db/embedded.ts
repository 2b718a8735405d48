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

/**
 * A pg pool whose every query runs as `BEGIN; <query>; COMMIT` on one of its clients — for pools
 * other than the application's that talk to the embedded database (the session store).
 *
 * The socket server queues each protocol message of each connection on its own and lets another
 * connection's message in between, except inside a transaction: two connections' parameterised
 * queries outside transactions (Parse, Bind, Execute, Sync) interleave, and one's Bind then finds
 * the other's unnamed statement — "unnamed prepared statement does not exist", or worse, the
 * wrong statement. A BEGIN (a simple query, atomic) gives the connection the backend until COMMIT.
 * The application's own queries always run in transactions (src/access/wall.ts).
 */
export function exclusivePool(pool: import('pg').Pool): import('pg').Pool {
  const query = async (text: string, params?: unknown[]) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await client.query(text, params as unknown[]);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  };
  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'query') return query;
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
