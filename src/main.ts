/**
 * `npm start`: the platform on http://localhost:PORT/admin — on the embedded PostgreSQL with
 * demo data unless DATABASE_URL is set. SIGTERM/SIGINT stop accepting, let in-flight
 * requests finish, then close the database.
 */
import { config } from '../config/index.js';
import { bootPlatform } from './boot.js';
import { runningImports } from './services/import/engine.js';
import { startPeriodicTasks } from './jobs/periodic.js';
import { routeConsole } from './ops/log.js';

// Every line the process writes is one JSON object (src/ops/log.ts), console's included.
routeConsole();

const started = Date.now();
const platform = await bootPlatform({ log: (s) => console.log(s) });
const periodic = startPeriodicTasks(platform.db.sequelize);
const server = platform.app.listen(config.port, () => {
  console.log(`数据库：${platform.db.embedded ? `内置 PostgreSQL（数据目录 ${config.dataDir}）` : '外部 PostgreSQL（DATABASE_URL）'}`);
  console.log(`管理后台已启动：http://localhost:${config.port}/admin （启动用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒）`);
  // Build the panel's component bundle now rather than on the first visitor's request
  // (WARM_BUNDLE=0 skips it: tests that start the process and never open the panel).
  if (process.env.WARM_BUNDLE !== '0') fetch(`http://127.0.0.1:${config.port}/admin/frontend/assets/components.bundle.js`).catch(() => {});
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`收到 ${signal}，正在停止……`);
  const force = setTimeout(() => process.exit(1), 60_000);
  force.unref();
  await periodic.stop();
  server.close(async () => {
    // Imports running in this process finish their current work before the database closes
    // (each committed batch is whole either way).
    await Promise.allSettled(runningImports());
    await platform.close();
    process.exit(0);
  });
  server.closeIdleConnections?.();
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
