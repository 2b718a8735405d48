/**
 * A web process (网页进程) of `npm start`, forked by the supervisor (src/main.ts) — as many as
 * WEB_CONCURRENCY (default: the machine's cores), sharing one port through node:cluster and
 * sessions, rate limits and jobs through PostgreSQL. It serves the panel and the public pages,
 * enqueues imports and exports and reads their state; it runs no job and fires no schedule
 * (the worker does: src/worker.ts). SIGTERM: stop accepting, let in-flight requests finish,
 * close the database.
 */
import cluster from 'node:cluster';
import { config } from '../config/index.js';
import { routeConsole } from './ops/log.js';
import { bootPlatform } from './boot.js';

// One JSON object per line (src/ops/log.ts), console's included.
routeConsole();

const started = Date.now();
const index = Number(process.env.CE_WEB_INDEX ?? 0);
const platform = await bootPlatform({ role: 'web', log: (s) => console.log(s) });
const server = platform.app.listen(config.port, () => {
  console.log(`网页进程 ${index + 1} 已启动（pid ${process.pid}，启动用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒）`);
  process.send?.({ web: 'ready' });
  // The first web process builds the panel's component bundle now rather than on the first
  // visitor's request (WARM_BUNDLE=0 skips it: tests that start the process and never open the panel).
  if (index === 0 && process.env.WARM_BUNDLE !== '0') fetch(`http://127.0.0.1:${config.port}/admin/frontend/assets/components.bundle.js`).catch(() => {});
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`网页进程 ${index + 1} 收到 ${signal}，正在停止……`);
  const force = setTimeout(() => process.exit(1), 30_000);
  force.unref();
  server.close(async () => {
    await platform.close();
    process.exit(0);
  });
  server.closeIdleConnections?.();
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
// The supervisor is gone (killed): a web process does not outlive it.
if (cluster.isWorker) process.on('disconnect', () => { if (!stopping) process.exit(1); });
