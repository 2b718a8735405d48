/** Principals for the policies' unit tests: no database, the shapes a login produces. */
import type { Principal } from '../../src/access/principal.js';
import { superAdminPermissions, type OrganisationKind } from '../../config/permissions.js';

const base: Principal = {
  email: '测试', idNumber: '370102198506200033', title: '测试', accountId: 7, name: '测试', kind: 'county_hr', organisationId: 18,
  organisationName: '历下区人力资源和社会保障局', orgPath: '/1/2/18/', orgDepth: 2, adminId: 3, personId: null, isSuper: false,
  permissions: [], mustChangePassword: false, passwordChangedAt: 0,
};

export function admin(kind: Exclude<OrganisationKind, 'department'>, over: Partial<Principal> = {}): Principal {
  const paths: Record<string, [number, string, number]> = {
    province_hr: [1, '/1/', 0], city_hr: [2, '/1/2/', 1], county_hr: [18, '/1/2/18/', 2], unit: [300, '/1/2/18/300/', 3], ce_base: [40, '/1/40/', 1],
  };
  const [organisationId, orgPath, orgDepth] = paths[kind];
  return { ...base, kind, organisationId, orgPath, orgDepth, ...over };
}
export const superAdmin = (kind: Exclude<OrganisationKind, 'department'>, over: Partial<Principal> = {}) =>
  admin(kind, { isSuper: true, permissions: superAdminPermissions(kind), ...over });
export const person = (personId = 501): Principal => ({ ...base, kind: 'person', personId, adminId: null, organisationId: 300, orgPath: '/1/2/18/300/', orgDepth: 3 });
