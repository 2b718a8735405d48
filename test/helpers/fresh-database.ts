/** An empty database of the run's kind: a new in-memory PGlite, or a new PostgreSQL database. */
import { startEmbeddedDatabase } from '../../src/db/embedded.js';
import { openDatabase, type Database } from '../../src/db/connection.js';

export async function freshDatabase(): Promise<Database> {
  if (process.env.TEST_DATABASE_KIND !== 'postgresql') {
    const embedded = await startEmbeddedDatabase(undefined, 8);
    const db = await openDatabase({ url: embedded.url, poolMax: 4 });
    return { ...db, async close() { await db.close(); await embedded.stop(); } };
  }
  const admin = new URL(process.env.TEST_DATABASE_URL!);
  const name = `ce_fresh_${process.pid}_${Date.now()}`;
  admin.pathname = '/postgres';
  const server = await openDatabase({ url: admin.toString(), poolMax: 1 });
  await server.owner.query(`CREATE DATABASE ${name}`);
  const target = new URL(admin.toString());
  target.pathname = `/${name}`;
  const db = await openDatabase({ url: target.toString(), poolMax: 4 });
  return {
    ...db,
    async close() {
      await db.close();
      await server.owner.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await server.close();
    },
  };
}
