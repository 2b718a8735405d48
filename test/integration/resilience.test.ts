/**
 * The database connection dropping and returning is survived without a restart. On real
 * PostgreSQL every backend of the app's database is terminated; the next requests work.
 * (The embedded database runs in this process and cannot drop its connections: the test
 * runs on PostgreSQL only, as CI's second run does.)
 */
import { loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';

const onPostgres = process.env.TEST_DATABASE_KIND === 'postgresql';
let t: TestPlatform;
beforeAll(async () => { t = await startTestPlatform(); });
afterAll(async () => { await t.close(); });

describe('database connections', () => {
  // Skipped on the embedded database: it runs in-process and has no connection to drop.
  (onPostgres ? it : it.skip)('survives every connection being terminated', async () => {
    const c = await loggedIn(t.base, DEMO_ACCOUNTS[1].idNumber);
    expect((await c.json('/admin/api/resources/persons/actions/list')).status).toBe(200);
    const db = new URL(process.env.TEST_DATABASE_URL!).pathname.slice(1);
    const { Client: PgClient } = (await import('pg')).default;
    const admin = new PgClient({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    const killed = await admin.query('SELECT count(pg_terminate_backend(pid)) n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db]);
    await admin.end();
    expect(Number(killed.rows[0].n)).toBeGreaterThan(0);
    // Sessions and data come back on new connections.
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await c.json('/admin/api/resources/persons/actions/list')).status);
    expect(statuses).toEqual([200, 200, 200]);
  });
});
