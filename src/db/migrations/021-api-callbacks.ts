/**
 * Issue 19 item 3: a client is told by a signed callback when a reviewer decides what it sent.
 *
 * - `api_clients.callback_url`: where the client wants to be told (optional; http(s), no user
 *   info, at most 500 characters — the same rule as src/api/callbacks.ts's parseCallbackUrl).
 * - `api_callbacks`: the outbox. A row is written BY THE DATABASE, in the transaction of the
 *   decision, whenever a declaration a client sent leaves one status for another (approve,
 *   reject, 审验不通过, withdrawal …), whatever path made the change — panel action, bulk,
 *   approve-all, a future path nobody has written yet. A decision rolled back leaves no row; a
 *   committed one cannot lose its callback. The delivery (src/jobs/api-callbacks.ts, in the
 *   worker) reads the row later: the HTTP call never runs inside a reviewer's transaction.
 *   The row snapshots what the decision said (status, hours, reason, time): a callback tells
 *   what happened then, even if a later step changed the declaration again (each step is its
 *   own row, `id` orders them).
 * - The app role may read and update rows of its scope (delivery state) but not insert or
 *   delete them: only the trigger (SECURITY DEFINER) writes an event.
 */
import type { Migration } from '../migrator.js';

const APP_ROLE = 'ce_app';

export const migration: Migration = {
  name: '021-api-callbacks',
  async up(sequelize, transaction) {
    await sequelize.query(/* sql */ `
      ALTER TABLE api_clients ADD COLUMN callback_url text
        CHECK (callback_url IS NULL OR (length(callback_url) <= 500 AND callback_url ~ '^https?://[^/@\\s]+(/\\S*)?$'));

      CREATE TABLE api_callbacks (
        id              bigserial PRIMARY KEY,
        api_client_id   integer NOT NULL REFERENCES api_clients(id),
        -- The client's organisation: who manages the client sees its deliveries.
        org_path        text NOT NULL,
        declaration_id  bigint NOT NULL REFERENCES hour_declarations(id) ON DELETE CASCADE,
        external_id     text NOT NULL,
        event           text NOT NULL DEFAULT 'hour_declaration.decided' CHECK (event IN ('hour_declaration.decided')),
        -- What the decision said, as it said it.
        status          text NOT NULL,
        declared_hours  numeric(6,1) NOT NULL,
        approved_hours  numeric(6,1),
        reason          text,
        decided_at      timestamptz,
        changed_at      timestamptz NOT NULL,
        -- Delivery.
        delivery        text NOT NULL DEFAULT 'queued' CHECK (delivery IN ('queued', 'delivered', 'failed', 'cancelled')),
        attempts        smallint NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until     timestamptz,
        last_status_code smallint,
        last_error      text,
        delivered_at    timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now(),
        CHECK ((delivery = 'delivered') = (delivered_at IS NOT NULL))
      );
      -- The delivery's claim: due rows, oldest first.
      CREATE INDEX api_callbacks_due_idx ON api_callbacks (next_attempt_at, id) WHERE delivery = 'queued';
      CREATE INDEX api_callbacks_client_idx ON api_callbacks (api_client_id, id);
      CREATE INDEX api_callbacks_scope_idx ON api_callbacks (org_path text_pattern_ops, id);
      ALTER TABLE api_callbacks ENABLE ROW LEVEL SECURITY;
      CREATE POLICY jurisdiction ON api_callbacks USING (ce_in_scope(org_path)) WITH CHECK (ce_in_scope(org_path));
      REVOKE INSERT, DELETE, TRUNCATE ON api_callbacks FROM ${APP_ROLE};
      GRANT SELECT, UPDATE ON api_callbacks TO ${APP_ROLE};

      -- What a declaration's outcome says, one rule for the API's state list and its callbacks:
      -- 审验不通过 is the verification's reason and time, any other outcome the first decision's.
      CREATE FUNCTION ce_outcome_reason(status text, reason text, verification_reason text) RETURNS text
        LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN status = 'verification_failed' THEN verification_reason ELSE reason END $$;
      CREATE FUNCTION ce_outcome_at(status text, decided_at timestamptz, verified_at timestamptz) RETURNS timestamptz
        LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN status = 'verification_failed' THEN verified_at ELSE decided_at END $$;

      CREATE FUNCTION ce_api_callback_on_decision() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
      BEGIN
        INSERT INTO api_callbacks (api_client_id, org_path, declaration_id, external_id, status, declared_hours, approved_hours, reason, decided_at, changed_at)
        SELECT c.id, c.org_path, NEW.id, NEW.external_id, NEW.status, NEW.declared_hours, NEW.approved_hours,
               ce_outcome_reason(NEW.status, NEW.reason, NEW.verification_reason), ce_outcome_at(NEW.status, NEW.decided_at, NEW.verified_at),
               NEW.updated_at
          FROM api_clients c
         WHERE c.id = NEW.api_client_id AND c.callback_url IS NOT NULL AND c.status <> 'revoked';
        RETURN NULL;
      END $$;
      CREATE TRIGGER api_callback_on_decision AFTER UPDATE OF status ON hour_declarations
        FOR EACH ROW WHEN (NEW.api_client_id IS NOT NULL AND NEW.status IS DISTINCT FROM OLD.status AND NEW.status <> 'pending')
        EXECUTE FUNCTION ce_api_callback_on_decision();
    `, { transaction });
  },
};
