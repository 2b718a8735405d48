/**
 * What every benchmark scenario shares: timing, percentiles, peak memory, logged-in HTTP
 * sessions (cookie jar + CSRF echo, as the browser does) and the context a scenario runs in.
 */
import type { Sequelize } from 'sequelize';
import type pg from 'pg';
import type { Platform } from '../src/boot.js';

export const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : NaN);
export const percentile = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * p) - 1))];
};
export const p95 = (xs: number[]) => percentile(xs, 0.95);

/** Peak RSS of this process (the app runs in it) while `fn` runs, sampled every 20 ms. */
export async function measured<T>(fn: () => Promise<T>): Promise<{ ms: number; peakMb: number; result: T }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const t0 = performance.now();
  try {
    const result = await fn();
    return { ms: performance.now() - t0, peakMb: Math.round(peak / 1024 / 1024), result };
  } finally { clearInterval(timer); }
}

export async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** `warmup` unmeasured calls, then `runs` measured ones. */
export async function repeat(runs: number, fn: () => Promise<unknown>, warmup = 2): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(await time(fn));
  return out;
}

/** A browser-like session: its own cookie jar, the CSRF token echoed on writes. */
export class Session {
  private jar = new Map<string, string>();
  constructor(readonly base: string) {}

  async fetch(p: string, init: RequestInit = {}): Promise<Response> {
    const csrf: Record<string, string> = init.method && init.method !== 'GET' && this.jar.has('XSRF-TOKEN')
      ? { 'x-xsrf-token': decodeURIComponent(this.jar.get('XSRF-TOKEN')!) } : {};
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const r = await fetch(this.base + p, { redirect: 'manual', ...init, headers: { cookie, ...csrf, ...(init.headers as Record<string, string> ?? {}) } });
    for (const c of r.headers.getSetCookie()) { const kv = c.split(';')[0]; this.jar.set(kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)); }
    return r;
  }

  async json<T>(p: string, init: RequestInit = {}): Promise<T> {
    const r = await this.fetch(p, init);
    if (r.status !== 200) throw new Error(`${p}: HTTP ${r.status}`);
    return r.json() as Promise<T>;
  }

  async login(idNumber: string, password: string): Promise<this> {
    const r = await this.fetch('/admin/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `email=${idNumber}&password=${encodeURIComponent(password)}` });
    if (r.status !== 302) throw new Error(`login ${idNumber}: HTTP ${r.status}`);
    return this;
  }
}

export interface Flags {
  size: string; persons: number; records: number; units: number;
  runs: number; heavyRuns: number; approve: number; import: number; sessions: number; durationS: number;
  only?: string[];
}

export interface BenchContext {
  flags: Flags;
  platform: Platform;
  sequelize: Sequelize;
  /** Baselines: hand-written SQL straight through pg. */
  pool: pg.Pool;
  base: string;
  /** A new logged-in session of a demo account. */
  login(idNumber: string): Promise<Session>;
  log(s: string): void;
}

/**
 * What a scenario's result is measured against. `holds` is true when every given bound holds.
 * maxRatio: platform median / baseline median; maxP95Ms: the platform's p95; maxPeakMb: peak
 * RSS; minSpeedup: baseline median / platform median; maxMedianMs: the platform's median.
 */
export interface Target { text: string; maxRatio?: number; maxP95Ms?: number; maxPeakMb?: number; minSpeedup?: number; maxMedianMs?: number }

export interface Outcome {
  platformMs: number[];
  baselineMs: number[];
  peakMb?: number;
  /** Extra figures (requests per second …). */
  extra?: Record<string, number | string>;
  /** A scenario that could not run as specified says why (e.g. too few rows for page 1,000). */
  caveat?: string;
  /** Where the ratio is not of medians (throughput: baseline requests per second ÷ the platform's). */
  ratioOverride?: number;
}

export interface Scenario {
  id: string;
  title: (f: Flags) => string;
  /** What the platform does and what the baseline does. */
  note: string;
  target: Target;
  run(ctx: BenchContext): Promise<Outcome>;
}
