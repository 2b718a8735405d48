/** Admin seats, sessions and roles: an organisation manages its own, and only its super admin hands the office over. */
import { scopeOf, mayRun, allows } from '../../src/access/scope.js';
import { admin, superAdmin } from '../../test/helpers/principals.js';

describe('admins, sessions and roles policies', () => {
  it('reach the own organisation’s seats and sessions only', () => {
    expect(scopeOf(superAdmin('county_hr'), 'admins', 'list').sql()).toBe('organisation_id = 18');
    expect(scopeOf(superAdmin('county_hr'), 'sessions', 'delete').sql()).toBe('organisation_id = 18');
  });
  it('only a super admin sets the super admin', () => {
    expect(mayRun(superAdmin('city_hr'), 'admins', 'setSuperAdmin')).toBe(true);
    expect(mayRun(admin('city_hr', { permissions: ['account.admins:view', 'account.admins:create'] }), 'admins', 'setSuperAdmin')).toBe(false);
  });
  it('built-in roles are read but never changed, and roles are handed out by whoever adds admins', () => {
    const p = superAdmin('province_hr');
    expect(allows(p, 'roles', 'show', { organisation_id: 1, builtin: true })).toBe(true);
    expect(allows(p, 'roles', 'edit', { organisation_id: 1, builtin: true })).toBe(false);
    expect(allows(p, 'roles', 'edit', { organisation_id: 1, builtin: false })).toBe(true);
    const adder = admin('county_hr', { permissions: ['account.admins:create'] });
    expect(scopeOf(adder, 'roles', 'assign').sql()).toBe('organisation_id = 18');
    expect(mayRun(adder, 'roles', 'list')).toBe(false);
  });
  it('accounts have no action of their own: they are acted on through the account-authority rule', () => {
    expect(mayRun(superAdmin('province_hr'), 'accounts', 'list')).toBe(false);
  });
});
