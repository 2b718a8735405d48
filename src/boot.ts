/**
 * Brings the platform up: database (embedded or DATABASE_URL), migrations, permission
 * catalog, demo data on an empty database, the HTTP app. Used by `npm start` and the tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../config/index.js';
import { openDatabase, type Database } from './db/connection.js';
import { migrate } from './db/migrator.js';
import { defineModels, type Models } from './db/models.js';
import { databaseIsEmpty, seedDemoData } from './db/seed.js';
import { syncPermissionCatalog } from './access/catalog-sync.js';
import { asPlatform } from './access/context.js';
import { bindAudit } from './services/audit.js';
import { sessionSecret } from './auth/session-secret.js';
import { createApp } from './server.js';
import { failInterruptedImports } from './services/import/engine.js';
import { failInterruptedExports, resumeExportRetries, runningExports, stopExportRetries } from './services/exports/jobs.js';
import { seedConfiguredSchedules } from './services/exports/schedules.js';
import type { Notifier } from './services/notifier.js';
import { setJobMode } from './jobs/queue.js';
import { recomputesSettled, resumeRecomputes, startRecomputeJobs, stopRecomputes } from './jobs/recompute.js';

export interface Platform {
  db: Database;
  models: Models;
  app: ReturnType<typeof createApp>['app'];
  admin: ReturnType<typeof createApp>['admin'];
  close(): Promise<void>;
}

/**
 * AdminJS serves the panel's component bundle from ADMIN_JS_TMP_DIR and rebuilds it only when
 * it is missing: drop the one an earlier version of the code left, so it is built anew.
 */
export function dropStaleComponentBundle(): void {
  fs.rmSync(path.resolve(process.env.ADMIN_JS_TMP_DIR ?? '.adminjs', 'bundle.js'), { force: true });
}

export async function bootPlatform(opts: {
  url?: string; dataDir?: string; seed?: boolean; seedPersons?: number; notifier?: Notifier; loginRateLimit?: number; verifyRateLimit?: number;
  log?: (s: string) => void;
  /** A read replica's URL (default DATABASE_REPLICA_URL; null: none). */
  replicaUrl?: string | null;
  /**
   * Seed the schedules of config/scheduled-exports.ts into export_schedules (default: unless
   * EXPORT_SCHEDULES=0). They run, like every schedule made in the panel, as the periodic task
   * `export-schedules` (src/jobs/periodic.ts) of whichever process starts periodic tasks.
   */
  scheduledExports?: boolean;
  /**
   * `all` (default: tests, the benchmark): this process runs the jobs it creates, the schedules
   * and the recovery sweep. `web` (`npm start`, src/web.ts): it only enqueues jobs and reads
   * their state — the worker (src/worker.ts) claims them, fires the schedules and sweeps; the
   * supervisor (src/main.ts) has migrated, seeded and dropped the stale panel bundle already.
   */
  role?: 'all' | 'web';
} = {}): Promise<Platform> {
  const log = opts.log ?? (() => {});
  const web = opts.role === 'web';
  if (web) setJobMode('queue');
  else dropStaleComponentBundle();
  const db = await openDatabase({ url: opts.url, dataDir: opts.dataDir, replicaUrl: opts.replicaUrl });
  if (db.replica) log('读副本：统计查询与导出任务从 DATABASE_REPLICA_URL 读取');
  try {
    // The schema, the permission catalog and the demo data are the owner's work, not the application's.
    // Under the supervisor (src/main.ts) that is done once, before any web process starts: N
    // processes' owner queries would otherwise interleave on the embedded database's socket.
    const supervised = web && process.env.CE_SUPERVISED === '1';
    const applied = supervised ? [] : await migrate(db.owner);
    if (applied.length) log(`已应用数据库迁移：${applied.join(', ')}`);
    if (!supervised) await syncPermissionCatalog(db.owner);
    if (!supervised && (opts.seed ?? config.seedOnEmpty) && await databaseIsEmpty(db.owner)) {
      log('首次启动：正在生成演示数据……');
      const s = await seedDemoData(db.owner, { persons: opts.seedPersons, log });
      log(`演示数据已生成：机构 ${s.organisations} 个，专技人员 ${s.persons} 人，学时申报 ${s.declarations} 条，用时 ${(s.ms / 1000).toFixed(1)} 秒`);
    }
    bindAudit(db.sequelize);
    if (!web) {
      const interrupted = await asPlatform('启动', () => failInterruptedImports(db.sequelize));
      if (interrupted) log(`${interrupted} 个导入任务曾意外中断，已标记为失败（已提交的批次完整有效）`);
      const interruptedExports = await asPlatform('启动', () => failInterruptedExports(db.sequelize));
      if (interruptedExports) log(`${interruptedExports} 个导出任务曾意外中断，已标记为失败`);
    }
    const models = defineModels(db.sequelize);
    const { app, admin, storePool, sessionStore } = createApp({
      sequelize: db.sequelize, models, databaseUrl: db.url, sessionSecret: sessionSecret(opts.dataDir ?? config.dataDir),
      notifier: opts.notifier, loginRateLimit: opts.loginRateLimit, verifyRateLimit: opts.verifyRateLimit, embedded: db.embedded,
      sweepJobs: !web,
    });
    resumeExportRetries();
    resumeRecomputes();
    // Inline mode: recompute jobs left queued (a rule saved just before a restart) run here now.
    if (!web) startRecomputeJobs(db.sequelize);
    // The worker seeds them in `npm start` (src/worker.ts); a web process only reads them.
    if (!web && (opts.scheduledExports ?? process.env.EXPORT_SCHEDULES !== '0')) {
      const seeded = await seedConfiguredSchedules(db.sequelize);
      if (seeded) log(`已将 ${seeded} 个配置的定时导出写入「定时导出管理」`);
    }
    return {
      db, models, app, admin,
      async close() {
        // No new scheduled runs, no more retries; exports under way finish (or record why not).
        stopExportRetries();
        await Promise.allSettled(runningExports());
        // A recompute under way ends its batch and goes back to the queue with its cursor.
        stopRecomputes();
        await recomputesSettled();
        // The store's pruning timer would otherwise fire on an ended pool (15 minutes later).
        await sessionStore.close();
        await storePool.end();
        await db.close();
      },
    };
  } catch (e) {
    await db.close();
    throw e;
  }
}
