/**
 * API clients (接口客户端, issue 19): the credentials of a system around the platform — a CE
 * base, an online learning provider, a city platform, a title-evaluation office — registered
 * for an organisation by a provincial or city super admin, and the principal each call runs as.
 *
 * Credentials: `ce_<key id>_<secret>`; the key id (8 random bytes, hex) finds the row, the
 * secret (32 random bytes, base64url) is shown once and stored as its SHA-256. Why not bcrypt:
 * a 256-bit random secret cannot be guessed whatever the hash's speed (bcrypt's slowness
 * protects chosen passwords), and every API call checks it — bcryptjs at cost 10 took 143 ms a
 * compare on this machine against 12 µs for SHA-256, which would make the API its own
 * denial of service. Compared in constant time.
 *
 * The principal: the client's organisation as an office (src/access/principal.ts
 * officePrincipal's shape) whose permissions are that organisation's super admin's intersected
 * with what the client's scopes imply — so the same policies and row-level security apply.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { superAdminPermissions, type OrganisationKind } from '../../config/permissions.js';
import type { Principal, UserKind } from '../access/principal.js';
import { allows } from '../access/scope.js';
import { AccessDenied, Conflict, PlatformError } from '../domain/errors.js';
import { audit } from '../services/audit.js';

export const API_SCOPES = ['hours:submit', 'hours:read', 'certificates:verify'] as const;
export type ApiScope = typeof API_SCOPES[number];
export const scopeLabels: Record<ApiScope, string> = {
  'hours:submit': '报送学时（hours:submit）',
  'hours:read': '读取学时（hours:read）',
  'certificates:verify': '核验证书（certificates:verify）',
};

/** The permission codes each scope stands for (then intersected with the organisation's super admin's). */
const SCOPE_PERMISSIONS: Record<ApiScope, string[]> = {
  'hours:submit': ['hours_declare.declare:view', 'hours_declare.declare:import'],
  // Reading hours needs the declarations too (their verification state).
  'hours:read': ['stats.persons:view', 'hours_declare.declare:view'],
  'certificates:verify': ['stats.certificates:view'],
};

export interface ApiClientRow {
  id: number; name: string; organisation_id: number; org_path: string; key_id: string; secret_hash: string;
  scopes: ApiScope[]; allowed_addresses: string[]; rate_limit_per_minute: number; status: 'active' | 'suspended' | 'revoked';
}

export interface AuthenticatedClient {
  client: ApiClientRow;
  principal: Principal;
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const TOKEN = /^ce_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

function newCredentials(): { keyId: string; secret: string; token: string; hash: string } {
  const keyId = crypto.randomBytes(8).toString('hex');
  const secret = crypto.randomBytes(32).toString('base64url');
  return { keyId, secret, token: `ce_${keyId}_${secret}`, hash: sha256(secret) };
}

/** Addresses and CIDR ranges (IPv4 or IPv6); an empty list allows every address. */
export function parseAllowList(text: string): string[] {
  const entries = text.split(/[\s,，;；]+/).map((s) => s.trim()).filter(Boolean);
  if (entries.length > 50) throw new PlatformError('允许地址最多 50 项');
  for (const e of entries) {
    const [addr, bits, extra] = e.split('/');
    const family = net.isIP(addr);
    const max = family === 4 ? 32 : 128;
    if (!family || extra !== undefined || (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= max))) {
      throw new PlatformError(`允许地址「${e}」格式不正确：应为 IP 地址或 CIDR 网段（如 10.1.2.3 或 10.1.0.0/16）`);
    }
  }
  return [...new Set(entries)];
}

export function addressAllowed(list: string[], ip: string | undefined): boolean {
  if (!list.length) return true;
  if (!ip) return false;
  const bare = ip.startsWith('::ffff:') && net.isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  const block = new net.BlockList();
  for (const e of list) {
    const [addr, bits] = e.split('/');
    const type = net.isIPv4(addr) ? 'ipv4' : 'ipv6';
    if (bits === undefined) block.addAddress(addr, type); else block.addSubnet(addr, Number(bits), type);
  }
  return block.check(bare, net.isIPv4(bare) ? 'ipv4' : 'ipv6');
}

export function parseScopes(v: unknown): ApiScope[] {
  const list = (Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : []).map((s) => String(s).trim()).filter(Boolean);
  const bad = list.find((s) => !(API_SCOPES as readonly string[]).includes(s));
  if (bad) throw new PlatformError(`未知的权限范围：${bad}`);
  if (!list.length) throw new PlatformError('请至少选择一项权限范围');
  return [...new Set(list)] as ApiScope[];
}

/** Organisations an admin may register a client for: active, not a department, inside its jurisdiction. */
export async function registrableOrganisations(sequelize: Sequelize, p: Principal): Promise<Array<{ id: number; name: string; kind: string; path: string }>> {
  const rows = await sequelize.query<{ id: number; name: string; kind: string; path: string }>(
    "SELECT id, name, kind, path FROM organisations WHERE status = 'active' AND kind <> 'department' ORDER BY depth, path LIMIT 5000",
    { type: QueryTypes.SELECT });
  return rows.filter((o) => allows(p, 'api_clients', 'register', { org_path: o.path }));
}

export interface RegisterInput { name: string; organisationId: number; scopes: ApiScope[]; allowedAddresses: string[]; rateLimitPerMinute?: number; callbackUrl?: string | null }

/** 登记接口客户端: the row and the credentials, shown to the admin once. */
export async function registerClient(sequelize: Sequelize, p: Principal, input: RegisterInput): Promise<{ id: number; token: string }> {
  const name = input.name.trim();
  if (!name || name.length > 100) throw new PlatformError('请填写客户端名称（不超过 100 个字）');
  const rate = input.rateLimitPerMinute ?? 120;
  if (!Number.isInteger(rate) || rate < 1 || rate > 10_000) throw new PlatformError('每分钟调用上限应为 1–10000 的整数');
  return sequelize.transaction(async (transaction) => {
    const [org] = await sequelize.query<{ id: number; path: string; kind: string }>(
      "SELECT id, path, kind FROM organisations WHERE id = :id AND status = 'active' AND kind <> 'department'",
      { replacements: { id: input.organisationId }, type: QueryTypes.SELECT, transaction });
    if (!org || !allows(p, 'api_clients', 'register', { org_path: org.path })) throw new AccessDenied('只能为本辖区内的机构登记接口客户端');
    const c = newCredentials();
    const [[row]] = await sequelize.query(
      `INSERT INTO api_clients (name, organisation_id, org_path, key_id, secret_hash, scopes, allowed_addresses, rate_limit_per_minute, callback_url, created_by)
       VALUES (:name, :org, :path, :key, :hash, ARRAY[:scopes]::text[], :addresses::text[], :rate, :callback, :by) RETURNING id`,
      { replacements: { name, org: org.id, path: org.path, key: c.keyId, hash: c.hash, scopes: input.scopes, addresses: `{${input.allowedAddresses.map((a) => `"${a}"`).join(',')}}`, rate, callback: input.callbackUrl ?? null, by: p.accountId || null }, transaction },
    ) as unknown as [[{ id: number }]];
    await audit({ actor: p, action: 'api_client_register', resource: 'api_clients', recordId: row.id, orgPath: org.path,
      after: { name, organisation_id: org.id, scopes: input.scopes, allowed_addresses: input.allowedAddresses, rate_limit_per_minute: rate, callback_url: input.callbackUrl ?? null } }, transaction);
    return { id: Number(row.id), token: c.token };
  });
}

type Change = 'rotate' | 'suspend' | 'resume' | 'revoke';
const FROM: Record<Change, string[]> = { rotate: ['active', 'suspended'], suspend: ['active'], resume: ['suspended'], revoke: ['active', 'suspended'] };
const CHANGE_REFUSED: Record<Change, string> = {
  rotate: '已吊销的客户端不能更换密钥', suspend: '只有正常状态的客户端可以暂停', resume: '只有已暂停的客户端可以恢复', revoke: '该客户端已吊销',
};

/** 更换密钥 / 暂停 / 恢复 / 吊销 — on a client of the admin's scope (the caller checked it); a new token for `rotate`. */
export async function changeClient(sequelize: Sequelize, p: Principal, id: number, change: Change): Promise<{ token?: string }> {
  return sequelize.transaction(async (transaction) => {
    const [row] = await sequelize.query<ApiClientRow>('SELECT * FROM api_clients WHERE id = :id FOR UPDATE',
      { replacements: { id }, type: QueryTypes.SELECT, transaction });
    if (!row || !allows(p, 'api_clients', change, row as unknown as Record<string, unknown>)) throw new AccessDenied('无权操作该接口客户端');
    if (!FROM[change].includes(row.status)) throw new Conflict(CHANGE_REFUSED[change]);
    let token: string | undefined;
    if (change === 'rotate') {
      const c = newCredentials();
      token = c.token;
      await sequelize.query('UPDATE api_clients SET key_id = :key, secret_hash = :hash, secret_rotated_at = now(), updated_at = now() WHERE id = :id',
        { replacements: { id, key: c.keyId, hash: c.hash }, transaction });
    } else {
      const status = change === 'suspend' ? 'suspended' : change === 'resume' ? 'active' : 'revoked';
      await sequelize.query('UPDATE api_clients SET status = :status, updated_at = now() WHERE id = :id', { replacements: { id, status }, transaction });
    }
    await audit({ actor: p, action: `api_client_${change}`, resource: 'api_clients', recordId: id, orgPath: row.org_path,
      before: { status: row.status }, after: change === 'rotate' ? { secret_rotated: true } : { status: change === 'suspend' ? 'suspended' : change === 'resume' ? 'active' : 'revoked' } }, transaction);
    return { token };
  });
}

/**
 * The client a bearer token names, if the token is valid, the client active and the address
 * allowed; null otherwise (the caller answers 401 and says nothing more). Run as the platform.
 * `why` says, for the audit log only, which check failed.
 */
export async function authenticate(
  sequelize: Sequelize, header: string | undefined, ip: string | undefined, transaction?: Transaction,
): Promise<{ ok: AuthenticatedClient } | { why: string; client?: ApiClientRow }> {
  const m = TOKEN.exec((header ?? '').replace(/^Bearer\s+/i, '').trim());
  if (!m || !/^Bearer\s/i.test(header ?? '')) return { why: 'no_credentials' };
  const [client] = await sequelize.query<ApiClientRow>('SELECT * FROM api_clients WHERE key_id = :key', { replacements: { key: m[1] }, type: QueryTypes.SELECT, transaction });
  // The same work whether or not the key exists: no timing tells a known key id.
  const given = Buffer.from(sha256(m[2]), 'hex');
  const stored = Buffer.from(client?.secret_hash ?? '0'.repeat(64), 'hex');
  if (!client || !crypto.timingSafeEqual(given, stored)) return { why: 'unknown_credentials' };
  if (client.status !== 'active') return { why: `client_${client.status}`, client };
  if (!addressAllowed(client.allowed_addresses, ip)) return { why: 'address_not_allowed', client };
  const principal = await clientPrincipal(sequelize, client, transaction);
  if (!principal) return { why: 'organisation_inactive', client };
  return { ok: { client, principal } };
}

/** The client as a principal of the access layer: its organisation's office, its permissions limited by its scopes. */
export async function clientPrincipal(sequelize: Sequelize, client: ApiClientRow, transaction?: Transaction): Promise<Principal | null> {
  const [org] = await sequelize.query<{ id: number; name: string; kind: OrganisationKind; path: string; depth: number; status: string }>(
    'SELECT id, name, kind, path, depth, status FROM organisations WHERE id = :id', { replacements: { id: client.organisation_id }, type: QueryTypes.SELECT, transaction });
  if (!org || org.status !== 'active' || org.kind === 'department') return null;
  const implied = new Set(client.scopes.flatMap((s) => SCOPE_PERMISSIONS[s] ?? []));
  const name = `接口客户端「${client.name}」`;
  return {
    email: name, idNumber: '', title: org.name, accountId: 0, name, kind: org.kind as UserKind,
    organisationId: org.id, organisationName: org.name, orgPath: org.path, orgDepth: org.depth,
    adminId: null, personId: null, isSuper: false, mustChangePassword: false, passwordChangedAt: 0,
    permissions: superAdminPermissions(org.kind).filter((c) => implied.has(c)),
  };
}
