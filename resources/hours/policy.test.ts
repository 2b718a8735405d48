/** The hour declarations' policies: each review list is its own view of one table, for one kind of reviewer. */
import { scopeOf, mayRun, allows } from '../../src/access/scope.js';
import { admin, person, superAdmin } from '../../test/helpers/principals.js';

describe('hour declaration policies', () => {
  it('the HR review list is the HR department’s: a unit holding the same permission is refused', () => {
    expect(mayRun(superAdmin('county_hr'), 'hour_reviews', 'approve')).toBe(true);
    expect(mayRun(superAdmin('unit'), 'hour_reviews', 'list')).toBe(false);
    expect(mayRun(superAdmin('unit'), 'unit_first_reviews', 'approve')).toBe(true);
    expect(mayRun(superAdmin('county_hr'), 'unit_first_reviews', 'list')).toBe(false);
  });
  it('each list shows only its statuses and channels', () => {
    const hr = superAdmin('county_hr');
    expect(allows(hr, 'hour_reviews', 'approve', { org_path: '/1/2/18/5/', status: 'pending', channel: 'person' })).toBe(true);
    expect(allows(hr, 'hour_reviews', 'approve', { org_path: '/1/2/18/5/', status: 'pending', channel: 'ce_base' })).toBe(false);
    expect(allows(hr, 'ce_base_hour_reviews', 'approve', { org_path: '/1/2/18/5/', status: 'pending', channel: 'ce_base' })).toBe(true);
    expect(allows(hr, 'hour_reviews', 'approve', { org_path: '/1/2/18/5/', status: 'pending_unit', channel: 'person' })).toBe(false);
    expect(allows(hr, 'hour_verifications', 'verificationFail', { org_path: '/1/2/18/5/', status: 'pending' })).toBe(false);
    expect(allows(hr, 'hour_verifications', 'verificationFail', { org_path: '/1/2/18/5/', status: 'approved' })).toBe(true);
    expect(allows(hr, 'hour_reviews', 'approve', { org_path: '/1/2/19/5/', status: 'pending', channel: 'person' })).toBe(false);
  });
  it('a CE base sees what it declared, a person its own, and a reviewer needs the decide permission', () => {
    expect(scopeOf(superAdmin('ce_base'), 'hour_declarations', 'list').sql()).toBe('ce_base_id = 40');
    expect(scopeOf(person(501), 'hour_declarations', 'list').sql()).toBe('person_id = 501');
    expect(mayRun(admin('county_hr', { permissions: ['hours_review.review:view'] }), 'hour_reviews', 'approveAll')).toBe(false);
  });
});
