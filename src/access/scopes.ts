/**
 * The shapes of jurisdiction that resources combine. An HR admin's jurisdiction is its
 * organisation and everything below it; a unit or CE base admin's is its own organisation
 * and its departments; a professional person's is itself.
 */
import type { Conditions } from './policy.js';
import type { Principal } from './principal.js';

const isAdmin = (p: Principal) => p.kind !== 'person';

/** Records whose `field` (an organisation path) lies inside the admin's jurisdiction. */
export const inJurisdiction = (field = 'org_path') => (p: Principal): Conditions[] =>
  isAdmin(p) ? [{ [field]: { $startsWith: p.orgPath } }] : [];

/** Records of the admin's own organisation only. */
export const ofOwnOrganisation = (field = 'organisation_id') => (p: Principal): Conditions[] =>
  isAdmin(p) ? [{ [field]: p.organisationId }] : [];

/** A professional person's own records. */
export const ofOwnPerson = (field = 'person_id') => (p: Principal): Conditions[] =>
  p.personId !== null ? [{ [field]: p.personId }] : [];

export const anyOf = (...scopes: Array<(p: Principal) => Conditions[]>) => (p: Principal): Conditions[] =>
  scopes.flatMap((s) => s(p));

export const isHrAdmin = (p: Principal) => p.kind === 'province_hr' || p.kind === 'city_hr' || p.kind === 'county_hr';
export const isPerson = (p: Principal) => p.kind === 'person';

/** A permission that only an HR department's admin can use (e.g. the HR-level review). */
export const hrWith = (code: string) => (p: Principal) => isHrAdmin(p) && p.permissions.includes(code);
/** A permission that only a unit's admin can use (e.g. the unit's first-level review). */
export const unitWith = (code: string) => (p: Principal) => p.kind === 'unit' && p.permissions.includes(code);
