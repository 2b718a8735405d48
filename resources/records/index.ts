/** Read-only records: yearly hour totals, certificates, the audit log. */
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { auditOutcome, options as opts } from '../../src/domain/labels.js';
import { auditLogPolicy, certificatesPolicy, personYearHoursPolicy } from './policy.js';

export const personYearHoursResource = ({ PersonYearHours }: Models) => defineResource({
  policy: personYearHoursPolicy,
  model: PersonYearHours,
  options: {
    navigation: nav.stats,
    sort: { sortBy: 'year', direction: 'desc' },
    listProperties: ['year', 'person_id', 'public_hours', 'professional_hours', 'total_hours', 'completed'],
    filterProperties: ['year', 'completed'],
    properties: { person_id: { reference: 'persons' } },
  },
});

export const certificatesResource = ({ Certificate }: Models) => defineResource({
  policy: certificatesPolicy,
  model: Certificate,
  options: {
    navigation: nav.stats,
    sort: { sortBy: 'issued_at', direction: 'desc' },
    listProperties: ['number', 'person_id', 'year', 'total_hours', 'issued_at'],
    properties: { person_id: { reference: 'persons' }, issued_by: { reference: 'accounts' } },
  },
});

export const auditLogResource = ({ AuditLog }: Models) => defineResource({
  policy: auditLogPolicy,
  model: AuditLog,
  options: {
    navigation: nav.system,
    sort: { sortBy: 'at', direction: 'desc' },
    listProperties: ['at', 'actor_name', 'action', 'resource', 'record_id', 'outcome'],
    filterProperties: ['at', 'actor_name', 'action', 'resource', 'outcome'],
    properties: { outcome: { availableValues: opts(auditOutcome) } },
  },
});
