/**
 * Settings from the environment. Everything else the platform is configured with
 * (catalogs, policies, schedules) is data in the other files of this folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json: the nearest above this module, as source or as the built bundle (dist/). */
export const projectRoot = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

function int(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`环境变量 ${name} 应为非负整数，实际为「${v}」`);
  return n;
}

const port = int('PORT', 3000);

/**
 * TRUST_PROXY: which hops' X-Forwarded-For Express believes (its `trust proxy`). Unset, `0` or
 * `false`: none — the address is the socket's, so no client can choose it. A number: that many
 * hops (e.g. `1` behind one load balancer); otherwise addresses/CIDRs or Express's names
 * (`loopback`, `uniquelocal`), comma-separated. `true` (believe every hop) is refused: with it
 * any client picks its own address and every per-address limit falls.
 */
export function parseTrustProxy(v: string | undefined): false | number | string {
  const s = (v ?? '').trim();
  if (s === '' || s === '0' || s.toLowerCase() === 'false') return false;
  if (/^[0-9]+$/.test(s)) return Number(s);
  if (s.toLowerCase() === 'true' || s === '*') throw new Error('环境变量 TRUST_PROXY 不能为 true：请填写负载均衡器的地址（或网段）或代理层数');
  return s.split(',').map((x) => x.trim()).filter(Boolean).join(',');
}

export const config = {
  env: process.env.NODE_ENV ?? 'development',
  get isProduction() { return this.env === 'production'; },
  port,
  /** The address the public reaches the platform at: certificates' QR codes open `<it>/verify/<number>`. */
  publicBaseUrl: (process.env.PUBLIC_BASE_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
  /** PostgreSQL server; when unset, an embedded PostgreSQL (PGlite) keeps its data in dataDir. */
  databaseUrl: process.env.DATABASE_URL || undefined,
  /**
   * A streaming read replica of DATABASE_URL: statistics and export jobs read from it, all else
   * stays on the primary (src/db/replica.ts). Unset: everything reads from the primary.
   */
  databaseReplicaUrl: process.env.DATABASE_REPLICA_URL || undefined,
  dataDir: path.resolve(projectRoot, process.env.DATA_DIR ?? 'data'),
  /** Required in production; in development one is generated per data folder. */
  sessionSecret: process.env.SESSION_SECRET || undefined,
  dbPoolMax: int('DB_POOL_MAX', 8),
  /** Seed demo data on the first start of an empty database (default on, except in production). */
  seedOnEmpty: (process.env.SEED_ON_EMPTY ?? (process.env.NODE_ENV === 'production' ? '0' : '1')) === '1',
  session: {
    idleMinutes: int('SESSION_IDLE_MINUTES', 30),
    absoluteHours: int('SESSION_ABSOLUTE_HOURS', 12),
  },
  passwordReset: {
    codeTtlMinutes: int('RESET_CODE_TTL_MINUTES', 10),
    maxAttempts: 5,
  },
  bcryptRounds: int('BCRYPT_ROUNDS', 10),
  /**
   * Background jobs (imports, exports): a running job writes its heartbeat every
   * `heartbeatSeconds`; every process sweeps every `sweepSeconds` and fails a job whose heartbeat
   * is older than `staleSeconds` (its process died): recovered within stale + sweep = 45 s.
   */
  jobs: {
    heartbeatSeconds: int('JOB_HEARTBEAT_SECONDS', 5),
    staleSeconds: int('JOB_STALE_SECONDS', 30),
    sweepSeconds: int('JOB_SWEEP_SECONDS', 15),
    /** Person-years per transaction of a recompute job (src/jobs/recompute.ts). */
    recomputeBatch: int('RECOMPUTE_BATCH', 5000),
  },
  /** Express's `trust proxy` (default: trust no forwarded address). */
  trustProxy: parseTrustProxy(process.env.TRUST_PROXY),
  /**
   * GET /metrics (src/ops/metrics-access.ts): always from loopback without a proxy; also from
   * METRICS_ALLOW (addresses/CIDRs, comma-separated) or with `Authorization: Bearer METRICS_TOKEN`.
   */
  metrics: { token: process.env.METRICS_TOKEN || undefined, allow: process.env.METRICS_ALLOW || undefined },
  /** Look-ups of the public certificate verification page per address and minute. */
  verifyRateLimit: int('VERIFY_RATE_LIMIT', 30),
  /** Password checks (login, reset, attach, own change) and registrations per address and minute. */
  loginRateLimit: int('LOGIN_RATE_LIMIT', 30),
};

export type Config = typeof config;
