/**
 * Issue 16 item 3: the principal's reload — on every request, as the platform — read its account
 * through `ce_may_see_account(id)` (migration 009). That function is SECURITY DEFINER with its
 * own search_path, so PostgreSQL cannot inline it: each call sets and restores the setting and
 * runs its body, and the first answer (`ce_kind() = 'system'`) was found only inside it —
 * 0.65 ms and 173 buffers for the one account row on a freshly opened connection, 0.22 ms on a
 * warm one against 0.07 ms now (the reload's whole statement 0.45–0.5 → 0.3 ms, 1 M-person
 * benchmark database). The policy now says first, inline, what the function would answer
 * first — the platform, or one's own account — and calls it only for the rest, as the
 * sessions' policy of the same migration already did. Who sees which account is unchanged.
 */
import type { Migration } from '../migrator.js';

export const migration: Migration = {
  name: '027-accounts-policy-platform-first',
  async up(sequelize, transaction) {
    await sequelize.query(/* sql */ `
      ALTER POLICY through_roles ON accounts USING (ce_kind() = 'system' OR id = ce_account() OR ce_may_see_account(id));
    `, { transaction });
  },
};
