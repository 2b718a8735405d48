/**
 * /metrics with several web processes on one port (node:cluster, WEB_CONCURRENCY): a scrape
 * lands on one of them, whose own counters are 1/N of the truth. So a web process that is a
 * cluster worker asks the cluster's primary (the supervisor), which gathers every worker's
 * registry over IPC (prom-client's AggregatorRegistry) and answers the sum: request latency,
 * login failures and pools add up; the figures read from the database (job queue, replica lag)
 * are each worker's same reading and are taken once (aggregator `max`).
 *
 * The supervisor calls `answerWorkersMetrics()` once. A worker whose primary never answers
 * (a supervisor without it) waits ANSWER_MS once, then serves its own figures from then on.
 *
 * This module loads prom-client and node:cluster only — nothing of the panel — so the
 * supervisor stays small.
 */
import cluster from 'node:cluster';
import client from 'prom-client';

export const METRICS_REQUEST = 'ce:metrics:request';
export const METRICS_ANSWER = 'ce:metrics:answer';
/** How long a worker waits for the primary's aggregate (prom-client gives each worker 5 s). */
export const ANSWER_MS = 6_000;

interface Message { type?: string; id?: string; text?: string; error?: string }

/** In the cluster's primary: answer each worker's request with every worker's metrics summed. */
export function answerWorkersMetrics(): void {
  if (!cluster.isPrimary) return;
  const aggregator = new client.AggregatorRegistry();
  cluster.on('message', (worker, m: Message) => {
    if (m?.type !== METRICS_REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: METRICS_ANSWER, id: m.id, text }),
      (e: Error) => worker.send({ type: METRICS_ANSWER, id: m.id, error: e.message }),
    );
  });
}
