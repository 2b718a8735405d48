/**
 * The read replica (issue 16 item 4), on a real PostgreSQL streaming standby: .ci/run starts one
 * of 127.0.0.1:5432 (pg_basebackup -R, port 5433) and exports REPLICA_URL — the standby's URL of
 * the run's database. Without it (PGlite, or a server without a standby) this file is skipped.
 *
 * The proof that statistics and exports are answered by the replica: replay on the standby is
 * paused (pg_wal_replay_pause), a reviewer approves a declaration — the primary's review list
 * shows it decided at once — while the statistics page and a statistics export still show the
 * numbers from before; replay resumed and caught up, they show the new ones. No sleeps: the
 * test waits for the standby's replay position to pass the primary's.
 *
 * On any database (PGlite too): a replica that cannot be reached neither stops the platform
 * nor the statistics — they are answered by the primary.
 */
import { QueryTypes, Sequelize } from 'sequelize';
import ExcelJS from 'exceljs';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { DEMO_ACCOUNTS } from '../../src/db/demo-accounts.js';
import { asPlatform, runAs } from '../../src/access/context.js';
import { loadPrincipal } from '../../src/access/principal.js';
import { MissingAccessContext } from '../../src/access/wall.js';
import { bindReplica, readerOf } from '../../src/db/replica.js';
import { requestExport, runExportJob } from '../../src/services/exports/jobs.js';

const REPLICA_URL = process.env.REPLICA_URL;
const onReplica = REPLICA_URL && process.env.TEST_DATABASE_KIND === 'postgresql';
const describeReplica = onReplica ? describe : describe.skip;
const BUREAU = '济南市人力资源和社会保障局';
const YEAR = new Date().getFullYear();

let t: TestPlatform;
let standby: Sequelize; // the standby as superuser: pause/resume replay, inspect
let reviewer: Client;
let reviewerAccount: number;

const q = <T extends object>(sql: string, r: Record<string, unknown> = {}) =>
  t.platform.db.owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
const onStandby = <T extends object>(sql: string) => standby.query<T>(sql, { type: QueryTypes.SELECT });

/** Waits until the standby has replayed everything the primary has written so far. */
async function caughtUp(): Promise<void> {
  const [{ lsn }] = await q<{ lsn: string }>('SELECT pg_current_wal_lsn()::text lsn');
  for (let i = 0; i < 2_000; i++) {
    const [{ behind }] = await standby.query<{ behind: boolean }>(
      'SELECT pg_last_wal_replay_lsn() < :lsn::pg_lsn behind', { replacements: { lsn }, type: QueryTypes.SELECT });
    if (!behind) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('读副本未追上主库');
}

const overviewTotal = async () => {
  const res = await reviewer.json<{ total: { approvedHours: number } }>(`/admin/api/resources/statistics_overview/actions/overview?year=${YEAR}`);
  expect(res.status).toBe(200);
  return res.body.total.approvedHours;
};

/** The statistics-overview report run as an export job; the 认定学时 of its total row. */
async function exportedTotal(): Promise<number> {
  const p = (await asPlatform('测试', () => loadPrincipal(t.platform.db.sequelize, reviewerAccount, 'admin')))!;
  const jobId = await runAs(p, () => requestExport(t.platform.db.sequelize, p, 'statistics-overview', { year: YEAR }));
  await runExportJob(t.platform.db.sequelize, jobId, { maxAttempts: 1, baseDelayMs: 10 });
  const [job] = await q<{ status: string; error: string | null; file: Buffer }>(`SELECT status, error, (SELECT string_agg(bytes, ''::bytea ORDER BY part) FROM export_file_parts f WHERE f.job_id = export_jobs.id) AS file FROM export_jobs WHERE id = :jobId`, { jobId });
  expect(job).toMatchObject({ status: 'succeeded', error: null });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(job.file as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  wb.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  const approvedColumn = (rows[0] as string[]).indexOf('认定学时');
  return Number(rows[rows.length - 1][approvedColumn]);
}

if (!onReplica) {
  // Said once, in the run's output, so a skipped file is never mistaken for a passing one.
  console.log('读副本测试已跳过：未设置 REPLICA_URL（需要真实 PostgreSQL 及其流复制备库，见 .ci/run）');
}

describeReplica('read replica (REPLICA_URL): statistics and exports read from a streaming standby', () => {
  beforeAll(async () => {
    standby = new Sequelize(REPLICA_URL!, { dialect: 'postgres', logging: false, pool: { max: 1 } });
    t = await startTestPlatform({ replicaUrl: REPLICA_URL });
    const account = DEMO_ACCOUNTS.find((a) => a.organisationName === BUREAU && a.isSuper)!;
    reviewer = await loggedIn(t.base, account.idNumber);
    reviewerAccount = (await q<{ id: number }>('SELECT id FROM accounts WHERE id_number = :n', { n: account.idNumber }))[0].id;
  });
  afterAll(async () => {
    // Never leave the run's standby paused, whatever failed.
    await standby?.query('SELECT pg_wal_replay_resume()').catch(() => undefined);
    await standby?.close();
    await t?.close();
  });

  it('the reader is a standby in recovery; the primary is not', async () => {
    const { sequelize, replica } = t.platform.db;
    expect(replica).not.toBeNull();
    expect(readerOf(sequelize)).toBe(replica);
    const recovery = (s: Sequelize) => asPlatform('测试', () => s.query<{ r: boolean }>('SELECT pg_is_in_recovery() r', { type: QueryTypes.SELECT }));
    expect((await recovery(replica!))[0].r).toBe(true);
    expect((await recovery(sequelize))[0].r).toBe(false);
    // The primary streams to it (the standby started by .ci/run names itself ce_replica).
    const [{ n }] = await q<{ n: string }>("SELECT count(*) n FROM pg_stat_replication WHERE state = 'streaming'");
    expect(Number(n)).toBeGreaterThan(0);
  });

  it('the wall applies on the replica exactly as on the primary: role, row-level security, no context refused', async () => {
    const { sequelize, replica } = t.platform.db;
    await caughtUp();
    const p = (await asPlatform('测试', () => loadPrincipal(sequelize, reviewerAccount, 'admin')))!;
    const seen = (s: Sequelize) => runAs(p, () => s.query<{ n: string; who: string }>(
      'SELECT count(*) n, current_user who FROM persons', { type: QueryTypes.SELECT }));
    const [onPrimary] = await seen(sequelize);
    const [onStandbyAsReviewer] = await seen(replica!);
    const [{ all }] = await q<{ all: string }>('SELECT count(*) "all" FROM persons');
    expect(onStandbyAsReviewer).toEqual(onPrimary);
    expect(onStandbyAsReviewer.who).toBe('ce_app');
    expect(Number(onStandbyAsReviewer.n)).toBeGreaterThan(0);
    expect(Number(onStandbyAsReviewer.n)).toBeLessThan(Number(all));
    await expect(replica!.query('SELECT 1')).rejects.toBeInstanceOf(MissingAccessContext);
  });

  it('statistics and a statistics export are answered by the replica; the reviewer\'s own decision shows at once on the primary list', async () => {
    const [bureau] = await q<{ path: string }>('SELECT path FROM organisations WHERE name = :n', { n: BUREAU });
    const [decl] = await q<{ id: string }>(`INSERT INTO hour_declarations (person_id, unit_id, org_path, year, subject_type, learning_form_id, channel, activity_name, declared_hours)
      SELECT p.id, p.unit_id, p.org_path, :year, 'professional', (SELECT id FROM learning_forms WHERE code = 'face_to_face'), 'hr', '读副本测试', 7
        FROM persons p WHERE p.org_path LIKE :p AND p.status = 'active' ORDER BY p.id LIMIT 1 RETURNING id::text`, { year: YEAR, p: `${bureau.path}%` });
    await caughtUp();
    const before = await overviewTotal();
    expect(await exportedTotal()).toBeCloseTo(before, 1);

    await standby.query('SELECT pg_wal_replay_pause()');
    try {
      const res = await reviewer.json<{ notice?: { message: string } }>(`/admin/api/resources/hour_reviews/records/${decl.id}/approve`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.body.notice?.message).toBeDefined();
      // The reviewer's list (primary) shows the decision at once.
      const list = await reviewer.json<{ records: Array<{ id: string | number; params: { status: string } }> }>(
        `/admin/api/resources/hour_reviews/actions/list?filters.id=${decl.id}`);
      expect(list.status).toBe(200);
      expect(list.body.records.map((r) => [String(r.id), r.params.status])).toEqual([[decl.id, 'approved']]);

      // Statistics and the export: the standby has not replayed the decision, so neither moved.
      expect(await overviewTotal()).toBeCloseTo(before, 1);
      expect(await exportedTotal()).toBeCloseTo(before, 1);
      const [{ readers }] = await onStandby<{ readers: string }>("SELECT count(*) readers FROM pg_stat_activity WHERE application_name = 'ce_replica_reader'");
      expect(Number(readers)).toBeGreaterThan(0);
    } finally {
      await standby.query('SELECT pg_wal_replay_resume()');
    }
    await caughtUp();
    // What an operator sees of it: a caught-up standby trails by (well under) a second.
    const scrape = await (await fetch(`${t.base}/metrics`)).text();
    const lag = Number(/^ce_replica_replay_lag_seconds (\S+)$/m.exec(scrape)?.[1]);
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(5);
    expect(scrape).toMatch(/^ce_db_pool_connections\{pool="replica",state="max"\} \d+$/m);
    expect(await overviewTotal()).toBeCloseTo(before + 7, 1);
    expect(await exportedTotal()).toBeCloseTo(before + 7, 1);
  });
});

describe('a read replica that cannot be reached (any database)', () => {
  let down: TestPlatform;
  beforeAll(async () => {
    // Nothing listens on port 1: every connection is refused at once.
    down = await startTestPlatform({ replicaUrl: 'postgres://postgres@127.0.0.1:1/none' });
  });
  afterAll(async () => { await down?.close(); });

  it('the platform starts, statistics answer from the primary, and /metrics says the replica is unreachable', async () => {
    const { sequelize, replica } = down.platform.db;
    expect(replica).not.toBeNull();
    expect(readerOf(sequelize)).toBe(sequelize); // passed over since the start
    const account = DEMO_ACCOUNTS.find((a) => a.organisationName === BUREAU && a.isSuper)!;
    const c = await loggedIn(down.base, account.idNumber);
    const first = await c.json<{ total: { persons: number } }>(`/admin/api/resources/statistics_overview/actions/overview?year=${YEAR}`);
    expect(first.status).toBe(200);
    expect(first.body.total.persons).toBeGreaterThan(0);
    // Believed reachable again (as after DOWN_MS): the read fails on it and is answered by the primary at once.
    bindReplica(sequelize, replica!);
    expect(readerOf(sequelize)).toBe(replica);
    const again = await c.json<{ total: { persons: number } }>(`/admin/api/resources/statistics_overview/actions/overview?year=${YEAR}`);
    expect(again.status).toBe(200);
    expect(again.body.total.persons).toBe(first.body.total.persons);
    expect(readerOf(sequelize)).toBe(sequelize);
    const scrape = await (await fetch(`${down.base}/metrics`)).text();
    expect(scrape).toMatch(/^ce_replica_replay_lag_seconds -1$/m);
  });
});

if (!onReplica) {
  describe('read replica', () => {
    it.skip('skipped: REPLICA_URL is not set (needs a real PostgreSQL and a streaming standby, see .ci/run)', () => undefined);
  });
}
