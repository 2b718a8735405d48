/**
 * Audit retention (审计日志保留): rows older than the configured retention are purged once a day.
 * The database allows it only to this job (SET LOCAL app.audit_retention) and never for rows
 * younger than 180 days, whatever the configuration says. With several app processes, a
 * PostgreSQL advisory lock makes one of them do it.
 */
import { QueryTypes, type Sequelize } from 'sequelize';
import { asPlatform } from '../access/context.js';

export const AUDIT_RETENTION_DAYS = Math.max(180, Number(process.env.AUDIT_RETENTION_DAYS ?? 365) || 365);
const LOCK = 370000_002;

export async function purgeAuditLog(sequelize: Sequelize, days = AUDIT_RETENTION_DAYS): Promise<number | null> {
  // The platform's own housekeeping: no jurisdiction of its own, every row past the retention.
  return asPlatform('审计日志清理', () => sequelize.transaction(async (transaction) => {
    const [{ locked }] = await sequelize.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(:lock) locked', { replacements: { lock: LOCK }, type: QueryTypes.SELECT, transaction });
    if (!locked) return null;
    await sequelize.query("SET LOCAL app.audit_retention = 'on'", { transaction });
    const [, result] = await sequelize.query('DELETE FROM audit_log WHERE at < now() - make_interval(days => :days)',
      { replacements: { days: Math.max(180, days) }, transaction }) as unknown as [unknown, { rowCount?: number }];
    return result?.rowCount ?? 0;
  }));
}

/** Daily at 03:30 (Asia/Shanghai), once however many processes fire it (the advisory lock). */
export const auditRetentionTask = {
  key: 'audit-retention',
  title: '审计日志清理',
  cron: '30 3 * * *',
  async run(sequelize: Sequelize, _dueAt: Date, log: (s: string) => void) {
    const n = await purgeAuditLog(sequelize);
    if (n !== null) log(`审计日志保留：清理 ${n} 条超过 ${AUDIT_RETENTION_DAYS} 天的记录`);
  },
};
