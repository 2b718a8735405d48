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

const SECRET_FIELDS = new Set(['password_hash', 'password', 'code_hash', 'attachment', 'file']);

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
}

export async function audit(e: AuditEntry, transaction?: Transaction): Promise<void> {
  if (!db) throw new Error('audit log is not bound to a database');
  await db.query(
    `INSERT INTO audit_log (actor_id, actor_name, org_path, action, resource, record_id, outcome, before, after, reason, ip)
     VALUES (:actorId, :actorName, :orgPath, :action, :resource, :recordId, :outcome, :before, :after, :reason, :ip)`,
    {
      replacements: {
        actorId: e.actor?.accountId ?? null,
        actorName: e.actor?.name ?? null,
        orgPath: e.orgPath ?? e.actor?.orgPath ?? null,
        action: e.action,
        resource: e.resource ?? null,
        recordId: e.recordId === undefined || e.recordId === null ? null : String(e.recordId),
        outcome: e.outcome ?? 'ok',
        before: e.before === undefined ? null : JSON.stringify(redact(e.before)),
        after: e.after === undefined ? null : JSON.stringify(redact(e.after)),
        reason: e.reason ?? null,
        ip: e.ip ?? null,
      },
      transaction,
    },
  );
}
