/** The ability → SQL translation: what the rules allow is exactly what both SQL forms select. */
import { Op } from 'sequelize';
import { abilityFor } from '../../src/access/ability.js';
import { accessibleWhere, astToSql, accessAst, pathWithin } from '../../src/access/to-sql.js';
import { scopeOf } from '../../src/access/scope.js';
import type { Principal } from '../../src/access/principal.js';

const principal = (over: Partial<Principal> = {}): Principal => ({
  email: '测试', idNumber: '370102198506200033', title: '历下区', accountId: 1, name: '测试', kind: 'county_hr', organisationId: 18,
  organisationName: '历下区人力资源和社会保障局', orgPath: '/1/2/18/', orgDepth: 2, adminId: 1, personId: null, isSuper: true,
  permissions: ['stats.persons:view'], mustChangePassword: false, passwordChangedAt: 0, ...over,
});

describe('accessibleWhere', () => {
  it('turns the jurisdiction into a path prefix', () => {
    const where = accessibleWhere(abilityFor(principal()), 'list', 'persons') as { [Op.and]: Array<{ val: string }> };
    expect(where[Op.and].map((l) => l.val)).toEqual([`("org_path" ~>=~ '/1/2/18/' AND "org_path" ~<~ '/1/2/180')`]);
  });
  it('gives null (no row) for an action the principal does not hold', () => {
    expect(accessibleWhere(abilityFor(principal()), 'edit', 'persons')).toBeNull();
  });
  it('gives a person its own row only', () => {
    expect(accessibleWhere(abilityFor(principal({ kind: 'person', personId: 5, permissions: [] })), 'list', 'persons')).toEqual({ id: { [Op.eq]: 5 } });
  });
  it('refuses a path that is not a path', () => {
    expect(() => scopeOf(principal({ orgPath: "/1/' OR 1=1 --" }), 'persons', 'list')).toThrow();
  });
});

describe('the SQL text form', () => {
  it('says the same as the Sequelize form', () => {
    const ast = accessAst(abilityFor(principal()), 'list', 'persons')!;
    expect(astToSql(ast, 'p')).toBe("(p.org_path ~>=~ '/1/2/18/' AND p.org_path ~<~ '/1/2/180')");
  });
  it('adds the view of a review list', () => {
    const p = principal({ permissions: ['hours_review.review:view'] });
    const sql = scopeOf(p, 'hour_reviews', 'list').sql();
    expect(sql).toContain("org_path ~>=~ '/1/2/18/' AND org_path ~<~ '/1/2/180'");
    expect(sql).toContain("status IN ('pending', 'approved', 'rejected')");
    expect(sql).toContain("channel IS DISTINCT FROM 'ce_base'");
  });
  it('quotes values and refuses what is not a path', () => {
    expect(pathWithin('x.org_path', '/1/2/')).toBe("(x.org_path ~>=~ '/1/2/' AND x.org_path ~<~ '/1/20')");
    expect(() => pathWithin('org_path', '/1/%')).toThrow();
  });
});
