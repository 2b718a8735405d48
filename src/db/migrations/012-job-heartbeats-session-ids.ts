/**
 * Issue 14:
 * - export jobs get a heartbeat like import jobs (migration 002), so that any live process can
 *   tell a running export from one whose process died (src/jobs/recovery.ts sweeps both);
 * - sessions get a surrogate id: the session id (`sid`) is the secret a cookie carries, and the
 *   在线会话 list used it as the record id, so every admin's browser received the session ids of
 *   the whole organisation. The list and its 结束会话 now address a session by `id`; `sid` stays
 *   the key connect-pg-simple writes by, and never leaves the server.
 */
import type { Migration } from '../migrator.js';

export const migration: Migration = {
  name: '012-job-heartbeats-session-ids',
  async up(sequelize, transaction) {
    await sequelize.query(/* sql */ `
      ALTER TABLE export_jobs ADD COLUMN heartbeat_at timestamptz;
      ALTER TABLE session ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
      ALTER TABLE session ADD CONSTRAINT session_id_key UNIQUE (id);
    `, { transaction });
  },
};
