/**
 * Who may read /metrics: it tells route by route how the platform is used and how many logins
 * fail, so it is not for the outside world. Allowed:
 *
 * - a connection from this machine (loopback: 127.0.0.0/8, ::1) that came through no proxy —
 *   a request carrying X-Forwarded-For, Forwarded or X-Real-IP is a proxied outsider even
 *   though its socket is local (nginx on the same host);
 * - a socket address in METRICS_ALLOW (comma-separated addresses or CIDRs, e.g. the
 *   Prometheus server's `10.0.3.7` or `10.0.3.0/24`);
 * - `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time).
 *
 * The socket's address is used, never X-Forwarded-For (which anybody can write). Anyone else
 * gets 404, as if there were nothing here; a wrong token gets 403.
 */
import net from 'node:net';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export interface MetricsAccess { token?: string; allow?: string }

/** METRICS_ALLOW parsed: a BlockList of the allowed addresses and networks (IPv4 and IPv6). */
export function allowList(spec: string | undefined): net.BlockList {
  const list = new net.BlockList();
  for (const raw of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [address, bits] = raw.split('/');
    const type = net.isIPv6(address) ? 'ipv6' : 'ipv4';
    if (!net.isIP(address)) throw new Error(`环境变量 METRICS_ALLOW 含无效地址：「${raw}」`);
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

const LOOPBACK = (() => {
  const l = new net.BlockList();
  l.addSubnet('127.0.0.0', 8, 'ipv4');
  l.addAddress('::1', 'ipv6');
  return l;
})();

/** An IPv4 client of a dual-stack socket arrives as ::ffff:a.b.c.d. */
function normalise(address: string | undefined): { address: string; type: 'ipv4' | 'ipv6' } | null {
  if (!address) return null;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (net.isIPv4(v4)) return { address: v4, type: 'ipv4' };
  if (net.isIPv6(address)) return { address, type: 'ipv6' };
  return null;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export type MetricsDecision = 'allowed' | 'not_found' | 'forbidden';

/** The decision for one request: its socket address, its headers. */
export function metricsDecision(
  remoteAddress: string | undefined, headers: Record<string, string | string[] | undefined>, access: MetricsAccess, allowed = allowList(access.allow),
): MetricsDecision {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) {
    if (access.token && timingSafeEqual(digest(auth.slice(7)), digest(access.token))) return 'allowed';
    return 'forbidden';
  }
  const peer = normalise(remoteAddress);
  if (!peer) return 'not_found';
  if (allowed.check(peer.address, peer.type)) return 'allowed';
  const proxied = headers['x-forwarded-for'] !== undefined || headers.forwarded !== undefined || headers['x-real-ip'] !== undefined;
  if (!proxied && LOOPBACK.check(peer.address, peer.type)) return 'allowed';
  return 'not_found';
}

/** Express middleware in front of /metrics. */
export function metricsGate(access: MetricsAccess) {
  const allowed = allowList(access.allow);
  return (req: Request, res: Response, next: NextFunction) => {
    const decision = metricsDecision(req.socket.remoteAddress, req.headers, access, allowed);
    if (decision === 'allowed') return next();
    res.status(decision === 'forbidden' ? 403 : 404).type('text/plain').send(decision === 'forbidden' ? '无权访问运行指标' : 'Not Found');
  };
}
