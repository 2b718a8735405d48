/** Read-only records: yearly hour totals, certificates, the audit log. */
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { inJurisdiction } from '../../src/access/scopes.js';
import { auditOutcome, options as opts } from '../../src/domain/labels.js';

export const personYearHoursResource = ({ PersonYearHours }: Models) => defineResource({
  id: 'person_year_hours',
  model: PersonYearHours,
  access: {
    actions: { list: 'stats.persons:view' },
    scope: inJurisdiction(),
    readable: ['person_id', 'year', 'public_hours', 'professional_hours', 'total_hours', 'completed', 'updated_at'],
    writable: {},
  },
  options: {
    navigation: nav.stats,
    sort: { sortBy: 'year', direction: 'desc' },
    listProperties: ['year', 'person_id', 'public_hours', 'professional_hours', 'total_hours', 'completed'],
    filterProperties: ['year', 'completed'],
    properties: { person_id: { reference: 'persons' } },
  },
});

export const certificatesResource = ({ Certificate }: Models) => defineResource({
  id: 'certificates',
  model: Certificate,
  access: {
    actions: { list: 'stats.certificates:view', show: 'stats.certificates:view' },
    scope: inJurisdiction(),
    readable: ['id', 'number', 'person_id', 'year', 'total_hours', 'issued_by', 'issued_at'],
    writable: {},
  },
  options: {
    navigation: nav.stats,
    sort: { sortBy: 'issued_at', direction: 'desc' },
    listProperties: ['number', 'person_id', 'year', 'total_hours', 'issued_at'],
    properties: { person_id: { reference: 'persons' }, issued_by: { reference: 'accounts' } },
  },
});

export const auditLogResource = ({ AuditLog }: Models) => defineResource({
  id: 'audit_log',
  model: AuditLog,
  access: {
    actions: { list: 'system.audit:view', show: 'system.audit:view' },
    scope: inJurisdiction(),
    readable: ['id', 'at', 'actor_id', 'actor_name', 'action', 'resource', 'record_id', 'outcome', 'before', 'after', 'reason', 'ip'],
    writable: {},
  },
  options: {
    navigation: nav.system,
    sort: { sortBy: 'at', direction: 'desc' },
    listProperties: ['at', 'actor_name', 'action', 'resource', 'record_id', 'outcome'],
    filterProperties: ['at', 'actor_name', 'action', 'resource', 'outcome'],
    properties: { outcome: { availableValues: opts(auditOutcome) } },
  },
});
