/**
 * A two-process node:cluster app for the /metrics aggregation test (test/integration/
 * operations.test.ts): the primary answers its workers' metric requests as the supervisor does
 * (src/ops/cluster-metrics.ts); each worker times /hello and serves /metrics. Prints READY once
 * both workers listen. Not a test itself.
 */
import cluster from 'node:cluster';
import express from 'express';

if (cluster.isPrimary) {
  const { answerWorkersMetrics } = await import('../../src/ops/cluster-metrics.js');
  answerWorkersMetrics();
  let listening = 0;
  cluster.on('listening', () => { if (++listening === 2) console.log('READY'); });
  for (let i = 0; i < 2; i++) cluster.fork();
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
    process.exit(0);
  });
} else {
  const { requestTiming, serveMetrics } = await import('../../src/ops/metrics.js');
  const app = express();
  app.use(requestTiming());
  app.get('/hello', (_req, res) => { res.send(String(process.pid)); });
  app.get('/metrics', (req, res, next) => { serveMetrics(req, res).catch(next); });
  app.listen(Number(process.env.PORT), '127.0.0.1');
}
