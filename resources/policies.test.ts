/** The registry of policies as a whole: what every policy must be, whatever its entity. */
import { policies } from './policies.js';
import { isKnownPermission } from '../config/permissions.js';
import { superAdmin, person } from '../test/helpers/principals.js';
import { scopeOf } from '../src/access/scope.js';

describe('the policy registry', () => {
  it('names every permission code it requires from the permission catalog (a typo would grant nothing, silently)', () => {
    const unknown = policies.flatMap((p) => Object.entries(p.actions).flatMap(([action, req]) =>
      (typeof req === 'function' ? [] : Array.isArray(req) ? req : [req]).filter((c) => !isKnownPermission(c)).map((c) => `${p.id}.${action}: ${c}`)));
    expect(unknown).toEqual([]);
  });

  it('lets a client write only fields it may also read back, and masks only readable fields', () => {
    for (const p of policies) {
      const writable = [...(p.writable.new ?? []), ...(p.writable.edit ?? [])].filter((f) => f !== 'version');
      const masked = [...(p.personalData?.fields ?? []), ...(p.personalData?.mobiles ?? [])];
      expect([p.id, masked.filter((f) => !p.readable.includes(f))]).toEqual([p.id, []]);
      // Write-only fields are inputs of a form (an upload, a JSON editor), never a column read back raw.
      expect([p.id, writable.filter((f) => p.readable.includes(f) || /_json$|^attachment$|^(start|end)_date$|^hours$|^summary$/.test(f))])
        .toEqual([p.id, writable]);
    }
  });

  it('gives no jurisdiction-scoped entity to a principal without a jurisdiction beyond its own person', () => {
    for (const policy of policies) {
      for (const action of Object.keys(policy.actions)) {
        let sql: string;
        try { sql = scopeOf(person(501), policy.id, action).sql(); } catch { continue; }
        // A person reaches only rows naming itself (or global reference data: the catalog).
        expect([policy.id, action, /person_id = 501|\bid = 501|^true$/.test(sql)]).toEqual([policy.id, action, true]);
      }
    }
  });

  it('never lets a county super admin reach outside its path on any entity', () => {
    const p = superAdmin('county_hr');
    for (const policy of policies) {
      for (const action of Object.keys(policy.actions)) {
        let sql: string;
        try { sql = scopeOf(p, policy.id, action).sql(); } catch { continue; }
        const bounded = sql.includes(`~>=~ '${p.orgPath}'`) || new RegExp(`organisation_id = ${p.organisationId}|parent_id = ${p.organisationId}|\\bid = ${p.organisationId}|account_id = ${p.accountId}`).test(sql) || sql === 'true';
        expect([policy.id, action, bounded]).toEqual([policy.id, action, true]);
        if (sql === 'true') expect(policy.table).toBe('learning_forms');
      }
    }
  });
});
