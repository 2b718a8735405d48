/** Who may read the read-only records: yearly hour totals, issued certificates, the audit log. */
import type { Policy } from '../../src/access/policy.js';
import { inJurisdiction } from '../../src/access/scopes.js';

export const personYearHoursPolicy: Policy = {
  id: 'person_year_hours',
  table: 'person_year_hours',
  actions: { list: 'stats.persons:view' },
  scope: inJurisdiction(),
  readable: ['id', 'person_id', 'year', 'public_hours', 'professional_hours', 'total_hours', 'completed', 'updated_at'],
  writable: {},
};

export const certificatesPolicy: Policy = {
  id: 'certificates',
  table: 'certificates',
  actions: { list: 'stats.certificates:view', show: 'stats.certificates:view' },
  scope: inJurisdiction(),
  readable: ['id', 'number', 'person_id', 'year', 'total_hours', 'issued_by', 'issued_at'],
  writable: {},
};

export const auditLogPolicy: Policy = {
  id: 'audit_log',
  table: 'audit_log',
  actions: { list: 'system.audit:view', show: 'system.audit:view' },
  scope: inJurisdiction(),
  readable: ['id', 'at', 'actor_id', 'actor_name', 'action', 'resource', 'record_id', 'outcome', 'before', 'after', 'reason', 'ip'],
  writable: {},
};
