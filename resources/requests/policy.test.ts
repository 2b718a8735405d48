/** Requests and transfers: reviewed where they belong; a registration is deleted only once decided. */
import { allows, scopeOf } from '../../src/access/scope.js';
import { superAdmin } from '../../test/helpers/principals.js';

describe('request and transfer policies', () => {
  it('a registration can be deleted only after its decision', () => {
    const p = superAdmin('county_hr');
    expect(allows(p, 'registrations', 'delete', { org_path: '/1/2/18/9/', status: 'pending' })).toBe(false);
    expect(allows(p, 'registrations', 'delete', { org_path: '/1/2/18/9/', status: 'rejected' })).toBe(true);
  });
  it('a unit files plans only for itself; the HR lists of units’ filings are the HR department’s', () => {
    expect(scopeOf(superAdmin('unit'), 'plan_filings', 'new').sql()).toBe('organisation_id = 300');
    expect(() => scopeOf(superAdmin('unit'), 'unit_plan_reviews', 'approve')).toThrow();
  });
  it('a transfer is visible to both sides, each side’s review list to its own', () => {
    const p = superAdmin('county_hr');
    expect(allows(p, 'transfers', 'show', { from_path: '/1/3/30/5/', to_path: '/1/2/18/6/' })).toBe(true);
    expect(allows(p, 'transfers', 'show', { from_path: '/1/3/30/5/', to_path: '/1/3/31/6/' })).toBe(false);
    expect(allows(p, 'transfer_in_reviews', 'approve', { org_path: '/1/2/18/6/', request_type: 'transfer', side: 'target' })).toBe(true);
    expect(allows(p, 'transfer_in_reviews', 'approve', { org_path: '/1/2/18/6/', request_type: 'transfer', side: 'source' })).toBe(false);
  });
});
