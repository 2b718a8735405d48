/**
 * One database for the whole run: DATABASE_URL when set (CI gives a fresh one), otherwise an
 * embedded PostgreSQL (PGlite, in memory) served on a local socket for the run. Migrated and
 * seeded once with a small demo data set; test files reach it through TEST_DATABASE_URL.
 */
import { startEmbeddedDatabase } from '../../src/db/embedded.js';
import { openDatabase } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrator.js';
import { databaseIsEmpty, seedDemoData } from '../../src/db/seed.js';
import { syncPermissionCatalog } from '../../src/access/catalog-sync.js';

export const TEST_PERSONS = 1500;

export async function setupDatabase(): Promise<void> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    const embedded = await startEmbeddedDatabase(undefined, 40);
    (globalThis as { __embedded?: unknown }).__embedded = embedded;
    url = embedded.url;
  }
  process.env.TEST_DATABASE_URL = url;
  process.env.TEST_DATABASE_KIND = process.env.DATABASE_URL ? 'postgresql' : 'embedded';
  const db = await openDatabase({ url, poolMax: 4 });
  try {
    await migrate(db.owner);
    await syncPermissionCatalog(db.owner);
    if (await databaseIsEmpty(db.owner)) await seedDemoData(db.owner, { persons: TEST_PERSONS });
  } finally {
    await db.owner.close();
  }
  console.log(`\n测试数据库：${process.env.TEST_DATABASE_KIND === 'embedded' ? '内置 PostgreSQL（PGlite）' : 'PostgreSQL（DATABASE_URL）'}`);
}

export async function teardownDatabase(): Promise<void> {
  const embedded = (globalThis as { __embedded?: { stop(): Promise<void> } }).__embedded;
  await embedded?.stop();
}
