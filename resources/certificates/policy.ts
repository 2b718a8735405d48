/**
 * Who may see and print certificates (电子证书查询打印): HR departments and units for the completed
 * years of their jurisdiction's persons; a professional person its own years.
 */
import type { Policy } from '../../src/access/policy.js';
import type { Principal } from '../../src/access/principal.js';
import { anyOf, inJurisdiction, isPerson, ofOwnPerson } from '../../src/access/scopes.js';
import { FULL_ID_PERMISSION } from '../../src/access/personal-data.js';
import { seesPersons } from '../persons/policy.js';

const view = (p: Principal) => isPerson(p) || p.permissions.includes('stats.certificates:view');
const print = (p: Principal) => isPerson(p) || p.permissions.includes('stats.certificates:print');

export const certificateYearsPolicy: Policy = {
  id: 'certificate_years',
  table: 'certificate_years',
  actions: {
    list: view, show: view, printCertificate: print,
    // By ID number or by unit: the HR department's and the unit's tools, not a person's.
    printByIdNumber: 'stats.certificates:print', printBatch: 'stats.certificates:print',
  },
  scope: anyOf(inJurisdiction(), ofOwnPerson()),
  view: { completed: true },
  readable: ['id', 'person_id', 'year', 'name', 'id_number', 'unit_id', 'public_hours', 'professional_hours', 'total_hours',
    'completed', 'certificate_number', 'issued_at'],
  writable: {},
  personalData: { fields: ['id_number'], fullOn: (p) => isPerson(p) || p.permissions.includes(FULL_ID_PERMISSION) },
};

/**
 * 学时证明 (issue 19, item 6): no list of its own in the panel; a proof is printed from the
 * person (persons' `printHourProof`) and downloaded by whoever sees the person — or, for a
 * transfer's proof, by both sides of the transfer (src/services/certificates/proof.ts).
 */
export const hourProofsPolicy: Policy = {
  id: 'hour_proofs',
  table: 'hour_proofs',
  actions: { show: seesPersons },
  scope: anyOf(inJurisdiction(), ofOwnPerson()),
  readable: ['id', 'number', 'person_id', 'from_year', 'to_year', 'issuer_name', 'issued_at', 'transfer_id'],
  writable: {},
};
