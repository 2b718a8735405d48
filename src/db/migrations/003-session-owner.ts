/**
 * Sessions carry who they belong to as real columns, generated from the session's JSON, so
 * that the access layer can scope them like any record: an admin sees and ends the sessions
 * of its own organisation (在线会话).
 */
import type { Migration } from '../migrator.js';

export const migration: Migration = {
  name: '003-session-owner',
  async up(sequelize, transaction) {
    await sequelize.query(/* sql */ `
      ALTER TABLE session
        ADD COLUMN account_id integer GENERATED ALWAYS AS (((sess -> 'adminUser') ->> 'accountId')::integer) STORED,
        ADD COLUMN organisation_id integer GENERATED ALWAYS AS (((sess -> 'adminUser') ->> 'organisationId')::integer) STORED,
        ADD COLUMN login_at timestamptz GENERATED ALWAYS AS (to_timestamp(((sess ->> 'loginAt')::numeric) / 1000)) STORED;
      CREATE INDEX session_organisation_idx ON session (organisation_id);
    `, { transaction });
  },
};
