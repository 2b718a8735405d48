/**
 * Issue 19, the integration API (src/api):
 * - `api_clients`: a training provider's, city platform's or title-evaluation office's
 *   credentials, registered for an organisation by a provincial or city super admin. The secret
 *   is stored as its SHA-256 only (a 32-byte random secret: README Integrations, why not bcrypt).
 *   Rows carry their organisation's path: row-level security as for every jurisdiction's table.
 * - `hour_declarations` learn where a record came from: `source` (shown in the review lists)
 *   and, for the API, the client and the provider's own id — unique per client, which is what
 *   makes a resent record change nothing.
 * - `hours_reads`: who read a person's hours through the API, for the person's own panel.
 * - `audit_log.api_client_id`: a call's actor when it is a client, not an account.
 */
import type { Migration } from '../migrator.js';

export const migration: Migration = {
  name: '015-api-clients',
  async up(sequelize, transaction) {
    await sequelize.query(/* sql */ `
      CREATE TABLE api_clients (
        id              serial PRIMARY KEY,
        name            text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
        organisation_id integer NOT NULL REFERENCES organisations(id),
        org_path        text NOT NULL,
        key_id          text NOT NULL UNIQUE CHECK (key_id ~ '^[0-9a-f]{16}$'),
        secret_hash     text NOT NULL CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
        scopes          text[] NOT NULL CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['hours:submit','hours:read','certificates:verify']),
        allowed_addresses text[] NOT NULL DEFAULT '{}',
        rate_limit_per_minute integer NOT NULL DEFAULT 120 CHECK (rate_limit_per_minute BETWEEN 1 AND 10000),
        status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active','suspended','revoked')),
        created_by      integer REFERENCES accounts(id),
        secret_rotated_at timestamptz NOT NULL DEFAULT now(),
        last_used_at    timestamptz,
        last_used_ip    text,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX api_clients_scope_idx ON api_clients (org_path text_pattern_ops);
      ALTER TABLE api_clients ENABLE ROW LEVEL SECURITY;
      CREATE POLICY jurisdiction ON api_clients USING (ce_in_scope(org_path)) WITH CHECK (ce_in_scope(org_path));

      ALTER TABLE hour_declarations ADD COLUMN source text, ADD COLUMN api_client_id integer REFERENCES api_clients(id),
        ADD COLUMN external_id text CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 64),
        ADD CHECK ((api_client_id IS NULL) = (external_id IS NULL));
      CREATE UNIQUE INDEX hour_declarations_external_idx ON hour_declarations (api_client_id, external_id) WHERE api_client_id IS NOT NULL;
      CREATE INDEX hour_declarations_client_updated_idx ON hour_declarations (api_client_id, updated_at, id) WHERE api_client_id IS NOT NULL;

      CREATE TABLE hours_reads (
        id              bigserial PRIMARY KEY,
        person_id       integer NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
        org_path        text NOT NULL,
        api_client_id   integer NOT NULL REFERENCES api_clients(id),
        client_name     text NOT NULL,
        organisation_name text NOT NULL,
        from_year       smallint NOT NULL,
        to_year         smallint NOT NULL,
        ip              text,
        at              timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX hours_reads_person_idx ON hours_reads (person_id, at);
      CREATE INDEX hours_reads_scope_idx ON hours_reads (org_path text_pattern_ops, at);
      ALTER TABLE hours_reads ENABLE ROW LEVEL SECURITY;
      CREATE POLICY jurisdiction ON hours_reads USING (ce_in_scope(org_path) OR person_id = ce_person()) WITH CHECK (ce_in_scope(org_path));

      ALTER TABLE audit_log ADD COLUMN api_client_id integer;
    `, { transaction });
  },
};
