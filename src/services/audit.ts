/**
 * The audit trail (审计日志): one append-only row per login, logout, failed login, create,
 * update, delete and decision, with before and after values. Written in the same
 * transaction as the change it records; refused attempts are recorded too.
 */
import type { Sequelize, Transaction } from 'sequelize';
import type { Principal } from '../access/principal.js';

let db: Sequelize | undefined;
export function bindAudit(sequelize: Sequelize): void {
  db = sequelize;
}

const SECRET_FIELDS = new Set(['password_hash', 'secret_hash', 'secret', 'password', 'code_hash', 'attachment', 'file', 'error_report', 'sid', 'sess']);

function redact(v: unknown): unknown {
  if (!v || typeof v !== 'object') return v ?? null;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (SECRET_FIELDS.has(k)) continue;
    out[k] = val;
  }
  return out;
}

export interface AuditEntry {
  actor?: Pick<Principal, 'accountId' | 'name' | 'orgPath'> | null;
  action: string;
  resource?: string;
  recordId?: unknown;
  outcome?: 'ok' | 'refused' | 'failed';
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  ip?: string | null;
  /** Path of the organisation the record belongs to, when the actor's own is not the right scope. */
  orgPath?: string | null;
  /** The integration API's client that made the call (src/api), when the actor is not an account. */
  apiClientId?: number | null;
}

/** Many entries in one statement (a batch decision of thousands of rows). */
export async function auditMany(entries: AuditEntry[], transaction?: Transaction): Promise<void> {
  if (!db) throw new Error('audit log is not bound to a database');
  for (let i = 0; i < entries.length; i += 1000) {
    const chunk = entries.slice(i, i + 1000);
    const values: unknown[] = [];
    const rows = chunk.map((e, j) => {
      const o = j * 12;
      values.push(e.actor?.accountId ?? null, e.actor?.name ?? null, e.orgPath ?? e.actor?.orgPath ?? null, e.action, e.resource ?? null,
        e.recordId === undefined || e.recordId === null ? null : String(e.recordId), e.outcome ?? 'ok',
        e.before === undefined ? null : JSON.stringify(redact(e.before)), e.after === undefined ? null : JSON.stringify(redact(e.after)),
        e.reason ?? null, e.ip ?? null, e.apiClientId ?? null);
      return `($${o + 1}::int, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}, $${o + 7}, $${o + 8}::jsonb, $${o + 9}::jsonb, $${o + 10}, $${o + 11}, $${o + 12}::int)`;
    });
    await db.query(`INSERT INTO audit_log (actor_id, actor_name, org_path, action, resource, record_id, outcome, before, after, reason, ip, api_client_id)
      VALUES ${rows.join(', ')}`, { bind: values, transaction });
  }
}

export async function audit(e: AuditEntry, transaction?: Transaction): Promise<void> {
  await auditMany([e], transaction);
}
