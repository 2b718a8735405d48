/** The ability → SQL translation: what the rules allow is exactly what the WHERE selects. */
import { Op } from 'sequelize';
import { abilityFor, registerAccess } from '../../src/access/ability.js';
import { accessibleWhere } from '../../src/access/to-sql.js';
import { inJurisdiction } from '../../src/access/scopes.js';
import type { Principal } from '../../src/access/principal.js';

const principal = (over: Partial<Principal> = {}): Principal => ({
  email: '测试', idNumber: '370102198506200033', title: '历下区', accountId: 1, name: '测试', kind: 'county_hr', organisationId: 18,
  organisationName: '历下区人力资源和社会保障局', orgPath: '/1/2/18/', orgDepth: 2, adminId: 1, personId: null, isSuper: true,
  permissions: ['stats.persons:view'], mustChangePassword: false, passwordChangedAt: 0, ...over,
});

registerAccess('widgets', {
  actions: { list: 'stats.persons:view', edit: 'stats.persons:edit' },
  scope: inJurisdiction(),
  readable: ['id'],
  writable: {},
});

describe('accessibleWhere', () => {
  it('turns the jurisdiction into a path prefix', () => {
    expect(accessibleWhere(abilityFor(principal()), 'list', 'widgets')).toEqual({ org_path: { [Op.like]: '/1/2/18/%' } });
  });
  it('gives null (no row) for an action the principal does not hold', () => {
    expect(accessibleWhere(abilityFor(principal()), 'edit', 'widgets')).toBeNull();
  });
  it('gives null for a person, who has no jurisdiction', () => {
    expect(accessibleWhere(abilityFor(principal({ kind: 'person', personId: 5 })), 'list', 'widgets')).toBeNull();
  });
  it('refuses a path that is not a path', () => {
    expect(() => accessibleWhere(abilityFor(principal({ orgPath: "/1/' OR 1=1 --" })), 'list', 'widgets')).toThrow();
  });
});
