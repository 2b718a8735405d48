/**
 * Personal data (ID numbers, mobiles): shown whole only where the principal may see them
 * whole, masked everywhere else. The scoped resource applies this to every record it sends,
 * and exports apply the same function to every row they write.
 */
import { holds, type PersonalDataFields } from './policy.js';
import type { Principal } from './principal.js';
import { maskIdNumber, maskMobile } from '../domain/identifiers.js';
import { isPerson } from './scopes.js';

export type { PersonalDataFields } from './policy.js';

/** A professional person's ID number and mobile: whole to the person and to holders of 查看完整证件号. */
export const FULL_ID_PERMISSION = 'stats.persons:view_full_id';
export const personPersonalData: PersonalDataFields = {
  fields: ['id_number'], mobiles: ['mobile'], fullOn: (p) => isPerson(p) || p.permissions.includes(FULL_ID_PERMISSION),
};

/** Masks the row's personal data in place unless `whole` is asked for and the principal may see it. */
export function maskPersonalData<T extends Record<string, unknown>>(row: T, spec: PersonalDataFields, p: Principal, whole: boolean): T {
  if (whole && holds(p, spec.fullOn)) return row;
  const r = row as Record<string, unknown>;
  for (const f of spec.fields) if (typeof r[f] === 'string') r[f] = maskIdNumber(r[f] as string);
  for (const f of spec.mobiles ?? []) if (typeof r[f] === 'string') r[f] = maskMobile(r[f] as string);
  return row;
}
