/** Organisations: the own one, its departments, and the organisations below it — never itself or above. */
import { scopeOf, allows, mayRun } from '../../src/access/scope.js';
import { superAdmin } from '../../test/helpers/principals.js';

describe('organisation policies', () => {
  it('下属机构 are strictly below, and never departments', () => {
    const p = superAdmin('city_hr');
    expect(allows(p, 'organisations', 'edit', { path: '/1/2/18/', depth: 2, kind: 'county_hr' })).toBe(true);
    expect(allows(p, 'organisations', 'edit', { path: '/1/2/', depth: 1, kind: 'city_hr' })).toBe(false);
    expect(allows(p, 'organisations', 'edit', { path: '/1/2/90/', depth: 2, kind: 'department' })).toBe(false);
    expect(allows(p, 'organisations', 'edit', { path: '/1/3/', depth: 1, kind: 'city_hr' })).toBe(false);
  });
  it('an HR bureau edits its own information; a unit asks its superior', () => {
    expect(mayRun(superAdmin('county_hr'), 'my_organisation', 'edit')).toBe(true);
    expect(mayRun(superAdmin('unit'), 'my_organisation', 'edit')).toBe(false);
    expect(mayRun(superAdmin('unit'), 'my_organisation', 'requestInfoChange')).toBe(true);
    expect(scopeOf(superAdmin('unit'), 'my_organisation', 'show').sql()).toBe('id = 300');
  });
  it('the statistics pages read areas of the jurisdiction of the kinds a drill-down visits', () => {
    const sql = scopeOf(superAdmin('city_hr'), 'statistics_overview', 'overview').sql();
    expect(sql).toContain("path ~>=~ '/1/2/' AND path ~<~ '/1/20'");
    expect(sql).toContain("kind IN ('province_hr', 'city_hr', 'county_hr', 'unit')");
  });
});
