/**
 * 电子证书查询打印 (manual 4.5, issue #6 item 5): the completed years of the persons in the
 * jurisdiction, each with its certificate once issued. Printing issues the certificate (once
 * per person and year) and downloads it as PDF; a unit's certificates of a year print as one
 * PDF. A professional person sees and prints its own.
 */
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { printBatchAction, printByIdNumberAction, printCertificateAction } from '../../actions/print-certificates.js';
import { certificateYearsPolicy } from './policy.js';
import { textFilterProperty, unitTextFilter } from '../../src/admin/text-filters.js';

export const certificateYearsResource = ({ CertificateYear }: Models) => defineResource({
  policy: certificateYearsPolicy,
  model: CertificateYear,
  scoped: { virtualFilters: unitTextFilter(CertificateYear.sequelize!) },
  options: {
    navigation: nav.stats,
    titleProperty: 'name',
    sort: { sortBy: 'year', direction: 'desc' },
    listProperties: ['year', 'name', 'id_number', 'unit_id', 'total_hours', 'certificate_number', 'issued_at'],
    filterProperties: ['year', 'name', 'id_number', 'unit_name', 'certificate_number'],
    showProperties: ['year', 'name', 'id_number', 'unit_id', 'public_hours', 'professional_hours', 'total_hours', 'certificate_number', 'issued_at'],
    properties: {
      year: { type: 'number' },
      unit_id: { reference: 'organisations' },
      unit_name: textFilterProperty,
      person_id: { isVisible: false },
    },
    actions: {
      printCertificate: printCertificateAction,
      printByIdNumber: printByIdNumberAction,
      printBatch: printBatchAction,
    },
  },
});
