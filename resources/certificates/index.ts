/**
 * 电子证书查询打印 (manual 4.5, issue #6 item 5): the completed years of the persons in the
 * jurisdiction, each with its certificate once issued. Printing issues the certificate (once
 * per person and year) and downloads it as PDF; a unit's certificates of a year print as one
 * PDF. A professional person sees and prints its own.
 */
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { anyOf, inJurisdiction, isPerson, ofOwnPerson } from '../../src/access/scopes.js';
import type { Principal } from '../../src/access/principal.js';
import { printBatchAction, printByIdNumberAction, printCertificateAction } from '../../actions/print-certificates.js';

const view = (p: Principal) => isPerson(p) || p.permissions.includes('stats.certificates:view');
const print = (p: Principal) => isPerson(p) || p.permissions.includes('stats.certificates:print');

export const certificateYearsResource = ({ CertificateYear }: Models) => defineResource({
  id: 'certificate_years',
  model: CertificateYear,
  access: {
    actions: {
      list: view, show: view, printCertificate: print,
      // By ID number or by unit: the HR department's and the unit's tools, not a person's.
      printByIdNumber: 'stats.certificates:print', printBatch: 'stats.certificates:print',
    },
    scope: anyOf(inJurisdiction(), ofOwnPerson()),
    readable: ['id', 'person_id', 'year', 'name', 'id_number', 'unit_id', 'public_hours', 'professional_hours', 'total_hours',
      'completed', 'certificate_number', 'issued_at'],
    writable: {},
  },
  scoped: {
    viewWhere: { completed: true },
    idNumberFields: { fields: ['id_number'], fullOn: (p) => isPerson(p) || p.permissions.includes('stats.persons:view_full_id') },
  },
  options: {
    navigation: nav.stats,
    titleProperty: 'name',
    sort: { sortBy: 'year', direction: 'desc' },
    listProperties: ['year', 'name', 'id_number', 'unit_id', 'total_hours', 'certificate_number', 'issued_at'],
    filterProperties: ['year', 'name', 'id_number', 'unit_id', 'certificate_number'],
    showProperties: ['year', 'name', 'id_number', 'unit_id', 'public_hours', 'professional_hours', 'total_hours', 'certificate_number', 'issued_at'],
    properties: {
      year: { type: 'number' },
      unit_id: { reference: 'organisations' },
      person_id: { isVisible: false },
    },
    actions: {
      printCertificate: printCertificateAction,
      printByIdNumber: printByIdNumberAction,
      printBatch: printBatchAction,
    },
  },
});
